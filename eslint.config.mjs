// ESLint with typescript-eslint's recommended rules (no type information: fast enough for every commit).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'cdktf.out/**', 'node_modules/**', '.tools/**', 'test/fixtures/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The library reports through errors and Annotations, never the console.
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Known debt: untyped JSON of synthesized stacks and chart values in the library (see docs/architecture.md).
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Command-line entry points print to the terminal.
    files: ['main.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read synthesized Terraform JSON and rendered objects as plain data, and load modules afresh.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
