import { ConfigError } from '@prestanda/config';
import { loadIngestionConfig } from './config';

describe('loadIngestionConfig', () => {
  it('converts numbers and applies defaults', () => {
    const config = loadIngestionConfig({ HTTP_PORT: '0', HEALTH_PORT: '0' });
    expect(config).toMatchObject({ HTTP_PORT: 0, HEALTH_PORT: 0, INGESTION_FUTURE_TOLERANCE_SECONDS: 300, INGESTION_MAX_BATCH_SIZE: 500 });
    expect(loadIngestionConfig({}).HTTP_PORT).toBe(3002);
    expect(loadIngestionConfig({ INGESTION_FUTURE_TOLERANCE_SECONDS: '60' }).INGESTION_FUTURE_TOLERANCE_SECONDS).toBe(60);
  });

  it('names a bad variable', () => {
    expect(() => loadIngestionConfig({ INGESTION_FUTURE_TOLERANCE_SECONDS: '-1' })).toThrow(ConfigError);
    expect(() => loadIngestionConfig({ INGESTION_FUTURE_TOLERANCE_SECONDS: 'soon' })).toThrow(/INGESTION_FUTURE_TOLERANCE_SECONDS/);
  });
});
