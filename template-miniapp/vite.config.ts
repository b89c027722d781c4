import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import uniModule from '@dcloudio/vite-plugin-uni';

// The package is CommonJS; depending on interop its plugin factory is the default export or nested one level.
const uni = ((uniModule as unknown as { default?: typeof uniModule }).default ?? uniModule) as typeof uniModule;

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // One h5 build is served for every shop at /s/<slug>/, so every asset URL must be relative.
  base: './',
  plugins: [uni()],
  resolve: {
    // Only types come from @shopfleet/contracts (nothing of zod is bundled); values come from its
    // zod-free constants module, read from source.
    alias: {
      '@shopfleet/contracts/constants': here('../contracts/src/constants.ts'),
    },
  },
});
