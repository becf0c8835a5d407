/**
 * What the content checker's parts share: a problem's shape and small file-system helpers.
 * Node only, no `vscode`. The checker's entry is ./contentCheck.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface Problem {
  /** Relative to the extension root. */
  where: string;
  message: string;
}

export const posix = (p: string) => p.split(path.sep).join('/');

export function rel(root: string, p: string): string {
  return posix(path.relative(root, p)) || '.';
}

export function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function subdirs(p: string): string[] {
  return isDir(p) ? fs.readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
}

/** The parsed JSON of a file, or `{ __error }` saying why it could not be read. */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { __error: error instanceof Error ? error.message : String(error) };
  }
}
