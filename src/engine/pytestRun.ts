/**
 * Runs our checks with the learner's Python: one pytest process per run, loading our plugin
 * with `-p flask_tutor_pytest`, events streamed back over a loopback socket (protocol v2).
 * Node only (no `vscode` import): the Test Explorer adapter, the content checker and the
 * benchmark all use it. The process tree is always ended: on cancel, on timeout, on dispose.
 *
 * Integrity (docs/verify-protocol.md, "Threat model"): every run gets a fresh secret, handed to
 * the plugin on an inherited pipe, and only events signed with it count; the checks and the
 * plugin run from copies in the run's folder, verified against the hashes recorded when the
 * extension was packaged (dist/integrity.json); on Linux a supervisor owns the process tree
 * (child subreaper) and Landlock keeps every write inside the run's folder; the results are
 * cross-checked against pytest's own exit status.
 * (About 500 lines, one concern: a run's whole life, cold or through the warm worker, from spawn
 * to the last process ended; the pieces that stand alone are in ./integrity.ts, ./launchContract.ts
 * and ./warmWorker.ts.)
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { LineSplitter, parseEventLine, verifySignedLine, VerifyEvent } from '../core/protocol';
import { hangSite } from '../core/hang';
import { copyVerified } from './integrity';
import { ENV, pytestArgs, SECRET_FD, SUPERVISOR_SCRIPT } from './launchContract';
import { prewarm, readyWorker, WarmChild, warmWorkerLog } from './warmWorker';

export { pytestArgs } from './launchContract';

export { copyVerified, INTEGRITY_FILE, integrityManifest, listFiles, type IntegrityManifest } from './integrity';
import { MAC_PROTECTION, macSandboxAvailable, underMacSandbox } from './macSandbox';
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
  /**
   * Run as a fork of the interpreter's warm worker when one is ready (Linux; default: on unless
   * configureWarmWorker turned it off); false: always a process of its own (cold).
   */
  warm?: boolean;
}

export interface PytestRunEnd {
  reason: EndReason;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  protocolErrors: string[];
  stderrTail: string;
  durationMs: number;
  /** How the run was started: a process of its own, or a fork of the warm worker. */
  start?: 'cold' | 'warm';
}

export interface PytestRunHandle {
  /** Resolves when the run is over: its process group ended, its temporary folder removed. */
  readonly done: Promise<PytestRunEnd>;
  /** Ends the run and its whole process tree (within ~1.5 s). */
  cancel(): void;
}

const KILL_GRACE_MS = 1000;
const DRAIN_MS = 500;

/** Linux: the supervisor (child subreaper) and Landlock are used. */
const LINUX = process.platform === 'linux';

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

type RunChild = Pick<ChildProcess, 'pid' | 'exitCode' | 'signalCode' | 'kill'>;

export function killTree(child: RunChild, signal: NodeJS.Signals): void {
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

/**
 * Runs the checks. With a ready warm worker (Linux) the run is a fork of it, under the same
 * supervisor, secret, Landlock, timeouts and run folder; when the worker fails the run (it died,
 * refused, said something outside the contract), it is said in the log and the run is run again
 * cold: events already delivered for a check are not delivered twice. After a cold run the
 * interpreter's worker is started for the next one.
 */
export function runPytest(options: PytestRunOptions): PytestRunHandle {
  let current: PytestRunHandle & { done: Promise<PytestRunEnd & { warmFailure?: string }> };
  let cancelled = false;
  const seenResults = new Set<string>();
  const seenOnce = new Set<string>();
  let replay = false;
  const onEvent = options.onEvent
    ? (event: VerifyEvent) => {
        if (replay) {
          // The cold run after a failed warm one: what was said already is not said again.
          if ((event.event === 'started' || event.event === 'result') && seenResults.has(event.nodeid)) return;
          if ((event.event === 'session' || event.event === 'collected' || event.event === 'app') && seenOnce.has(event.event)) return;
        } else if (event.event === 'result') seenResults.add(event.nodeid);
        else if (event.event === 'session' || event.event === 'collected' || event.event === 'app') seenOnce.add(event.event);
        options.onEvent?.(event);
      }
    : undefined;
  current = runOnce({ ...options, onEvent }, options.warm !== false);
  const done = current.done.then(async (end: PytestRunEnd & { warmFailure?: string }) => {
    if (end.warmFailure === undefined || cancelled) {
      if (end.start === 'cold' && options.warm !== false && end.reason.kind === 'completed') {
        void prewarm(options.python, options.pluginDir);
      }
      return withoutFailure(end);
    }
    warmWorkerLog(`Warm worker failed a run (${end.warmFailure}); running it cold`);
    replay = true;
    current = runOnce({ ...options, onEvent }, false);
    const again = withoutFailure(await current.done);
    if (!cancelled && again.reason.kind === 'completed') void prewarm(options.python, options.pluginDir);
    return { ...again, durationMs: again.durationMs + end.durationMs };
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      current.cancel();
    },
  };
}

function withoutFailure(end: PytestRunEnd & { warmFailure?: string }): PytestRunEnd {
  const copy = { ...end };
  delete copy.warmFailure;
  return copy;
}

function runOnce(options: PytestRunOptions, warm: boolean): PytestRunHandle & { done: Promise<PytestRunEnd & { warmFailure?: string }> } {
  const started = Date.now();
  const protocolErrors: string[] = [];
  let stderrTail = '';
  let ending: EndReason | undefined;
  let child: ChildProcess | WarmChild | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let cancelled = false;

  const stop = (reason: EndReason) => {
    // Too late once pytest has exited: the run completed, whatever comes after.
    if (ending || !child || child.exitCode !== null || child.signalCode !== null) return;
    ending = reason;
    if (child instanceof WarmChild && child.pid === undefined) {
      // The worker has not forked it yet: end it as soon as it exists.
      const c = child;
      c.once('spawn', () => killTree(c, 'SIGTERM'));
      killTimer = setTimeout(() => killTree(c, 'SIGKILL'), KILL_GRACE_MS);
      return;
    }
    killTree(child, 'SIGTERM');
    killTimer = setTimeout(() => child && killTree(child, 'SIGKILL'), KILL_GRACE_MS);
  };

  // Every run: a fresh secret; only events signed with it count. What they said is kept for the
  // cross-check against pytest's own exit status at the end.
  const secret = crypto.randomBytes(32).toString('hex');
  const seen = { failing: 0, results: 0, finished: undefined as number | undefined, collected: undefined as Set<string> | undefined, unknown: [] as string[] };
  let mapPaths: (event: VerifyEvent) => VerifyEvent = (event) => event;
  let mapText: (text: string) => string = (text) => text;
  const onEvent = (raw: VerifyEvent) => {
    const event = mapPaths(raw);
    if (event.event === 'collected') seen.collected = new Set(event.tests.map((t) => t.nodeid));
    if (event.event === 'result') {
      seen.results++;
      if (event.outcome === 'failed' || event.outcome === 'errored') seen.failing++;
      if (seen.collected && !seen.collected.has(event.nodeid)) seen.unknown.push(event.nodeid);
    }
    if (event.event === 'finished') seen.finished = event.exitStatus;
    options.onEvent?.(event);
  };
  const events = new EventServer(onEvent, protocolErrors, secret);

  const done = new Promise<PytestRunEnd & { warmFailure?: string }>((resolve) => {
    void events.listen().then((address) => {
      if (cancelled) {
        events.close();
        resolve({ reason: { kind: 'cancelled' }, exitCode: null, signal: null, protocolErrors, stderrTail, durationMs: Date.now() - started });
        return;
      }
      // The run's folder: ext/ holds verified copies of the checks and the plugin (read-only to
      // the run), work/ is pytest's working directory and tmp/ its TMPDIR: the only places the
      // run may write.
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-run-'));
      const work = path.join(cwd, 'work');
      const tmp = path.join(cwd, 'tmp');
      const extCopy = path.join(cwd, 'ext');
      const checksCopy = path.join(extCopy, 'checks');
      const pluginCopy = path.join(extCopy, 'python');
      let setupProblem: string | undefined;
      try {
        fs.mkdirSync(work);
        fs.mkdirSync(tmp);
        setupProblem =
          copyVerified(options.checksDir, checksCopy) ??
          copyVerified(path.join(options.pluginDir, 'flask_tutor_pytest'), path.join(pluginCopy, 'flask_tutor_pytest'));
      } catch (error) {
        setupProblem = `the checks could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (setupProblem) {
        events.close();
        const reason: EndReason = { kind: 'tampered', detail: `${setupProblem}. Reinstall the extension.` };
        fs.rm(cwd, { recursive: true, force: true, maxRetries: 3 }, () =>
          resolve({ reason, exitCode: null, signal: null, protocolErrors, stderrTail, durationMs: Date.now() - started }),
        );
        return;
      }
      const fromCopy = (text: string) => text.split(checksCopy).join(options.checksDir).split(pluginCopy).join(options.pluginDir);
      mapPaths = (event) => JSON.parse(fromCopy(JSON.stringify(event))) as VerifyEvent;
      mapText = fromCopy;
      const runOptions = { ...options, checksDir: checksCopy, pluginDir: pluginCopy };
      const env = pytestEnv(runOptions);
      env[ENV.events] = address;
      env[ENV.hardExit] = '1';
      env.TMPDIR = tmp;
      env.TEMP = tmp;
      env.TMP = tmp;
      let coverageCopy: string | undefined;
      if (options.coverageFile) {
        coverageCopy = path.join(tmp, 'coverage.json');
        env[ENV.coverage] = `file:${coverageCopy}`;
      }
      const args = pytestArgs(runOptions);
      const command = options.python;
      let argv = args;
      // The only folders the run may write to (Landlock, Linux; the plugin says if it is active).
      env[ENV.writable] = [work, tmp].join(path.delimiter);
      // Where Python writes its stack when the run is stopped at the timeout (the hung line).
      const stackFile = path.join(cwd, 'stack.txt');
      env[ENV.stackFile] = stackFile;
      // A plugin folder without the supervisor (a stand-in plugin in tests) runs pytest directly.
      const supervisor = path.join(pluginCopy, 'flask_tutor_pytest', SUPERVISOR_SCRIPT);
      const supervised = LINUX && fs.existsSync(supervisor);
      if (supervised) {
        // The secret travels on fd 3, read and closed by the plugin at import: never in the
        // environment, where /proc/<pid>/environ would show it to the learner's code.
        env[ENV.secretFd] = String(SECRET_FD);
        argv = [supervisor, options.python, ...args];
      } else {
        env[ENV.secret] = secret;
      }
      let spawnCommand = command;
      if (macSandboxAvailable() && !process.env.FLASK_TUTOR_NO_OS_GUARD) {
        // macOS: Seatbelt refuses writes outside the run's folders for the whole process tree.
        const wrapped = underMacSandbox(command, argv, { work, tmp, stack: stackFile });
        spawnCommand = wrapped.command;
        argv = wrapped.args;
        env.FLASK_TUTOR_OUTER_PROTECTION = MAC_PROTECTION;
      }
      // Warm: a fork of the interpreter's worker gets the same argv, environment, working
      // directory and secret descriptor; its supervisor is a fork too (launchContract.ts).
      const worker = warm && supervised && spawnCommand === command ? readyWorker(options.python, options.pluginDir, env) : undefined;
      let proc: ChildProcess | WarmChild;
      if (worker) {
        proc = worker.run({ argv: args.slice(2), env, cwd: work, secret });
      } else {
        if (supervised) env[ENV.passFds] = String(SECRET_FD);
        proc = spawn(spawnCommand, argv, {
          cwd: work,
          env,
          detached: process.platform !== 'win32',
          stdio: supervised ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      }
      child = proc;
      const start: 'cold' | 'warm' = worker ? 'warm' : 'cold';
      if (supervised && !(proc instanceof WarmChild)) {
        const secretPipe = proc.stdio[3] as NodeJS.WritableStream | null;
        secretPipe?.on('error', () => undefined);
        secretPipe?.end(secret);
      }
      const runTimer = options.runTimeoutSec
        ? setTimeout(() => stop({ kind: 'timeout', seconds: options.runTimeoutSec! }), options.runTimeoutSec * 1000)
        : undefined;
      child.stdout?.setEncoding('utf8');
      child.stderr?.setEncoding('utf8');
      child.stdout?.on('data', (text: string) => options.onOutput?.(mapText(text)));
      child.stderr?.on('data', (text: string) => {
        stderrTail = (stderrTail + mapText(text)).slice(-4000);
        options.onOutput?.(mapText(text));
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
          else if (!ending && seen.finished === undefined && (exitCode === 0 || exitCode === 1)) {
            // pytest ended without its last hook: something ended Python early or cut the channel.
            reason = {
              kind: 'crashed',
              detail: `Python ended (exit code ${exitCode}) before the run finished. Does your code call os._exit(), or close file descriptors it did not open (os.close, os.closerange)? Remove that call: the checks need the process to the end.`,
            };
          }
          if (protocolErrors.length && reason.kind === 'completed') reason = { kind: 'protocol', detail: protocolErrors[0] };
          if (reason.kind === 'timeout') {
            try {
              const site = hangSite(mapText(fs.readFileSync(stackFile, 'utf8')), options.appDir);
              if (site) reason = { ...reason, site };
            } catch {
              /* no stack written (not Linux/macOS, or Python never got that far) */
            }
          }
          if (reason.kind === 'completed' || reason.kind === 'protocol') {
            const contradiction = crossCheck(exitCode, seen);
            if (contradiction) reason = { kind: 'tampered', detail: contradiction };
          }
          if (coverageCopy && options.coverageFile) {
            try {
              fs.copyFileSync(coverageCopy, options.coverageFile);
            } catch {
              /* no coverage written: the controller says so */
            }
          }
          // Resolve once the run's folder is gone: when `done` resolves, nothing of the run is left.
          const warmFailure = child instanceof WarmChild ? child.failure : undefined;
          const end = { reason, exitCode, signal, protocolErrors, stderrTail, start, warmFailure };
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
 * What the signed results said against what pytest itself reported (its exit status: 0 all
 * passed, 1 some failed). A contradiction means something rewrote the results: the run is
 * reported as tampered, never as a pass.
 */
export function crossCheck(
  exitCode: number | null,
  seen: { failing: number; results: number; finished: number | undefined; unknown: string[] },
): string | undefined {
  if (seen.unknown.length) return `results came for checks that were never collected (${seen.unknown.slice(0, 3).join(', ')})`;
  if (exitCode === 1 && seen.results > 0 && seen.failing === 0) {
    return 'pytest reported failing checks, but every result said passed: something in the run rewrote the results';
  }
  if (seen.finished !== undefined && exitCode !== null && (exitCode === 0 || exitCode === 1) && seen.finished !== exitCode) {
    return `pytest exited with status ${exitCode}, but the run reported ${seen.finished}`;
  }
  return undefined;
}

/**
 * The loopback server the plugin streams its events to (`FLASK_TUTOR_EVENTS=tcp:127.0.0.1:PORT`).
 * Separate from the process so that a debug session, which the debugger launches, can use it too.
 */
export class EventServer {
  private readonly server = net.createServer();
  private readonly sockets = new Set<net.Socket>();

  private refused = 0;

  /** With a `secret`, only lines signed with it are events; others are refused and counted. */
  constructor(
    private readonly onEvent: ((event: VerifyEvent) => void) | undefined,
    readonly protocolErrors: string[] = [],
    private readonly secret?: string,
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.setEncoding('utf8');
      const splitter = new LineSplitter();
      const hmac = (body: string) => crypto.createHmac('sha256', this.secret ?? '').update(body, 'utf8').digest('hex');
      const handle = (line: string) => {
        if (!line.trim()) return;
        let json = line;
        if (this.secret !== undefined) {
          const verified = verifySignedLine(line, hmac);
          if (verified === undefined) {
            if (this.refused++ === 0) this.protocolErrors.push('an event without a valid signature was refused (something other than the checks tried to report a result)');
            return;
          }
          json = verified;
        }
        const parsed = parseEventLine(json);
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
