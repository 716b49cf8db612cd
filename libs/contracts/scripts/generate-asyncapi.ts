/**
 * Writes libs/contracts/asyncapi.json from the event descriptors.
 *   node -r @swc-node/register libs/contracts/scripts/generate-asyncapi.ts          # write
 *   node -r @swc-node/register libs/contracts/scripts/generate-asyncapi.ts --check  # CI: fail if stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAsyncApiDocument } from '../src/asyncapi';

export const ASYNCAPI_PATH = join(__dirname, '..', 'asyncapi.json');

function main(): void {
  const rendered = renderAsyncApiDocument();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(ASYNCAPI_PATH, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== rendered) {
      console.error(`${ASYNCAPI_PATH} is out of date: run node -r @swc-node/register libs/contracts/scripts/generate-asyncapi.ts`);
      process.exit(1);
    }
    console.log(`${ASYNCAPI_PATH} is up to date`);
    return;
  }
  writeFileSync(ASYNCAPI_PATH, rendered);
  console.log(`wrote ${ASYNCAPI_PATH}`);
}

if (require.main === module) main();
