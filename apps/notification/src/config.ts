import { loadConfig } from '@prestanda/config';
import { ServiceEnv } from '@prestanda/service-kit';

/** Notification service environment; validated at boot, a bad variable is named in the error. */
export class NotificationEnv extends ServiceEnv {
  override HTTP_PORT = 3006;
  override HEALTH_PORT = 9406;
}

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationEnv {
  return loadConfig(NotificationEnv, env);
}
