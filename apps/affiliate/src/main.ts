import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadAffiliateConfig } from './config';

async function main(): Promise<void> {
  const config = loadAffiliateConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'affiliate', title: 'Prestanda affiliate API', httpPort: config.HTTP_PORT, rawBody: true, trustProxy: config.AFFILIATE_TRUST_PROXY_HOPS, storesSecrets: true });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`affiliate: ${error.message}`);
  } else {
    console.error('affiliate failed to start', error);
  }
  process.exit(1);
});
