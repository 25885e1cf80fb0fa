import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only src-main/shell/ and the preload may import electron; the core runs in plain Node.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/shell/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell] },
  },
  {
    // Provider modules are registered in the composition root and injected: the layers they plug into never import them.
    files: ['src-main/{audit,connections,consent,credentials,offboarding,oauth,net}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...electronOnlyInShell, patterns: [{ group: ['**/providers/**'], message: 'Take provider knowledge as an injected port; only the composition root imports the provider registry.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInShell,
          patterns: [
            { group: ['node:*'], message: 'The renderer is a sandboxed web page: no Node modules.' },
            { group: ['**/src-main/**'], message: 'The renderer talks to main only through the contract (src-shared/contract) and the client (src-preload/client.ts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    ignores: ['src-preload/index.ts'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell] },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInShell,
          patterns: [
            { group: ['node:*'], message: 'src-shared is read by the renderer too: no Node modules.' },
            { group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**'], message: 'src-shared is the bottom layer: it imports nothing of the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInShell,
          patterns: [
            { group: ['zod', 'node:*', '../contract/**', '**/src-main/**', '**/src-renderer/**', '**/src-preload/**'], message: 'The domain is plain data every layer shares: no schemas, no other module.' },
          ],
        },
      ],
    },
  },
);
