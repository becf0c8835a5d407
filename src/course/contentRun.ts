/**
 * One run of an exercise's checks against a tree (the starter, the solution, a variant, a
 * mutant), through the same engine as Verify, and the interpreter probe. Node only, no `vscode`;
 * part of ./contentCheck.ts.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { judgeProbe, PROBE_SCRIPT } from '../core/pythonProbe';
import { CheckVerdict, RunResults } from '../core/results';
import { Exercise, readCheckFiles } from '../engine/catalog';
import { runPytest } from '../engine/pytestRun';

export interface TreeRun {
  /** Verdict per check key. */
  verdicts: CheckVerdict[];
  appError?: string;
  endReason: string;
  ms: number;
}

export interface TreeVerdict {
  name: string;
  /** Undefined when it did what it must (a mutant caught, a variant passing). */
  problem?: string;
  /** Why it was not run here (its libraries are not installed). */
  skipped?: string;
}

export interface GoldenResult {
  id: string;
  starter?: TreeRun;
  solution?: TreeRun;
  mutants?: TreeVerdict[];
  variants?: TreeVerdict[];
  ms: number;
  problems: string[];
}

export interface GoldenOptions {
  python: string;
  pluginDir: string;
  /** Exercises run at once (default 2). */
  jobs?: number;
  checkTimeoutSec?: number;
  runTimeoutSec?: number;
  onResult?: (result: GoldenResult) => void;
  /** The interpreter's distributions (name → version): a mutant or variant needing more is skipped. */
  installed?: Readonly<Record<string, string>>;
  /** Environment of the checks (undefined removes a variable). `DATABASE_URL` is removed unless given
   * here: the golden path runs on SQLite whatever the shell exports (see ./contentPostgres.ts). */
  env?: Record<string, string | undefined>;
}

export function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0].slice(0, 200);
}

/**
 * Runs an exercise's checks against a copy of `sourceDir` (the starter, the solution, a variant),
 * after `prepare` changed the copy (a mutant's overlay).
 */
export async function runTree(exercise: Exercise, sourceDir: string, options: GoldenOptions, prepare?: (appDir: string) => void): Promise<TreeRun> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-golden-'));
  const appDir = path.join(tmp, exercise.id);
  try {
    fs.cpSync(sourceDir, appDir, { recursive: true, filter: (src) => !/(^|[\\/])(mutant|variant)\.json$/.test(src) });
    prepare?.(appDir);
    const keys = readCheckFiles(exercise).flatMap((f) => f.checks.map((c) => `${f.name}::${c.name}`));
    const results = new RunResults();
    const handle = runPytest({
      python: options.python,
      pluginDir: options.pluginDir,
      checksDir: exercise.checksDir,
      appDir,
      appTarget: exercise.app,
      checkTimeoutSec: options.checkTimeoutSec ?? 10,
      runTimeoutSec: options.runTimeoutSec ?? 120,
      env: { DATABASE_URL: undefined, ...options.env },
      onEvent: (event) => results.add(event),
    });
    const end = await handle.done;
    const reason = end.reason.kind === 'completed' ? 'completed' : `${end.reason.kind}${'detail' in end.reason ? `: ${end.reason.detail}` : ''}`;
    return {
      verdicts: results.verdicts(keys, end.reason),
      appError: results.appError ? `${results.appError.code}: ${firstLine(results.appError.message)}` : undefined,
      endReason: reason,
      ms: Date.now() - started,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Checks that `python` can run the checks, with the same probe and verdicts as the extension. */
export function probePython(python: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE_SCRIPT], { timeout: 20000 }, (error, stdout) => {
      const notFound = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      const verdict = judgeProbe(python, stdout, notFound ? 'not found' : undefined);
      resolve(verdict.ok ? undefined : `${python} cannot run the checks: ${verdict.message}`);
    });
  });
}
