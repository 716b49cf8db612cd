import './tracing';
import { ConfigError } from '@prestanda/config';
import { bootstrapService } from '@prestanda/service-kit';
import { AppModule } from './app.module';
import { loadIngestionConfig } from './config';

async function main(): Promise<void> {
  const config = loadIngestionConfig();
  await bootstrapService(AppModule.forRoot(config), { service: 'ingestion', title: 'Prestanda ingestion API', httpPort: config.HTTP_PORT });
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`ingestion: ${error.message}`);
  } else {
    console.error('ingestion failed to start', error);
  }
  process.exit(1);
});
