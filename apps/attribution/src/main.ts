import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadAttributionConfig } from './config';

async function main(): Promise<void> {
  const config = loadAttributionConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'attribution', title: 'Prestanda attribution API', httpPort: config.HTTP_PORT });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`attribution: ${error.message}`);
  } else {
    console.error('attribution failed to start', error);
  }
  process.exit(1);
});
