import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ConfigError, loadConfig } from './env';

class ExampleEnv {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  HTTP_PORT: number = 3000;

  @IsOptional() @Matches(/^postgres:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
}

describe('environment validated at boot', () => {
  it('converts and defaults values', () => {
    expect(loadConfig(ExampleEnv, { HTTP_PORT: '8080' }).HTTP_PORT).toBe(8080);
    expect(loadConfig(ExampleEnv, {}).HTTP_PORT).toBe(3000);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(ExampleEnv, { HTTP_PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/HTTP_PORT/);
    expect((error as ConfigError).message).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect((error as ConfigError).problems.some((p) => p.startsWith("HTTP_PORT"))).toBe(true);
  });
});
