import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadCampaignsConfig } from './config';

async function main(): Promise<void> {
  const config = loadCampaignsConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'campaigns', title: 'Prestanda campaigns API', httpPort: config.HTTP_PORT });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`campaigns: ${error.message}`);
  } else {
    console.error('campaigns failed to start', error);
  }
  process.exit(1);
});
