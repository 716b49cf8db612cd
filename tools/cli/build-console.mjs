#!/usr/bin/env node
// Builds the ops console into dist/apps/console when it is missing or older than its sources
// (--force: always). npm start and the console's browser test call it.
import { ensureConsoleBuild } from './lib/console.mjs';

process.exit(await ensureConsoleBuild({ force: process.argv.includes('--force') }));
