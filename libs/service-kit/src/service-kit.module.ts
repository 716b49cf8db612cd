import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@prestanda/auth';
import { createKafka } from '@prestanda/kafka';
import { createServiceDataSource, ServiceDataSourceOptions } from '@prestanda/persistence';
import { Kafka } from 'kafkajs';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { CallerThrottlerGuard, rateLimitPerMinute } from './rate-limit';
import { EVENT_HANDLERS, EventHandlerSet, MessagingOptions, MessagingRuntime, SERVICE_OPTIONS } from './messaging.runtime';

export interface ServiceKitOptions extends MessagingOptions {
  database: Omit<ServiceDataSourceOptions, 'url'> & { url?: string };
  /** The provider class whose handlers() feed the service's consumer, if it consumes. */
  handlers?: Type<EventHandlerSet>;
}

/**
 * What every Prestanda service shares: its DataSource (own schema, migrations at boot), a
 * Kafka client from the environment, the inbox consumer, the outbox relay, and health.
 * Inject `DataSource`, `Kafka` and `MessagingRuntime` anywhere in the service.
 */
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: SERVICE_OPTIONS, useValue: options },
      { provide: DataSource, useFactory: () => createServiceDataSource({ applicationName: `prestanda-${options.service}`, ...options.database }) },
      { provide: Kafka, useFactory: () => createKafka(`prestanda-${options.service}`) },
      MessagingRuntime,
      // Every HTTP route authenticates its caller unless marked @Public().
      { provide: APP_GUARD, useClass: AuthGuard },
    ];
    const limit = rateLimitPerMinute();
    if (limit > 0) providers.push({ provide: APP_GUARD, useClass: CallerThrottlerGuard });
    if (options.handlers) providers.push(options.handlers, { provide: EVENT_HANDLERS, useExisting: options.handlers });
    return {
      global: true,
      module: ServiceKitModule,
      // Readiness checks run on terminus (see HealthServer); a red probe is not an error line per probe.
      imports: [TerminusModule.forRoot({ logger: false }), ...(limit > 0 ? [ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit }])] : [])],
      providers,
      exports: [DataSource, Kafka, MessagingRuntime],
    };
  }
}
