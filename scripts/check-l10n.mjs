#!/usr/bin/env node
// Fails when l10n/bundle.l10n.json (the English strings of every vscode.l10n.t call, the base
// translators start from) is out of date with src/. `npm run l10n` regenerates it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-l10n-'));
try {
  const cli = path.join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
  execFileSync(process.execPath, [cli, 'export', '-o', tmp, path.join(root, 'src')], { stdio: 'ignore' });
  const fresh = JSON.parse(fs.readFileSync(path.join(tmp, 'bundle.l10n.json'), 'utf8'));
  const committed = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8'));
  const missing = Object.keys(fresh).filter((k) => !(k in committed));
  const stale = Object.keys(committed).filter((k) => !(k in fresh));
  if (missing.length || stale.length) {
    console.error(`l10n/bundle.l10n.json is out of date: run \`npm run l10n\`.`);
    missing.slice(0, 10).forEach((k) => console.error(`  missing: ${k}`));
    stale.slice(0, 10).forEach((k) => console.error(`  no longer used: ${k}`));
    console.log('l10n: 0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`l10n: bundle has all ${Object.keys(fresh).length} strings`);
  console.log('l10n: 1 passed, 0 failed');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
