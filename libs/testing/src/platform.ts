import { Kafka } from 'kafkajs';
import { ChildService } from './child-service';

export const PLATFORM_SERVICES = ['campaigns', 'ingestion', 'offer-matching', 'attribution', 'billing', 'notification', 'affiliate'] as const;
export type PlatformService = (typeof PLATFORM_SERVICES)[number];

export interface RunningPlatform {
  urls: Record<PlatformService, string>;
  healthUrls: Record<PlatformService, string>;
  children: Record<PlatformService, ChildService>;
  stop(): Promise<void>;
}

/**
 * Starts every service as its own process (as `npm start` does), on free ports from `basePort`,
 * against the given database and topic namespace; resolves when every one is ready.
 */
export async function startPlatform(options: { basePort: number; env: Record<string, string>; readyTimeoutMs?: number }): Promise<RunningPlatform> {
  const urls = {} as Record<PlatformService, string>;
  const healthUrls = {} as Record<PlatformService, string>;
  const children = {} as Record<PlatformService, ChildService>;
  PLATFORM_SERVICES.forEach((service, i) => {
    const http = options.basePort + i;
    const health = options.basePort + 100 + i;
    urls[service] = `http://127.0.0.1:${http}`;
    healthUrls[service] = `http://127.0.0.1:${health}`;
    // Every service resolves registry API keys at the campaigns service, as in a deployment.
    const registry = `http://127.0.0.1:${options.basePort + PLATFORM_SERVICES.indexOf('campaigns')}`;
    children[service] = ChildService.start(`apps/${service}/src/main.ts`, {
      LOG_LEVEL: 'warn',
      AUTH_KEY_REGISTRY_URL: registry,
      ...options.env,
      HTTP_PORT: String(http),
      HEALTH_PORT: String(health),
    });
  });
  const stop = async () => {
    await Promise.all(Object.values(children).map((c) => c.kill('SIGTERM')));
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120000);
  for (const service of PLATFORM_SERVICES) {
    for (;;) {
      const ok = await fetch(`${healthUrls[service]}/health/ready`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      if (!children[service].running || Date.now() > deadline) {
        await stop();
        throw new Error(`${service} did not become ready:\n${children[service].tail()}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return { urls, healthUrls, children, stop };
}

/** Total lag of a consumer group on the given topics (0 when it has caught up). */
export async function groupLag(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const t of committed) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      for (const p of ends) {
        const c = t.partitions.find((x) => x.partition === p.partition);
        const at = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(p.low);
        lag += Number(p.high) - at;
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
