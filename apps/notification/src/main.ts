import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadNotificationConfig } from './config';

async function main(): Promise<void> {
  const config = loadNotificationConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'notification', title: 'Prestanda notification API', httpPort: config.HTTP_PORT, storesSecrets: true });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`notification: ${error.message}`);
  } else {
    console.error('notification failed to start', error);
  }
  process.exit(1);
});
