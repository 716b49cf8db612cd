import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadOfferMatchingConfig } from './config';

async function main(): Promise<void> {
  const config = loadOfferMatchingConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'offer-matching', title: 'Prestanda offer-matching API', httpPort: config.HTTP_PORT });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`offer-matching: ${error.message}`);
  } else {
    console.error('offer-matching failed to start', error);
  }
  process.exit(1);
});
