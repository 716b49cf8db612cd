import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import type { ConsoleConfig } from './config';
import type { DeadLetterRoutes } from './dead-letters/dead-letter-routes';
import { devLogin, devLoginEnabled } from './dev-login';
import { platformHealth } from './health';
import { FORWARDED_REQUEST_HEADERS, FORWARDED_RESPONSE_HEADERS, pickHeaders, proxyTarget } from './routes';

const MAX_LOGIN_BODY = 4096;
// A replay names at most a page of dead letters: { topic, partition, offset } each.
const MAX_REPLAY_BODY = 64 * 1024;
// An oversized body is still read (and dropped) up to this, so that its sender gets the 400.
const DRAIN_LIMIT = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
// The built app loads only its own scripts and styles and talks only to this origin.
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The body as text, or undefined when it is over `limit`. An oversized body is read to its end
 * and dropped (up to DRAIN_LIMIT), so the caller still gets its answer; beyond that the socket is
 * closed.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > DRAIN_LIMIT) {
        resolve(undefined);
        req.destroy();
      } else if (size <= limit) chunks.push(d);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Streams the request to the service and its answer back, status and body untouched. */
function proxy(req: IncomingMessage, res: ServerResponse, target: { service: string; url: string }): void {
  const url = new URL(target.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(url, { method: req.method, headers: pickHeaders(req.headers, FORWARDED_REQUEST_HEADERS), timeout: 30_000 }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { ...pickHeaders(answer.headers, FORWARDED_RESPONSE_HEADERS), 'cache-control': 'no-store' });
    answer.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', (e) => {
    if (res.headersSent) return void res.destroy();
    json(res, e.message === 'timeout' ? 504 : 502, { statusCode: 502, error: 'Bad Gateway', message: `${target.service} did not answer` });
  });
  req.pipe(upstream);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string): void {
  const index = path.join(staticDir, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The console is not built: run `npm start` or `node tools/cli/build-console.mjs`.\n');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://console').pathname);
  } catch {
    return void json(res, 400, { statusCode: 400, error: 'Bad Request', message: 'malformed path' });
  }
  const file = path.join(staticDir, path.normalize(pathname));
  const inside = file.startsWith(staticDir + path.sep);
  const isFile = inside && existsSync(file) && statSync(file).isFile();
  // Unknown paths are the app's own routes (/campaigns, /transactions…): index.html routes them.
  const chosen = isFile ? file : index;
  const hashed = isFile && pathname.startsWith('/assets/');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[path.extname(chosen)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(chosen).pipe(res);
}

/**
 * The console's server: the built web app, a pass-through to each service's REST API under
 * `/api/<service>/…` (the caller's bearer token goes along; the service decides), the
 * platform's readiness at `/api/health`, and the local dev login. It holds no business rule.
 */
export function createConsoleServer(config: ConsoleConfig, options: { deadLetters?: DeadLetterRoutes } = {}): Server {
  const staticDir = path.resolve(config.staticDir);
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0];
    void (async () => {
      if (pathname === '/auth/config' && req.method === 'GET') {
        return json(res, 200, { devLogin: devLoginEnabled(config), oidc: config.oidcIssuer ? { issuer: config.oidcIssuer } : null });
      }
      if (pathname === '/auth/dev-login') {
        if (!devLoginEnabled(config)) return json(res, 404, { statusCode: 404, error: 'Not Found', message: 'dev login is off' });
        if (req.method !== 'POST') return json(res, 405, { statusCode: 405, error: 'Method Not Allowed', message: 'POST only' });
        const raw = await readBody(req, MAX_LOGIN_BODY);
        if (raw === undefined) return json(res, 400, { statusCode: 400, error: 'Bad Request', message: [`body: at most ${MAX_LOGIN_BODY} bytes`], fields: [{ field: 'body', message: `at most ${MAX_LOGIN_BODY} bytes` }] });
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          return json(res, 400, { statusCode: 400, error: 'Bad Request', message: ['body: must be JSON'], fields: [{ field: 'body', message: 'must be JSON' }] });
        }
        const result = await devLogin(config, body);
        return json(res, result.status, result.body);
      }
      if (pathname === '/api/health' && req.method === 'GET') return json(res, 200, await platformHealth(config.health));
      if (options.deadLetters && (pathname === '/api/dead-letters' || pathname.startsWith('/api/dead-letters/'))) {
        const readJson = async () => {
          const raw = await readBody(req, MAX_REPLAY_BODY);
          if (raw === undefined) throw new Error('too large');
          return raw ? (JSON.parse(raw) as unknown) : {};
        };
        const answer = await options.deadLetters.handle(req.method ?? 'GET', new URL(url, 'http://console'), req.headers.authorization, readJson);
        if (answer) return json(res, answer.status, answer.body);
      }
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        const target = proxyTarget(url, config.services);
        if (!target) return json(res, 404, { statusCode: 404, error: 'Not Found', message: 'no such service: /api/<campaigns|ingestion|offer-matching|attribution|billing|notification>/…' });
        return proxy(req, res, target);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { statusCode: 405, error: 'Method Not Allowed', message: 'GET only' });
      return serveStatic(req, res, staticDir);
    })().catch((e: Error) => {
      console.error(`console: ${req.method} ${pathname} failed: ${e.message}`);
      if (!res.headersSent) json(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'console server error' });
      else res.destroy();
    });
  });
}
