import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

// electron-vite needs explicit inputs because the folders are not its defaults (src/main, ...).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // electron-store is ESM-only and reaches electron through a default import: bundle it.
      externalizeDeps: { exclude: ['electron-store', 'conf'] },
      rollupOptions: { input: { index: resolve(projectRoot, 'src-main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require anything: it must be one self-contained CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(projectRoot, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(projectRoot, 'src-renderer'),
    plugins: [react()],
    // Every script and style tag Vite writes carries this placeholder; whoever serves index.html
    // (the app:// protocol handler or the browser bridge) swaps in a fresh nonce per load.
    html: { cspNonce: '__CSP_NONCE__' },
    build: {
      outDir: resolve(projectRoot, 'out/renderer'),
      rollupOptions: { input: { index: resolve(projectRoot, 'src-renderer/index.html') } },
    },
  },
});
