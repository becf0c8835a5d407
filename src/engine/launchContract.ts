/**
 * The launch contract: how the extension starts a verify and what crosses that process boundary,
 * for both paths. Cold: one process per run (`[python _supervisor.py] python -m pytest …`, the
 * environment below, the secret on descriptor 3). Warm (Linux): a long-lived worker per
 * interpreter (`python _worker.py --idle S`) takes `run` requests as JSON lines on its stdin and
 * forks, per run, a supervisor and a pytest child that get the same argv, environment, secret
 * descriptor and working directory as a cold run. The events the run sends stay verify protocol 2
 * (src/core/protocol.ts).
 *
 * Mirrored by python/flask_tutor_pytest/_launch.py; documented in docs/worker-protocol.md. Change
 * both together and bump LAUNCH_VERSION on any incompatible change.
 */
import * as path from 'path';

export const LAUNCH_VERSION = 1;

/** The descriptor carrying the run's secret (Linux; elsewhere `ENV.secret`). */
export const SECRET_FD = 3;

/** Environment variables of a run (docs/verify-protocol.md, "How the extension starts a run"). */
export const ENV = {
  events: 'FLASK_TUTOR_EVENTS',
  appDir: 'FLASK_TUTOR_APP_DIR',
  app: 'FLASK_TUTOR_APP',
  checkTimeout: 'FLASK_TUTOR_CHECK_TIMEOUT',
  coverage: 'FLASK_TUTOR_COVERAGE',
  secretFd: 'FLASK_TUTOR_SECRET_FD',
  secret: 'FLASK_TUTOR_SECRET',
  writable: 'FLASK_TUTOR_WRITABLE',
  hardExit: 'FLASK_TUTOR_HARD_EXIT',
  stackFile: 'FLASK_TUTOR_STACK_FILE',
  outerProtection: 'FLASK_TUTOR_OUTER_PROTECTION',
  passFds: 'FLASK_TUTOR_PASS_FDS',
} as const;

/** The scripts of the plugin folder that the extension starts (relative to `flask_tutor_pytest/`). */
export const SUPERVISOR_SCRIPT = '_supervisor.py';
export const WORKER_SCRIPT = '_worker.py';

/** The command line after the interpreter (`-m pytest …`). Exposed for the debug profile and the tests. */
export function pytestArgs(options: { pluginDir: string; checksDir: string; selection?: readonly string[] }): string[] {
  const targets = options.selection?.length
    ? options.selection.map((key) => path.join(options.checksDir, key))
    : [options.checksDir];
  return [
    '-m', 'pytest',
    '-p', 'flask_tutor_pytest',
    '-p', 'no:cacheprovider',
    '-q', '--no-header', '-rN', '--color=no',
    // Check files are imported by path under unique names: a learner module with a check
    // file's name can never be collected or imported in its place.
    '--import-mode=importlib',
    '--rootdir', options.checksDir,
    '-c', path.join(options.pluginDir, 'flask_tutor_pytest', 'pytest.ini'),
    ...targets,
  ];
}

// The warm worker's messages: JSON lines, one object per line.

/** extension → worker: run pytest (`argv` is what follows `-m pytest`) in `cwd` with exactly `env`. */
export interface WorkerRunRequest {
  type: 'run';
  id: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** The run's secret; the child writes it to a pipe on SECRET_FD. The worker keeps no copy. */
  secret: string | null;
}
export interface WorkerQuitRequest {
  type: 'quit';
}
export type WorkerRequest = WorkerRunRequest | WorkerQuitRequest;

export type WorkerMessage =
  | { type: 'ready'; v: number; pid: number; python: string; preloaded: string[]; threads: number; sitedirs: string[] }
  /** The run's supervisor started; it leads its own process group (kill(-pid) ends the run). */
  | { type: 'started'; id: number; pid: number }
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; text: string }
  /** The supervisor ended (its exit code, or the signal that ended it). */
  | { type: 'exit'; id: number; code: number | null; signal: string | null }
  /** The run's stdout and stderr reached their end. */
  | { type: 'closed'; id: number }
  /** No child was started: the extension runs it cold. */
  | { type: 'refused'; id: number; reason: string };

/** Parses one line from the worker; undefined for anything that is not a message of this version. */
export function parseWorkerMessage(line: string): WorkerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return m.v === LAUNCH_VERSION && typeof m.pid === 'number' ? (m as unknown as WorkerMessage) : undefined;
    case 'started':
      return typeof m.id === 'number' && typeof m.pid === 'number' ? (m as unknown as WorkerMessage) : undefined;
    case 'output':
      return typeof m.id === 'number' && typeof m.text === 'string' && (m.stream === 'stdout' || m.stream === 'stderr') ? (m as unknown as WorkerMessage) : undefined;
    case 'exit':
    case 'closed':
    case 'refused':
      return typeof m.id === 'number' ? (m as unknown as WorkerMessage) : undefined;
    default:
      return undefined;
  }
}
