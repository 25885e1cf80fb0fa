import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default leaves one core idle (CPUs − 1): on CI's two cores that ran every file in one
    // worker. The files are independent (own folders, own servers on free ports), so use them all.
    maxWorkers: '100%',
    projects: [
      {
        test: {
          name: 'main',
          include: ['test/unit/main/**/*.test.ts', 'test/unit/preload/**/*.test.ts', 'test/unit/build/**/*.test.ts'],
          environment: 'node',
          // Shell tests mock electron; electron-store must be inlined for the mock to reach its import.
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Real servers and sign-ins: give slow CI machines room.
          testTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/unit/renderer/setup.ts'],
        },
      },
    ],
  },
});
