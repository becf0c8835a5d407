// dist/integrity.json: the sha256 of every file the checks run from (the plugin and each
// exercise's checks/), written by `npm run package` so the engine can refuse check files that
// changed after the extension was installed (src/engine/pytestRun.ts, copyVerified). The same
// rules as integrityManifest() there; test/engine/integrity.test.ts proves both agree.
//   node scripts/integrity.mjs [ROOT]   writes ROOT/dist/integrity.json
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc') || entry.name === '.pytest_cache') continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export function integrityManifest(root) {
  const files = {};
  const add = (rel) => (files[rel] = createHash('sha256').update(fs.readFileSync(path.join(root, rel))).digest('hex'));
  for (const f of listFiles(path.join(root, 'python', 'flask_tutor_pytest'))) add(`python/flask_tutor_pytest/${f}`);
  const exercises = path.join(root, 'exercises');
  if (fs.existsSync(exercises)) for (const f of listFiles(exercises)) if (/^[^/]+\/[^/]+\/checks\//.test(f)) add(`exercises/${f}`);
  return { version: 1, files };
}

export function writeIntegrity(root) {
  const manifest = integrityManifest(root);
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'integrity.json'), JSON.stringify(manifest) + '\n');
  return Object.keys(manifest.files).length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  console.log(`integrity: ${writeIntegrity(root)} file hashes in dist/integrity.json`);
}
