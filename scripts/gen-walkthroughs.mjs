// Generates `contributes.walkthroughs` in package.json from walkthroughs/<folder>/ and the
// exercise manifests (src/core/walkthroughGen.ts; format in docs/exercise-format.md).
//
//   npm run gen:walkthroughs                   writes package.json (only contributes.walkthroughs)
//   node scripts/gen-walkthroughs.mjs --check  exits 1 when package.json is out of date
// Options: --exercises DIR  --walkthroughs DIR  --package FILE  (defaults: the repository's)
//          --force          write even when the sources have problems
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles src/course/contentCheck.ts (and what it imports) with esbuild and loads it. */
export async function loadContentModule() {
  const result = await esbuild.build({
    entryPoints: [path.join(repoRoot, 'src', 'course', 'contentCheck.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(os.tmpdir(), `flask-tutor-content-${process.pid}-${Date.now()}.cjs`);
  fs.writeFileSync(file, result.outputFiles[0].text);
  try {
    return createRequire(import.meta.url)(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export function option(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) {
    console.error(`${name} needs a value`);
    process.exit(2);
  }
  return value;
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const force = args.includes('--force');
  const exercisesDir = path.resolve(option(args, '--exercises', path.join(repoRoot, 'exercises')));
  const walkthroughsDir = path.resolve(option(args, '--walkthroughs', path.join(repoRoot, 'walkthroughs')));
  const packageFile = path.resolve(option(args, '--package', path.join(repoRoot, 'package.json')));

  const content = await loadContentModule();
  const gen = content.generateFromDisk(repoRoot, exercisesDir, walkthroughsDir);
  for (const p of gen.problems) console.error(`${p.file}: ${p.message}`);
  const steps = gen.walkthroughs.reduce((n, w) => n + w.steps.length, 0);
  const summary = `${gen.walkthroughs.length} walkthrough(s), ${steps} step(s)`;

  // Read package.json right before comparing/writing: other tools edit it too.
  const text = fs.readFileSync(packageFile, 'utf8');
  const upToDate = content.walkthroughsUpToDate(JSON.parse(text), gen.walkthroughs);
  if (check) {
    if (!upToDate) {
      console.error(`walkthroughs: ${path.relative(repoRoot, packageFile)} contributes.walkthroughs is out of date: run \`npm run gen:walkthroughs\``);
      process.exit(1);
    }
    console.log(`walkthroughs: up to date (${summary})`);
    process.exit(gen.problems.length ? 1 : 0);
  }
  if (gen.problems.length && !force) {
    console.error(`walkthroughs: ${gen.problems.length} problem(s); package.json not written (--force writes anyway)`);
    process.exit(1);
  }
  if (upToDate) {
    console.log(`walkthroughs: already up to date (${summary})`);
    return;
  }
  const fresh = fs.readFileSync(packageFile, 'utf8');
  fs.writeFileSync(packageFile, content.withWalkthroughs(fresh, gen.walkthroughs));
  console.log(`walkthroughs: wrote ${summary} to ${path.relative(repoRoot, packageFile)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
