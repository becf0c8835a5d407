/**
 * Check Python: whether the interpreter that verifies exercises has pytest and Flask (the
 * `flaskTutor.pythonReady` context key), with the fixes to offer when it has not: create a
 * .venv, choose an interpreter, set the path.
 */
import * as os from 'os';
import * as vscode from 'vscode';
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

/** After a start: checks the exercise folder's Python and speaks only when it lacks something. */
export async function checkPythonQuietly(s: CourseSession, folder: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  try {
    const interpreter = await s.python.resolve(folder);
    const probe = await s.python.probe(interpreter.path);
    await s.sync.setContext(PYTHON_READY_KEY, probe.ok);
    if (!probe.ok) await offerPythonFixes(s, probe.message);
  } catch (error) {
    s.log.warn('Python check failed:', String(error));
  }
}
