/**
 * Which Python runs the checks: the Python extension's active environment when it is
 * installed; else the workspace's `.venv`; else the `flaskTutor.pythonPath` setting; else
 * `python3`/`python` on PATH. Probed once per interpreter and cached until something changes.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { judgeProbe, PROBE_SCRIPT, ProbeVerdict } from '../core/pythonProbe';
import type { Log } from '../log';

export interface Interpreter {
  path: string;
  source: 'python-extension' | 'venv' | 'setting' | 'path';
}

export function venvPython(folder: string): string {
  return process.platform === 'win32' ? path.join(folder, '.venv', 'Scripts', 'python.exe') : path.join(folder, '.venv', 'bin', 'python');
}

export class PythonLocator implements vscode.Disposable {
  private readonly probes = new Map<string, Promise<ProbeVerdict>>();
  private readonly disposables: vscode.Disposable[] = [];
  private pythonApi: Promise<PythonExtension | undefined> | undefined;

  constructor(private readonly log: Log) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('flaskTutor.pythonPath') && this.forget()),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Forget cached probes (after an install, a new venv, a changed setting). */
  forget(): void {
    this.probes.clear();
  }

  private async python(): Promise<PythonExtension | undefined> {
    if (!vscode.extensions.getExtension('ms-python.python')) return undefined;
    this.pythonApi ??= PythonExtension.api().then(
      (api) => {
        this.disposables.push(api.environments.onDidChangeActiveEnvironmentPath(() => this.forget()));
        return api;
      },
      (error) => {
        this.log.warn('The Python extension API is not available:', String(error));
        return undefined;
      },
    );
    return this.pythonApi;
  }

  async resolve(resource: vscode.Uri): Promise<Interpreter> {
    const api = await this.python();
    if (api) {
      try {
        const envPath = api.environments.getActiveEnvironmentPath(resource);
        const env = await api.environments.resolveEnvironment(envPath);
        const exe = env?.executable.uri?.fsPath;
        if (exe) return { path: exe, source: 'python-extension' };
      } catch (error) {
        this.log.warn('Could not read the Python extension\'s active environment:', String(error));
      }
    }
    const folder = vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath;
    for (const dir of [resource.fsPath, folder].filter((d): d is string => !!d)) {
      const venv = venvPython(dir);
      if (fs.existsSync(venv)) return { path: venv, source: 'venv' };
    }
    const setting = vscode.workspace.getConfiguration('flaskTutor', resource).get<string>('pythonPath')?.trim();
    if (setting) return { path: setting, source: 'setting' };
    return { path: process.platform === 'win32' ? 'python' : 'python3', source: 'path' };
  }

  probe(python: string): Promise<ProbeVerdict> {
    let probe = this.probes.get(python);
    if (!probe) {
      probe = new Promise<ProbeVerdict>((resolve) => {
        execFile(python, ['-c', PROBE_SCRIPT], { timeout: 15000, windowsHide: true }, (error, stdout) => {
          const spawnFailed = error && (error as NodeJS.ErrnoException).code === 'ENOENT';
          resolve(judgeProbe(python, stdout, spawnFailed ? 'not found' : undefined));
        });
      });
      this.probes.set(python, probe);
      void probe.then((v) => this.log.info(`Python ${python}: ${v.ok ? `${v.info.version}, ready` : v.message}`));
    }
    return probe;
  }
}
