// Lint rules that keep the architecture honest: shared/ stays isomorphic (no Node, no DOM),
// and only the Electron shell may import `electron`, so the CLI, the browser host and the
// tests run every service under plain Node.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronShell = ['electron/shell/**'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'coverage/**',
      'test-results/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only the Electron shell (electron/shell/) imports electron; the core and the other faces run under plain Node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ is isomorphic: no electron.' },
            ...nodeModules.map((name) => ({
              name,
              message: 'shared/ is isomorphic: no Node modules (put I/O in electron/services).',
            })),
            ...['better-sqlite3', 'dockerode', 'react', 'react-dom'].map((name) => ({
              name,
              message: 'shared/ is pure: no I/O or UI libraries.',
            })),
          ],
          patterns: [{ group: ['node:*'], message: 'shared/ is isomorphic: no Node modules.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'location',
          'process',
          'Buffer',
          'require',
          '__dirname',
          '__filename',
          'global',
        ].map((name) => ({
          name,
          message: 'shared/ is isomorphic: no Node or DOM globals.',
        })),
      ],
    },
  },
  {
    // The renderer reaches the core only through the contract: no Node, no electron, no
    // services (what it shares with the core comes from shared/).
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'the renderer talks to the core through the contract.' },
            ...nodeModules.map((name) => ({
              name,
              message: 'the renderer runs in a sandboxed page: no Node modules.',
            })),
            ...['better-sqlite3', 'dockerode', 'ws'].map((name) => ({
              name,
              message: 'the renderer does no I/O: ask the core through the contract.',
            })),
          ],
          patterns: [
            {
              group: ['node:*'],
              message: 'the renderer runs in a sandboxed page: no Node modules.',
            },
            {
              group: ['**/electron/**', '**/electron'],
              message: 'the renderer reaches the core only through the contract (shared/contract).',
            },
          ],
        },
      ],
    },
  },
  {
    files: electronShell,
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['electron/**/*.{ts,mjs}', 'test/**/*.{ts,mjs}', '*.{js,mjs,ts}', '.ci/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The renderer's tests run its code in a DOM (happy-dom), with Node for their fixtures.
    files: ['test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
