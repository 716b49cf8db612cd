// Browser tests drive Debian's Chromium through playwright-core; no test tool downloads a browser.
import { existsSync } from 'node:fs';
import { log, run } from './util.mjs';

export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's chromium package when /usr/bin/chromium is missing; resolves with the exit code. */
export async function ensureChromium() {
  if (existsSync(CHROMIUM)) return 0;
  log('installing Chromium for the browser tests (apt-get install chromium)…');
  const asRoot = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const cmd = (args) => (asRoot ? run(args[0], args.slice(1), { env }) : run('sudo', ['-E', ...args], { env }));
  const updated = await cmd(['apt-get', 'update']);
  if (updated !== 0) return updated;
  const installed = await cmd(['apt-get', 'install', '-y', 'chromium']);
  if (installed !== 0) return installed;
  return existsSync(CHROMIUM) ? 0 : 1;
}
