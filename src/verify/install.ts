/**
 * Getting the learner's Python ready: a one-click install of what the checks need, and a
 * command that creates a `.venv` for the workspace. Full output goes to the log.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Catalog } from '../engine/catalog';
import type { Log } from '../log';
import { PythonLocator, venvPython } from './python';

/** pip's distribution names for the import names the probe reports. */
const DISTRIBUTIONS: Record<string, string> = { pytest: 'pytest', flask: 'flask' };

let offering = false;

function pipExtraArgs(resource?: vscode.Uri): string[] {
  return vscode.workspace.getConfiguration('flaskTutor', resource).get<string[]>('pip.extraArgs', []);
}

/** Runs a command with a progress notification; resolves to whether it succeeded. */
export function runLogged(title: string, command: string, args: string[], log: Log, cwd?: string): Promise<boolean> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
      new Promise<boolean>((resolve) => {
        log.info(`$ ${command} ${args.join(' ')}`);
        const child = spawn(command, args, { cwd, windowsHide: true });
        token.onCancellationRequested(() => child.kill());
        const forward = (chunk: Buffer) => chunk.toString('utf8').split(/\r?\n/).filter(Boolean).forEach((l) => log.info(l));
        child.stdout.on('data', forward);
        child.stderr.on('data', forward);
        child.on('error', (error) => {
          log.error(String(error));
          resolve(false);
        });
        child.on('close', (code) => resolve(code === 0));
      }),
    ),
  );
}

export async function offerInstall(python: PythonLocator, log: Log, executable: string, missing: string[]): Promise<void> {
  if (offering) return;
  offering = true;
  try {
    const names = missing.map((m) => DISTRIBUTIONS[m] ?? m);
    const install = vscode.l10n.t('Install {0}', names.join(' + '));
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is missing in {1}. Install it there?', names.join(' and '), executable),
      install,
      vscode.l10n.t('Show log'),
    );
    if (choice === vscode.l10n.t('Show log')) return log.show();
    if (choice !== install) return;
    const ok = await runLogged(vscode.l10n.t('Installing {0}…', names.join(', ')), executable, ['-m', 'pip', 'install', ...pipExtraArgs(), ...names], log);
    python.forget();
    if (ok) void vscode.window.showInformationMessage(vscode.l10n.t('Installed {0}. Verify the exercise again.', names.join(', ')));
    else void showFailure(log, vscode.l10n.t('Installing {0} failed.', names.join(', ')));
  } finally {
    offering = false;
  }
}

async function showFailure(log: Log, message: string): Promise<void> {
  const showLog = vscode.l10n.t('Show log');
  if ((await vscode.window.showErrorMessage(message, showLog)) === showLog) log.show();
}

/** Where the started exercises are (the Test Explorer's discovery; the controller provides it). */
export interface ExerciseFolders {
  exerciseFolders(): Promise<readonly { folder: vscode.Uri; exerciseId: string }[]>;
}

/** The requirements of every exercise started in the folder, plus pytest. */
export async function workspaceRequirements(folder: vscode.Uri, catalog: Catalog, verify: ExerciseFolders): Promise<string[]> {
  const requirements = new Set<string>(['pytest']);
  for (const found of await verify.exerciseFolders()) {
    if (path.relative(folder.fsPath, found.folder.fsPath).startsWith('..')) continue;
    catalog.byId.get(found.exerciseId)?.requirements.forEach((r) => requirements.add(r));
  }
  if (requirements.size === 1) requirements.add('flask');
  return [...requirements];
}

/** Command flaskTutor.createVenv: `python -m venv .venv` in the workspace folder, then pip install. */
export async function createVenv(python: PythonLocator, log: Log, catalog: Catalog, verify: ExerciseFolders): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Creating an environment runs Python. Trust the workspace first.'));
    return false;
  }
  const folder =
    vscode.workspace.workspaceFolders?.length === 1
      ? vscode.workspace.workspaceFolders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Where should the .venv be created?') });
  if (!folder) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the .venv is created in it.'));
    return false;
  }
  const target = venvPython(folder.uri.fsPath);
  const config = vscode.workspace.getConfiguration('flaskTutor', folder.uri);
  if (!fs.existsSync(target)) {
    const base = config.get<string>('pythonPath')?.trim() || (process.platform === 'win32' ? 'python' : 'python3');
    const args = ['-m', 'venv', ...(config.get<boolean>('venv.systemSitePackages') ? ['--system-site-packages'] : []), '.venv'];
    if (!(await runLogged(vscode.l10n.t('Creating .venv…'), base, args, log, folder.uri.fsPath))) {
      void showFailure(log, vscode.l10n.t('Could not create .venv with {0}.', base));
      return false;
    }
  }
  const requirements = await workspaceRequirements(folder.uri, catalog, verify);
  const ok = await runLogged(
    vscode.l10n.t('Installing {0}…', requirements.join(', ')),
    target,
    ['-m', 'pip', 'install', ...pipExtraArgs(folder.uri), ...requirements],
    log,
    folder.uri.fsPath,
  );
  python.forget();
  if (!ok) {
    void showFailure(log, vscode.l10n.t('Installing the requirements into .venv failed.'));
    return false;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('.venv is ready with {0}.', requirements.join(', ')));
  return true;
}
