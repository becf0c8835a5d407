// Bundles the extension (and, later, the language server) with esbuild.
//   node scripts/build.mjs               development build with sourcemaps
//   node scripts/build.mjs --production  minified, no sourcemaps (what the .vsix ships)
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** One entry per bundle. */
const bundles = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  // Loaded only when a Flask file opens (src/lsp/startClient.ts), so activation stays small.
  { entryPoints: ['src/lsp/client.ts'], outfile: 'dist/lspClient.js' },
  // The language server, its own process; the tree-sitter WASM files are copied beside it.
  { entryPoints: ['src/lsp/server.ts'], outfile: 'dist/server.js' },
];

/** The WASM runtime of web-tree-sitter and the Python grammar, next to dist/server.js. */
const WASM = ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm'];
mkdirSync('dist', { recursive: true });
for (const file of WASM) copyFileSync(file, join('dist', basename(file)));

/** Prints esbuild's problems in the `file:line:col: error: text` form VS Code's matchers read. */
const problemReporter = {
  name: 'problem-reporter',
  setup(build) {
    build.onStart(() => console.log('[build] started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`${location?.file}:${location?.line}:${location?.column}: error: ${text}`);
      }
      console.log(`[build] finished with ${result.errors.length} error(s)`);
    });
  },
};

const contexts = await Promise.all(
  bundles.map((b) =>
    esbuild.context({
      ...b,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      external: ['vscode'],
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
      logLevel: 'silent',
      metafile: true,
      plugins: [problemReporter],
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  let failed = false;
  for (const c of contexts) {
    const result = await c.rebuild().catch(() => ({ errors: [1] }));
    if (result.errors.length) failed = true;
    await c.dispose();
  }
  process.exit(failed ? 1 : 0);
}
