// ESLint flat config: type-aware rules, and the architecture's boundaries as
// lint rules (the core imports no node: module and never reads a clock or a
// random source; only cli/ and native/ touch the outside world).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CORE = ['src/rt/**', 'src/explore/**', 'src/check/**', 'src/lockdep/**', 'src/kernel/**', 'src/trace/**', 'src/report/**', 'src/scenario/**', 'src/api/**'];
// The generic engine must not know the kernel model.
const GENERIC = ['src/rt/**', 'src/explore/**', 'src/check/**', 'src/lockdep/**', 'src/trace/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'schema/**', '.ci/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Model routines are generators by contract, whether or not this one yields.
      'require-yield': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }],
    },
  },
  {
    files: CORE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'path', 'os', 'child_process', 'worker_threads'].map((name) => ({ name, message: 'The core is pure: I/O lives in cli/ and native/.' })),
          patterns: [{ group: ['node:*'], message: 'The core is pure: I/O lives in cli/ and native/.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core is pure.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Randomness comes from a seeded source.' },
        { object: 'Date', property: 'now', message: 'The core reads no clock.' },
        { object: 'performance', property: 'now', message: 'The core reads no clock.' },
      ],
    },
  },
  {
    files: GENERIC,
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/kernel/**', 'node:*'], message: 'The generic engine knows threads, objects, locks and references, not the kernel model (and does no I/O).' },
      ] }],
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', '*.config.*'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly' } } },
  // Tool configuration files are loaded by their tools through a default export.
  { files: ['*.config.*'], rules: { 'no-restricted-syntax': 'off' } },
);
