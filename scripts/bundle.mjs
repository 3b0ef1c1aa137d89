// Bundles the Action (dist/index.js) and the CLI (dist/cli.js) from src/ with esbuild.
// CI rebuilds and fails when dist/ differs from what is committed.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (autocannon and friends) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __lgCreateRequire } from 'node:module'; const require = __lgCreateRequire(import.meta.url);",
  },
};

await build({ ...common, entryPoints: ['src/action/index.ts'], outfile: 'dist/index.js' });
await build({
  ...common,
  entryPoints: ['src/cli/index.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node\n' + common.banner.js },
});

// The package entry (`leakgate`) and the test-runner matchers (`leakgate/vitest`, `leakgate/jest`,
// `leakgate/node-test`): self-contained like the CLI, importing only node: built-ins and the runner's own expect.
// Their declarations come from tsc (tsconfig.lib.json, into dist/types/) and types/*.d.ts.
const lib = { ...common, external: ['vitest'] };
await build({ ...lib, entryPoints: ['src/lib/index.ts'], outfile: 'dist/lib.js' });
await build({ ...lib, entryPoints: ['src/lib/node-test.ts'], outfile: 'dist/node-test.js' });
await build({ ...lib, entryPoints: ['src/lib/vitest.ts'], outfile: 'dist/vitest.js' });
await build({ ...lib, entryPoints: ['src/lib/jest.ts'], outfile: 'dist/jest.js' });
// Jest runs CommonJS unless told otherwise: the same matcher for require().
await build({ ...common, banner: {}, format: 'cjs', entryPoints: ['src/lib/jest.ts'], outfile: 'dist/jest.cjs' });
