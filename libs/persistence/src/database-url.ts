/** Default when DATABASE_URL is unset: the PostgreSQL on this machine, trust auth. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/prestanda';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL && env.DATABASE_URL.length > 0 ? env.DATABASE_URL : DEFAULT_DATABASE_URL;
}

/** The URL with any password replaced, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
