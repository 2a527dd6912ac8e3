// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [
    {
      name: 'vscode',
      message: 'src/core, src/shared, src/webview and src/sandbox must not import vscode.',
      allowTypeImports: false,
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Type-aware rules: each tsconfig (the root one, src/webview's) types the files it includes.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['test/e2e/fixtures/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A caught `unknown` passed on as it came is not a non-Error reason made up here.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/webview/**/*.ts', 'src/sandbox/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', noVscode] },
  },
  {
    // The activation shell stays light: undici, zod and the core load with the lazy bundles
    // (dist/services.js first; docs/performance.md, B1 and B11).
    files: [
      'src/extension.ts',
      'src/vscode/shell.ts',
      'src/vscode/uriEventHandler.ts',
      'src/vscode/commandIds.ts',
      'src/vscode/util/lifecycle.ts',
      'src/vscode/util/logChannel.ts',
      'src/vscode/lm/toolForwarders.ts',
      'src/vscode/lm/toolNames.ts',
      'src/vscode/notebook/notebookIds.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['zod', 'undici'].map((name) => ({
            name,
            message: 'Keep heavy dependencies out of the activation bundle.',
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: [
                '**/core/**',
                '**/shared/**',
                '**/sandbox/**',
                './services',
                './commandServices',
                './explorerServices',
              ],
              message: 'Only type imports in the activation bundle.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
