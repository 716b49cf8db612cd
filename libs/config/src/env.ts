import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown at boot when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const name = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${name}: ${m}`);
    return [...own, ...flatten(e.children ?? [], `${name}.`)];
  });
}

/**
 * Validates `process.env` (or the given source) against a class-validator schema class.
 * Unknown variables are ignored. Numbers need `@Type(() => Number)` and an explicit type
 * annotation (`PORT: number = 3000`): environment values are strings.
 */
export function loadConfig<T extends object>(schema: new () => T, source: NodeJS.ProcessEnv = process.env): T {
  const instance = plainToInstance(schema, { ...source }, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(flatten(errors));
  return instance;
}
