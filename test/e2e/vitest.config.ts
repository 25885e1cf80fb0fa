import { defineConfig } from 'vitest/config';

// End-to-end: the built renderer in Debian Chromium, through the browser bridge, against the real
// main-side services. Run after `npm run build`.
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
