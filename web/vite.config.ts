import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { typedDocumentImports } from './build/documentImports';

/** Paths the api answers itself: never the app's index, online or off. */
const API_PATHS = [/^\/graphql/, /^\/schemas/, /^\/health/, /^\/oauth/, /^\/node$/];

/** Kept libraries each in a chunk of their own: they change less often than the app. */
const VENDOR_CHUNKS: [RegExp, string][] = [
  [/\/node_modules\/react-router\//, 'router'],
  [/\/node_modules\/i18next\//, 'i18next'],
  [/\/node_modules\/(urql|@urql|wonka|@0no-co|graphql-sse)\//, 'graphql-client'],
];

const vendorChunk = (id: string): string | undefined => VENDOR_CHUNKS.find(([path]) => path.test(id))?.[1];

/** Text files worth compressing: the api sends the .br or .gz beside each to a browser that takes it. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest|txt)$/;

/**
 * Writes a brotli (best) and a gzip (best) copy beside every text file of the build, once, so the
 * api serves them with no work per request.
 */
function precompress(outDir: string): Plugin {
  return {
    name: 'fabpool-precompress',
    apply: 'build',
    enforce: 'post',
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => COMPRESSIBLE.test(f));
      await Promise.all(
        files.map(async (file) => {
          const path = join(outDir, file);
          const bytes = await readFile(path);
          await writeFile(
            `${path}.br`,
            await promisify(brotliCompress)(bytes, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
              },
            }),
          );
          await writeFile(`${path}.gz`, await promisify(gzip)(bytes, { level: 9 }));
        }),
      );
    },
  };
}

// Built into web/dist, which the api serves; `npm run dev -w web` proxies GraphQL to a running api.
export default defineConfig({
  plugins: [
    typedDocumentImports(),
    react(),
    // A service worker keeps the built app on the device, so the shop-floor app opens with no
    // network and queues its scans (offlineQueue.ts). Every page is kept, charts included: a
    // planner's laptop loses the network too. GraphQL is never cached: data is live or absent.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'fabpool 共享工单池',
        short_name: 'fabpool',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        theme_color: '#1677ff',
        background_color: '#ffffff',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,woff2}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: API_PATHS,
        cleanupOutdatedCaches: true,
      },
    }),
    precompress('dist'),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
    rollupOptions: { output: { manualChunks: vendorChunk } },
  },
  server: { host: '127.0.0.1', proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
