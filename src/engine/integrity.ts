/**
 * The checks and the plugin a run executes are copies verified against the hashes recorded when
 * the extension was packaged (dist/integrity.json, written by scripts/integrity.mjs with the same
 * rules): learner code that rewrote the installed checks in an earlier run cannot make a later one
 * pass. Node only. See docs/verify-protocol.md, "Threat model".
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** dist/integrity.json: sha256 of every check file and plugin file, written by `npm run package`. */
export interface IntegrityManifest {
  version: 1;
  /** Paths relative to the extension root, `/`-separated → hex sha256. */
  files: Record<string, string>;
}

export const INTEGRITY_FILE = path.join('dist', 'integrity.json');

const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

/** Files of a folder, recursively, `/`-separated relative paths (caches and bytecode skipped). */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc') || entry.name === '.pytest_cache') continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The manifest of an extension folder: every file under python/flask_tutor_pytest and exercises/<x>/<y>/checks. */
export function integrityManifest(root: string): IntegrityManifest {
  const files: Record<string, string> = {};
  const add = (rel: string) => (files[rel] = sha256(fs.readFileSync(path.join(root, rel))));
  for (const f of listFiles(path.join(root, 'python', 'flask_tutor_pytest'))) add(`python/flask_tutor_pytest/${f}`);
  const exercises = path.join(root, 'exercises');
  if (fs.existsSync(exercises)) {
    for (const f of listFiles(exercises)) if (/^[^/]+\/[^/]+\/checks\//.test(f)) add(`exercises/${f}`);
  }
  return { version: 1, files };
}

/**
 * Copies `src` to `dest`, verifying each file against the manifest of the extension folder it
 * belongs to (when that folder has one: a development checkout has none). Returns the first
 * problem, or undefined. A file the manifest does not know, or one whose content changed, is a
 * problem: the checks must be exactly what was shipped.
 */
export function copyVerified(src: string, dest: string): string | undefined {
  let root: string | undefined;
  for (let d = path.resolve(src); path.dirname(d) !== d; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, INTEGRITY_FILE))) {
      root = d;
      break;
    }
  }
  let manifest: IntegrityManifest | undefined;
  if (root) {
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(root, INTEGRITY_FILE), 'utf8')) as IntegrityManifest;
    } catch {
      return `${path.join(root, INTEGRITY_FILE)} cannot be read`;
    }
  }
  fs.mkdirSync(dest, { recursive: true });
  const files = listFiles(src);
  for (const rel of files) {
    const data = fs.readFileSync(path.join(src, rel));
    if (manifest && root) {
      const key = path.relative(root, path.join(src, rel)).split(path.sep).join('/');
      const want = manifest.files[key];
      if (want === undefined) return `${key} is not part of the installed extension (added after it was installed)`;
      if (want !== sha256(data)) return `${key} was changed after the extension was installed`;
    }
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.writeFileSync(path.join(dest, rel), data);
  }
  if (manifest && root) {
    // A shipped check file that was deleted is tampering too.
    const prefix = path.relative(root, src).split(path.sep).join('/') + '/';
    const present = new Set(files.map((rel) => prefix + rel));
    const gone = Object.keys(manifest.files).find((key) => key.startsWith(prefix) && !present.has(key));
    if (gone) return `${gone} was removed after the extension was installed`;
  }
  return undefined;
}
