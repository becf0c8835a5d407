/**
 * Runs our checks with the learner's Python: one pytest process per run, loading our plugin
 * with `-p flask_tutor_pytest`, events streamed back over a loopback socket (protocol v1).
 * Node only (no `vscode` import): the Test Explorer adapter, the content checker and the
 * benchmark all use it. The process tree is always ended: on cancel, on timeout, on dispose.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { LineSplitter, parseEventLine, VerifyEvent } from '../core/protocol';
import type { EndReason } from '../core/results';

export interface PytestRunOptions {
  python: string;
  /** Folder holding the `flask_tutor_pytest` package (the extension's `python/`). */
  pluginDir: string;
  checksDir: string;
  /** The learner's exercise folder. */
  appDir: string;
  /** Check keys (`test_x.py::test_a`) to run; all checks when empty or undefined. */
  selection?: readonly string[];
  /** `module:attr` from the manifest, when the app is not found by convention. */
  appTarget?: string;
  checkTimeoutSec?: number;
  runTimeoutSec?: number;
  /** Where the plugin writes line coverage of the learner's files (JSON), if wanted. */
  coverageFile?: string;
  env?: Record<string, string | undefined>;
  onEvent?: (event: VerifyEvent) => void;
  /** Human-readable stdout/stderr of pytest, as it comes. */
  onOutput?: (text: string) => void;
}

export interface PytestRunEnd {
  reason: EndReason;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  protocolErrors: string[];
  stderrTail: string;
  durationMs: number;
}

export interface PytestRunHandle {
  /** Resolves when the run is over: its process group ended, its temporary folder removed. */
  readonly done: Promise<PytestRunEnd>;
  /** Ends the run and its whole process tree (within ~1.5 s). */
  cancel(): void;
}

const KILL_GRACE_MS = 1000;
const DRAIN_MS = 500;

/** The command line, without the interpreter. Exposed for the debug profile and the tests. */
export function pytestArgs(options: Pick<PytestRunOptions, 'pluginDir' | 'checksDir' | 'selection'>): string[] {
  const targets = options.selection?.length
    ? options.selection.map((key) => path.join(options.checksDir, key))
    : [options.checksDir];
  return [
    '-m', 'pytest',
    '-p', 'flask_tutor_pytest',
    '-p', 'no:cacheprovider',
    '-q', '--no-header', '-rN', '--color=no',
    '--rootdir', options.checksDir,
    '-c', path.join(options.pluginDir, 'flask_tutor_pytest', 'pytest.ini'),
    ...targets,
  ];
}

/** The environment of a run (without the events address). */
export function pytestEnv(options: PytestRunOptions, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  // Never write __pycache__ into the learner's folder or the extension's checks.
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONIOENCODING = 'utf-8:backslashreplace';
  env.PYTHONPATH = [options.pluginDir, base.PYTHONPATH].filter(Boolean).join(path.delimiter);
  env.FLASK_TUTOR_APP_DIR = options.appDir;
  // The learner's own shell settings and installed pytest plugins (pytest-flask,
  // pytest-randomly, …) must not change what the checks see: only our plugin is loaded.
  env.PYTEST_DISABLE_PLUGIN_AUTOLOAD = '1';
  delete env.PYTEST_ADDOPTS;
  delete env.PYTEST_PLUGINS;
  if (options.appTarget) env.FLASK_TUTOR_APP = options.appTarget;
  if (options.checkTimeoutSec) env.FLASK_TUTOR_CHECK_TIMEOUT = String(options.checkTimeoutSec);
  if (options.coverageFile) env.FLASK_TUTOR_COVERAGE = `file:${options.coverageFile}`;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-child.pid, signal); // the whole process group (spawned detached)
    }
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export function runPytest(options: PytestRunOptions): PytestRunHandle {
  const started = Date.now();
  const protocolErrors: string[] = [];
  let stderrTail = '';
  let ending: EndReason | undefined;
  let child: ChildProcess | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let cancelled = false;

  const stop = (reason: EndReason) => {
    // Too late once pytest has exited: the run completed, whatever comes after.
    if (ending || !child || child.exitCode !== null || child.signalCode !== null) return;
    ending = reason;
    killTree(child, 'SIGTERM');
    killTimer = setTimeout(() => child && killTree(child, 'SIGKILL'), KILL_GRACE_MS);
  };

  const events = new EventServer(options.onEvent, protocolErrors);

  const done = new Promise<PytestRunEnd>((resolve) => {
    void events.listen().then((address) => {
      if (cancelled) {
        events.close();
        resolve({ reason: { kind: 'cancelled' }, exitCode: null, signal: null, protocolErrors, stderrTail, durationMs: Date.now() - started });
        return;
      }
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-run-'));
      const env = pytestEnv(options);
      env.FLASK_TUTOR_EVENTS = address;
      child = spawn(options.python, pytestArgs(options), {
        cwd,
        env,
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const runTimer = options.runTimeoutSec
        ? setTimeout(() => stop({ kind: 'timeout', seconds: options.runTimeoutSec! }), options.runTimeoutSec * 1000)
        : undefined;
      child.stdout?.setEncoding('utf8');
      child.stderr?.setEncoding('utf8');
      child.stdout?.on('data', (text: string) => options.onOutput?.(text));
      child.stderr?.on('data', (text: string) => {
        stderrTail = (stderrTail + text).slice(-4000);
        options.onOutput?.(text);
      });
      let spawnError: Error | undefined;
      child.on('error', (error) => {
        spawnError = error;
      });
      // 'exit' comes when pytest ends; 'close' only when every holder of its stdout/stderr has
      // ended too, and a process the learner's code started holds them. So: on exit, end the
      // rest of the process group, then wait (bounded) for the pipes.
      let exited: { exitCode: number | null; signal: NodeJS.Signals | null } | undefined;
      let closed = false;
      const onClosed = () => {
        if (closed) return;
        closed = true;
        const { exitCode, signal } = exited ?? { exitCode: child?.exitCode ?? null, signal: child?.signalCode ?? null };
        if (runTimer) clearTimeout(runTimer);
        if (killTimer) clearTimeout(killTimer);
        // Let the socket deliver what is still in flight, but never wait long.
        void events.drained().then(() => {
          let reason: EndReason = ending ?? { kind: 'completed' };
          if (!ending && spawnError) reason = { kind: 'crashed', detail: `could not start ${options.python}: ${spawnError.message}` };
          else if (!ending && exitCode !== null && exitCode > 1 && exitCode !== 5) {
            const last = stderrTail.trim().split('\n').slice(-3).join(' ').trim();
            reason = { kind: 'crashed', detail: `pytest exited with code ${exitCode}${last ? `: ${last}` : ''}` };
          } else if (!ending && signal) reason = { kind: 'crashed', detail: `Python was ended by ${signal}` };
          if (protocolErrors.length && reason.kind === 'completed') reason = { kind: 'protocol', detail: protocolErrors[0] };
          // Resolve once the run's folder is gone: when `done` resolves, nothing of the run is left.
          const end = { reason, exitCode, signal, protocolErrors, stderrTail };
          fs.rm(cwd, { recursive: true, force: true, maxRetries: 3 }, () => resolve({ ...end, durationMs: Date.now() - started }));
        });
      };
      child.on('exit', (exitCode, signal) => {
        exited = { exitCode, signal };
        if (process.platform !== 'win32' && child?.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL'); // whatever the learner's code left running
          } catch {
            /* nothing left: the usual case */
          }
        }
        setTimeout(() => {
          child?.stdout?.destroy();
          child?.stderr?.destroy();
          onClosed();
        }, DRAIN_MS);
      });
      child.on('close', onClosed);
      child.on('error', () => {
        if (child?.pid === undefined) onClosed(); // never started: no exit event will come
      });
    });
  });

  return {
    done,
    cancel: () => {
      cancelled = true;
      stop({ kind: 'cancelled' });
    },
  };
}

/**
 * The loopback server the plugin streams its events to (`FLASK_TUTOR_EVENTS=tcp:127.0.0.1:PORT`).
 * Separate from the process so that a debug session, which the debugger launches, can use it too.
 */
export class EventServer {
  private readonly server = net.createServer();
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly onEvent: ((event: VerifyEvent) => void) | undefined,
    readonly protocolErrors: string[] = [],
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.setEncoding('utf8');
      const splitter = new LineSplitter();
      const handle = (line: string) => {
        const parsed = parseEventLine(line);
        if (parsed.kind === 'event') this.onEvent?.(parsed.event);
        else if (parsed.kind === 'error') this.protocolErrors.push(parsed.reason);
      };
      socket.on('data', (chunk: string) => splitter.push(chunk).forEach(handle));
      socket.on('end', () => splitter.end().forEach(handle));
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening on a free loopback port; resolves to the address for FLASK_TUTOR_EVENTS. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve(`tcp:127.0.0.1:${(this.server.address() as net.AddressInfo).port}`));
    });
  }

  /** Waits (at most `ms`) for the plugin's connections to close, then closes everything. */
  async drained(ms = DRAIN_MS): Promise<void> {
    const open = [...this.sockets].filter((s) => !s.destroyed);
    if (open.length) {
      await Promise.race([
        Promise.all(open.map((s) => new Promise<void>((r) => s.once('close', () => r())))),
        new Promise<void>((r) => setTimeout(r, ms)),
      ]);
    }
    this.close();
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.server.close();
  }
}
