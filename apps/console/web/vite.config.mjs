// The ops console's build. `npm start` serves dist/apps/console through the console server
// (apps/console/server); `npx nx run console:dev` is a dev server that proxies the same routes.
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const consoleServer = process.env.CONSOLE_SERVER_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: here,
  plugins: [react()],
  build: { outDir: path.resolve(here, '../../../dist/apps/console'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': consoleServer, '/auth': consoleServer } },
});
