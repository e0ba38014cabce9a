import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist, which the api serves; `npm run dev -w web` proxies GraphQL to a running api.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  server: { host: '127.0.0.1', proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
