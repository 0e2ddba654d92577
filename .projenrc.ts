import { JsonFile, cdktf, javascript } from 'projen';

const project = new cdktf.ConstructLibraryCdktf({
  name: 'cdktf-isolation',
  description:
    'CDK for Terraform constructs that choose between VM and container isolation: hardened EC2 Docker hosts, hardened containers, and an advisor that explains the choice.',
  author: 'cdktf-isolation maintainers',
  authorAddress: 'maintainers@users.noreply.example',
  repositoryUrl: 'https://example.invalid/cdktf-isolation.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdktfVersion: '^0.21.0',
  constructsVersion: '^10.4.2',
  minNodeVersion: '20.0.0',
  peerDeps: ['@cdktf/provider-aws@^21.22.1', '@cdktf/provider-docker@^12.0.3'],
  devDeps: ['@cdktf/provider-aws@^21.22.1', '@cdktf/provider-docker@^12.0.3', 'cdktf-cli@^0.21.0', 'fast-check@^4',
    // The PowerShell grammar (tree-sitter-powershell's wasm build, run by web-tree-sitter: no native build) parses every rendered Windows script in the tests.
    'tree-sitter-powershell@^0.26.4', 'web-tree-sitter@~0.26.13'],
  // Non-jsii runtime dependencies are bundled (see DESIGN.md).
  bundledDeps: ['yaml@^2.8.0'],
  keywords: ['cdktf', 'terraform', 'docker', 'ec2', 'isolation', 'cloud-init'],
  github: false,
  release: false,
  docgen: true,
  jestOptions: {
    // Snapshots never update themselves; `npm test` runs jest with --ci.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
    },
  },
  // Source maps as lib/*.js.map files (with the sources inside) instead of
  // inline comments: Node.js keeps every loaded module's source text in
  // memory, and the inline maps were two thirds of lib/ (bench/RESULTS.md).
  tsconfig: {
    compilerOptions: { inlineSourceMap: false, inlineSources: true, sourceMap: true },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: {
    // No --fix inside `npm test`: CI must fail on a fixable error (npx projen eslint:fix fixes them).
    commandOptions: { fix: false },
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
  },
  gitignore: ['cdktf.out/', '.gen/', 'examples/**/cdktf.out/', '.terraform/', '/bench/out/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/'] },
});

// Only `lib/<resource>` modules of the providers may be imported: their package
// roots load every resource of the provider (seconds and hundreds of MB).
const PROVIDER_PATHS = [
  { name: '@cdktf/provider-aws', message: "Import the resource's own module, e.g. '@cdktf/provider-aws/lib/instance'." },
  { name: '@cdktf/provider-docker', message: "Import the resource's own module, e.g. '@cdktf/provider-docker/lib/container'." },
  { name: '@cdktf/provider-aws/lib', message: 'Import a single resource module.' },
  { name: '@cdktf/provider-docker/lib', message: 'Import a single resource module.' },
];
project.eslint?.addRules({
  'no-restricted-imports': ['error', { paths: PROVIDER_PATHS }],
});

// The pure layers (DESIGN.md): the model and its renderers, the policy
// rules and the private helpers import neither cdktf, constructs nor a
// provider, nor the construct layers above them.
const PURE = 'is pure TypeScript (DESIGN.md): no cdktf, constructs or provider import; do that in a construct (hosts/, containers/, apps/, policy/).';
project.eslint?.addOverride({
  files: ['src/core/**/*.ts', 'src/policy/rules/**/*.ts', 'src/private/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [
        ...PROVIDER_PATHS,
        { name: 'cdktf', message: `This module ${PURE}` },
        { name: 'constructs', message: `This module ${PURE}` },
      ],
      patterns: [
        { group: ['cdktf/*', '@cdktf/*', 'constructs/*', 'cdktf-cli', 'cdktf-cli/*'], message: `This module ${PURE}` },
        {
          group: ['**/hosts/*', '**/containers/*', '**/apps/*', '**/isolation-checks', '../isolation-checks', '**/policy/views', '../views', '**/terraform/*'],
          message: `This module ${PURE} It may import core/, policy/rules/ and private/ only.`,
        },
      ],
    }],
  },
});

// No `as any` in src/ (issue 19): a value is typed, or narrowed by a typed
// helper that says why (the policy views' orUnknown). Tests may cast.
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: 'TSAsExpression > TSAnyKeyword', message: 'No `as any` in src/: type the value, or narrow it with a typed helper that says why.' },
      { selector: 'TSTypeAssertion > TSAnyKeyword', message: 'No `<any>` cast in src/: type the value, or narrow it with a typed helper that says why.' },
    ],
  },
});

// The main job: synthesize the example app offline and print the report.
project.addTask('demo', {
  description: 'Synthesize the example app offline and print the isolation report',
  exec: 'ts-node --project examples/tsconfig.json examples/portfolio/demo.ts',
});

project.addTask('rules', {
  description: 'Regenerate RULES.md from the IsolationChecks rules',
  exec: 'ts-node --transpile-only --project test/tsconfig.json -e "process.stdout.write(require(\'./src/policy/rules\').PolicyRules.markdown())" > RULES.md',
});

project.addTask('bench', {
  description: 'Run the benchmarks in bench/ and print their tables',
  exec: 'bash bench/run.sh',
});

// examples/ and bench/ get their own tsconfig, so editors, eslint and
// ts-node see them as part of a project.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', isolatedModules: true },
      include: ['**/*.ts'],
      exclude: ['node_modules', '**/cdktf.out'],
    },
  });
}

// `npm test` lints without --fix, so CI fails on a fixable error instead of
// rewriting it; `npx projen eslint:fix` fixes them on a developer's machine.
const LINT_DIRS = 'src test examples bench projenrc .projenrc.ts';
project.addTask('eslint:fix', {
  description: 'Runs eslint with --fix',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: `eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern ${LINT_DIRS}`,
});

// No task may update snapshots: drop projen's `test:update` (jest --updateSnapshot).
project.tasks.removeTask('test:update');

// lib/index.js loads each module when its export is first read (projenrc/lazy-index.ts):
// a program pays at require() for the constructs it uses, not for all of them.
project.compileTask.exec('ts-node --transpile-only --project projenrc/tsconfig.json projenrc/lazy-index.ts');

// Type-check tests, examples and benchmarks too (ts-jest only transpiles them).
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

project.synth();
