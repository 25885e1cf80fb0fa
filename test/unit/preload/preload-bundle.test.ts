import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../../../src-preload/index.ts', import.meta.url));

describe('the preload bundle', () => {
  test('carries channel names only, not the schema library: a few kilobytes', { timeout: 30_000 }, async () => {
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, lib: { entry, formats: ['cjs'], fileName: 'preload' }, rolldownOptions: { external: ['electron'] } },
    })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    const [output] = Array.isArray(result) ? result : [result];
    const code = output!.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('');
    expect(code).not.toMatch(/zod|ZodError|safeParse/);
    expect(code).toContain('"grants.revoke"');
    expect(Buffer.byteLength(code)).toBeLessThan(8_000);
  });
});
