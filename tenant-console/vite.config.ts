import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The platform's API during `vite` dev; in production the platform serves this build at /console/. */
const apiTarget = process.env.SHOPFLEET_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  resolve: {
    alias: {
      '@': here('./src'),
      // Only types (and no zod schemas) are imported from the contracts, so nothing of zod is bundled;
      // values come from the contracts' zod-free constants module (listed first: the first matching alias wins).
      '@shopfleet/contracts/constants': here('../contracts/src/constants.ts'),
      '@shopfleet/contracts': here('../contracts/src/index.ts'),
    },
    // The workspace root hoists an older vue for template-miniapp; element-plus and vue-i18n live there
    // too, so make every import of these resolve to this workspace's copy (one Vue runtime).
    dedupe: ['vue', 'vue-router', 'pinia'],
  },
  server: {
    proxy: {
      '/merchant-api': apiTarget,
      '/platform-api': apiTarget,
      '/s/': apiTarget,
      // The customer-service chat's WebSocket (SUPPORT_WS_PATH).
      '/ws/': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
