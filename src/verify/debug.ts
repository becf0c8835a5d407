/**
 * "Debug checks": the same pytest command, launched by the Python Debugger extension so that
 * breakpoints in the learner's code work. Events still stream over our loopback socket.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EventServer, PytestRunEnd, PytestRunOptions, pytestArgs, pytestEnv } from '../engine/pytestRun';
import type { Log } from '../log';

/**
 * Without the Python Debugger (or Python) extension there is nothing to launch the checks with:
 * offers to install it and returns the message for the checks; undefined when one is installed.
 */
export function missingDebugger(): string | undefined {
  if (vscode.extensions.getExtension('ms-python.debugpy') || vscode.extensions.getExtension('ms-python.python')) return undefined;
  const install = vscode.l10n.t('Install Python Debugger');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Debugging checks needs the Python Debugger extension (ms-python.debugpy).'), install)
    .then((choice) => choice === install && vscode.commands.executeCommand('workbench.extensions.search', 'ms-python.debugpy'));
  return vscode.l10n.t('Debugging checks needs the Python Debugger extension (ms-python.debugpy). Install it, or use "Verify exercise".');
}

export async function debugChecks(options: PytestRunOptions, folder: vscode.Uri, token: vscode.CancellationToken, log: Log): Promise<PytestRunEnd> {
  const started = Date.now();
  const debugpy = vscode.extensions.getExtension('ms-python.debugpy');
  const notStarted = (detail: string): PytestRunEnd => ({
    reason: { kind: 'not-started', detail },
    exitCode: null,
    signal: null,
    protocolErrors: [],
    stderrTail: '',
    durationMs: Date.now() - started,
  });
  const missing = missingDebugger();
  if (missing) return notStarted(missing);
  const protocolErrors: string[] = [];
  // The debugger starts Python itself, so the secret goes in the environment (the plugin pops
  // it at import); a debug session is the learner's own, not a verdict to protect as strictly.
  const secret = crypto.randomBytes(32).toString('hex');
  const events = new EventServer(options.onEvent, protocolErrors, secret);
  const address = await events.listen();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-debug-'));
  const runId = `flask-tutor-${Date.now()}`;
  const env = pytestEnv({ ...options, checkTimeoutSec: undefined }, {});
  env.FLASK_TUTOR_EVENTS = address;
  env.FLASK_TUTOR_SECRET = secret;
  env.FLASK_TUTOR_CHECK_TIMEOUT = '0'; // a breakpoint must not count as an infinite loop
  const config: vscode.DebugConfiguration = {
    type: debugpy ? 'debugpy' : 'python',
    request: 'launch',
    name: vscode.l10n.t('Flask Tutor: debug checks'),
    module: 'pytest',
    args: pytestArgs(options).slice(2),
    cwd,
    env,
    python: options.python,
    justMyCode: true,
    console: 'internalConsole',
    flaskTutorRunId: runId,
  };
  let session: vscode.DebugSession | undefined;
  const ended = new Promise<void>((resolve) => {
    const subs = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.configuration.flaskTutorRunId === runId) session = s;
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.configuration.flaskTutorRunId === runId) {
          subs.forEach((d) => d.dispose());
          resolve();
        }
      }),
    ];
  });
  const cancel = token.onCancellationRequested(() => session && void vscode.debug.stopDebugging(session));
  try {
    const ok = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(folder), config);
    if (!ok) return notStarted(vscode.l10n.t('The debugger did not start. See the Debug Console.'));
    await ended;
    await events.drained();
    log.info(`Debug session ${runId} ended.`);
    return {
      reason: token.isCancellationRequested ? { kind: 'cancelled' } : { kind: 'completed' },
      exitCode: null,
      signal: null,
      protocolErrors,
      stderrTail: '',
      durationMs: Date.now() - started,
    };
  } finally {
    cancel.dispose();
    events.close();
    fs.rm(cwd, { recursive: true, force: true }, () => undefined);
  }
}
