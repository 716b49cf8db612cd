import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadBillingConfig } from './config';

async function main(): Promise<void> {
  const config = loadBillingConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'billing', title: 'Prestanda billing API', httpPort: config.HTTP_PORT });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`billing: ${error.message}`);
  } else {
    console.error('billing failed to start', error);
  }
  process.exit(1);
});
