// The ops console's web build: built on first use and whenever a source is newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { log, repoRoot, run } from './util.mjs';

export const CONSOLE_WEB = path.join(repoRoot, 'apps', 'console', 'web');
export const CONSOLE_DIST = path.join(repoRoot, 'dist', 'apps', 'console');

/** Newest modification time under a path; unit specs are not part of the build. */
function newestMtime(target) {
  const s = statSync(target);
  if (!s.isDirectory()) return /\.spec\.tsx?$/.test(target) ? 0 : s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when dist/apps/console is missing or older than the console's sources or the lock file. */
export function consoleBuildStale() {
  const index = path.join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = [CONSOLE_WEB, path.join(repoRoot, 'package-lock.json')].filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs;
}

/** Builds the console with Vite when needed (or always with force); resolves with the exit code. */
export async function ensureConsoleBuild({ force = false } = {}) {
  if (!force && !consoleBuildStale()) return 0;
  log('building the ops console (vite)…');
  return run(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(CONSOLE_WEB, 'vite.config.mjs'), '--logLevel', 'warn']);
}
