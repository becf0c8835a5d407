// `npm run package`: production bundle, then flask-backend-tutor.vsix (offline, no dependency
// scan: esbuild bundles the dependencies; .vscodeignore decides what ships).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const vsixPath = path.join(repoRoot, 'flask-backend-tutor.vsix');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${path.basename(args[0] ?? command)} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

run(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--production']);
// The hashes the engine checks the checks against (after the build: it may clean dist/).
run(process.execPath, [path.join(repoRoot, 'scripts', 'integrity.mjs'), repoRoot]);
// Production builds write no sourcemap: drop a stale one from a development build.
fs.rmSync(path.join(repoRoot, 'dist', 'extension.js.map'), { force: true });
fs.rmSync(vsixPath, { force: true });
run(process.execPath, [
  path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'),
  // README images are shipped (docs/images) and stay relative: no repository URL to rewrite them to.
  'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsixPath,
]);
// The manifest belongs in the .vsix only: in this checkout the check files keep changing, and a
// stale manifest would make every later verify refuse them.
fs.rmSync(path.join(repoRoot, 'dist', 'integrity.json'), { force: true });
const kib = (fs.statSync(vsixPath).size / 1024).toFixed(1);
console.log(`package: ${path.relative(process.cwd(), vsixPath) || vsixPath} (${kib} KiB)`);
