/**
 * Check Python: whether the interpreter that verifies exercises has pytest and Flask (the
 * `flaskTutor.pythonReady` context key), with the fixes to offer when it has not: create a
 * .venv, choose an interpreter, set the path.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { prewarm } from '../engine/warmWorker';
import type { CourseSession } from './session';
import { PYTHON_READY_KEY } from './walkthroughSync';

function pythonResource(s: CourseSession): vscode.Uri {
  return s.current?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}

/** Checks the Python that verifies exercises; sets `flaskTutor.pythonReady`. */
export async function checkPython(s: CourseSession): Promise<boolean> {
  s.python.forget();
  const resource = pythonResource(s);
  const interpreter = await s.python.resolve(resource);
  const probe = await s.python.probe(interpreter.path);
  await s.sync.setContext(PYTHON_READY_KEY, probe.ok);
  if (probe.ok) {
    void s.prompts.info(vscode.l10n.t('Python {0} ({1}) has pytest and Flask: you are ready to verify exercises.', probe.info.version, probe.info.executable));
    return true;
  }
  await offerPythonFixes(s, probe.message);
  return false;
}

async function offerPythonFixes(s: CourseSession, message: string): Promise<void> {
  const actions: [string, () => Thenable<unknown>][] = [];
  if (vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted) {
    actions.push([vscode.l10n.t('Create .venv'), () => vscode.commands.executeCommand('flaskTutor.createVenv')]);
  }
  if (vscode.extensions.getExtension('ms-python.python')) {
    actions.push([vscode.l10n.t('Choose interpreter'), () => vscode.commands.executeCommand('python.setInterpreter')]);
  }
  actions.push([vscode.l10n.t('Set Python path'), () => vscode.commands.executeCommand('workbench.action.openSettings', 'flaskTutor.pythonPath')]);
  const choice = await s.prompts.warn(message, ...actions.map(([label]) => label));
  await actions.find(([label]) => label === choice)?.[1]();
}

/**
 * After a start: checks the exercise folder's Python and speaks only when it lacks something.
 * A ready Python gets its warm worker now (src/engine/warmWorker.ts), so that even the first
 * verify of the exercise is a fork of it.
 */
export async function checkPythonQuietly(s: CourseSession, folder: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  try {
    const interpreter = await s.python.resolve(folder);
    const probe = await s.python.probe(interpreter.path);
    await s.sync.setContext(PYTHON_READY_KEY, probe.ok);
    if (probe.ok) void prewarm(interpreter.path, pluginDirOf(s));
    else await offerPythonFixes(s, probe.message);
  } catch (error) {
    s.log.warn('Python check failed:', String(error));
  }
}

/** The plugin folder the verify controller runs (extension.ts): the warm worker is per interpreter and plugin folder. */
function pluginDirOf(s: CourseSession): string {
  return path.join(s.context.extensionPath, 'python');
}

/**
 * When an exercise is reopened: starts the warm worker of the Python that verifies it, if that
 * Python is ready (the probe is cached). Says nothing: without a worker a verify is cold.
 */
export async function warmUpQuietly(s: CourseSession, folder: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  try {
    const interpreter = await s.python.resolve(folder);
    const probe = await s.python.probe(interpreter.path);
    if (probe.ok) await prewarm(interpreter.path, pluginDirOf(s));
  } catch (error) {
    s.log.debug(`No warm worker for ${folder.fsPath}: ${String(error)}`);
  }
}
