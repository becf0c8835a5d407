/**
 * File operations on a learner's exercise folder: copying the starter without ever
 * overwriting, timestamped backups, restoring a tree. Node only (no `vscode`), so the unit
 * tests run it on temporary folders.
 */
import { createHash } from 'crypto';
import { constants as fsConstants, promises as fsp } from 'fs';
import * as path from 'path';
import { MARKER_FILE } from '../core/manifest';

/** Backups live inside the exercise folder: `.flasktutor-backups/<timestamp>/`. */
export const BACKUP_DIR = '.flasktutor-backups';

/**
 * Folders that are never the learner's work: never backed up, never deleted by a reset or a
 * restore (a `.venv` inside the exercise folder must survive a reset).
 */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  BACKUP_DIR,
  '.venv',
  'venv',
  '.git',
  'node_modules',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
]);

/** Regular files under `root`, as sorted `/`-separated relative paths (symlinks are skipped). */
export async function listFiles(root: string, options: { skipMarker?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(path.join(dir, entry.name), relPath);
      } else if (entry.isFile()) {
        if (entry.name.endsWith('.pyc')) continue;
        if (options.skipMarker && relPath === MARKER_FILE) continue;
        out.push(relPath);
      }
    }
  };
  await walk(root, '');
  return out.sort();
}

/**
 * A content hash of the learner's work in an exercise folder: every file `listFiles` sees except
 * the marker and data the app writes (`instance/`, SQLite files). Two verifies with the same
 * fingerprint judged the same code.
 */
export async function fingerprint(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of await listFiles(root, { skipMarker: true })) {
    if (rel.startsWith('instance/') || /\.(db|sqlite3?|db-journal|log)$/.test(rel)) continue;
    const file = path.join(root, rel);
    const stat = await fsp.stat(file);
    hash.update(`${rel}\0${stat.size}\0`);
    // Big files (uploads, fixtures) by size and time; code by content.
    if (stat.size <= 2 * 1024 * 1024) hash.update(await fsp.readFile(file));
    else hash.update(String(stat.mtimeMs));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface CopyResult {
  copied: string[];
  /** Files that already existed at the destination and were left as they were. */
  kept: string[];
}

/**
 * Copies every file of `source` into `dest`, never overwriting: an existing file is kept
 * (`COPYFILE_EXCL`, so even a file created meanwhile is not replaced).
 */
export async function copyNoOverwrite(source: string, dest: string): Promise<CopyResult> {
  const result: CopyResult = { copied: [], kept: [] };
  for (const rel of await listFiles(source, { skipMarker: true })) {
    const target = path.join(dest, ...rel.split('/'));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    try {
      await fsp.copyFile(path.join(source, ...rel.split('/')), target, fsConstants.COPYFILE_EXCL);
      result.copied.push(rel);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.kept.push(rel);
    }
  }
  return result;
}

/** Writes a file only if it does not exist; returns false when it existed. */
export async function writeNew(file: string, text: string): Promise<boolean> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  try {
    await fsp.writeFile(file, text, { encoding: 'utf8', flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** `2025-11-22T09-05-03Z`: an ISO time that is a valid folder name everywhere. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** The ISO time back from a backup folder name (`2025-11-22T09-05-03Z` or `…Z-2`). */
export function parseBackupStamp(name: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z(?:-\d+)?$/.exec(name);
  if (!m) return undefined;
  const date = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface Backup {
  name: string;
  dir: string;
  date: Date;
  files: string[];
}

/** Copies the learner's files (not the marker, not SKIP_DIRS) to a new timestamped backup. */
export async function createBackup(folder: string, now: Date = new Date()): Promise<Backup> {
  const files = await listFiles(folder, { skipMarker: true });
  const base = path.join(folder, BACKUP_DIR);
  await fsp.mkdir(base, { recursive: true });
  const stamp = backupStamp(now);
  let name = stamp;
  for (let n = 2; ; n++) {
    try {
      await fsp.mkdir(path.join(base, name));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      name = `${stamp}-${n}`;
    }
  }
  const dir = path.join(base, name);
  for (const rel of files) {
    const target = path.join(dir, ...rel.split('/'));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.copyFile(path.join(folder, ...rel.split('/')), target, fsConstants.COPYFILE_EXCL);
  }
  return { name, dir, date: parseBackupStamp(name) ?? now, files };
}

/** The folder's backups, newest first. */
export async function listBackups(folder: string): Promise<Backup[]> {
  const base = path.join(folder, BACKUP_DIR);
  let entries;
  try {
    entries = await fsp.readdir(base, { withFileTypes: true });
  } catch {
    return [];
  }
  const backups: Backup[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const date = parseBackupStamp(entry.name);
    if (!date) continue;
    const dir = path.join(base, entry.name);
    backups.push({ name: entry.name, dir, date, files: await listFiles(dir, { skipMarker: true }) });
  }
  return backups.sort((a, b) => b.date.getTime() - a.date.getTime() || b.name.localeCompare(a.name, 'en', { numeric: true }));
}

/**
 * Makes the learner's files in `folder` equal to those of `source` (the starter, or a backup):
 * files of `source` are written, the learner's other files are removed. The marker, backups and
 * SKIP_DIRS are left alone. Callers back up first.
 */
export async function restoreTree(source: string, folder: string): Promise<{ written: string[]; removed: string[] }> {
  const wanted = await listFiles(source, { skipMarker: true });
  const present = await listFiles(folder, { skipMarker: true });
  const wantedSet = new Set(wanted);
  const removed: string[] = [];
  for (const rel of present) {
    if (wantedSet.has(rel)) continue;
    await fsp.rm(path.join(folder, ...rel.split('/')), { force: true });
    removed.push(rel);
  }
  for (const rel of wanted) {
    const target = path.join(folder, ...rel.split('/'));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.copyFile(path.join(source, ...rel.split('/')), target);
  }
  await removeEmptyDirs(folder, true);
  return { written: wanted, removed };
}

async function removeEmptyDirs(dir: string, isRoot: boolean): Promise<boolean> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const entry of entries) {
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) {
      if (!(await removeEmptyDirs(path.join(dir, entry.name), false))) empty = false;
    } else {
      empty = false;
    }
  }
  if (empty && !isRoot) {
    await fsp.rmdir(dir).catch(() => undefined);
    return true;
  }
  return false;
}

/** Files whose bytes differ between two trees (present in `a`), for "compare with solution". */
export async function differingFiles(a: string, b: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await listFiles(a, { skipMarker: true })) {
    const [x, y] = await Promise.all([
      fsp.readFile(path.join(a, ...rel.split('/'))),
      fsp.readFile(path.join(b, ...rel.split('/'))).catch(() => undefined),
    ]);
    if (!y || !x.equals(y)) out.push(rel);
  }
  return out;
}
