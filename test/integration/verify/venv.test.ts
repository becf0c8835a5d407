/**
 * "Create Python Environment (.venv) for Exercises" for real: python -m venv in the workspace
 * folder, then pip installs the started exercises' requirements, both ways a learner meets:
 * - from the package index, as a learner does by default: an isolated venv (no system site
 *   packages) whose Flask and pytest pip downloads, then a green verify with it;
 * - offline (the fixture's settings): --system-site-packages and `flaskTutor.pip.extraArgs:
 *   ["--no-index"]`, the requirements satisfied by Debian's packages, as a learner behind a
 *   mirror or without a network sets it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { execFileSync } from 'child_process';
import { activate, workspaceFolder } from '../helpers';
import { venvPython } from '../../../src/verify/python';

describe('verify: Create Python Environment (.venv)', function () {
  this.timeout(120000);

  async function verifyOutcomes(api: Awaited<ReturnType<typeof activate>>, dir: string): Promise<string[]> {
    const folder = vscode.Uri.file(dir);
    for (let i = 0; i < 100 && !api.verify.itemForFolder(folder); i++) await api.verify.discover();
    const outcomes: string[] = [];
    const sub = api.verify.onDidApply(({ verdict }) => outcomes.push(verdict.outcome));
    try {
      assert.ok(await api.verify.verifyFolder(folder));
    } finally {
      sub.dispose();
    }
    return outcomes;
  }

  it('from the package index: an isolated .venv gets Flask and pytest from pip, and verify is green with it', async function () {
    this.timeout(300000);
    const api = await activate();
    const root = workspaceFolder().uri.fsPath;
    const dir = path.join(root, 'venv-index-exercise');
    const config = vscode.workspace.getConfiguration('flaskTutor');
    const before = {
      site: config.inspect<boolean>('venv.systemSitePackages')?.workspaceValue,
      pip: config.inspect<string[]>('pip.extraArgs')?.workspaceValue,
    };
    // What a learner has by default: no system site packages, pip's normal index.
    await config.update('venv.systemSitePackages', false, vscode.ConfigurationTarget.Workspace);
    await config.update('pip.extraArgs', [], vscode.ConfigurationTarget.Workspace);
    try {
      fs.cpSync(path.join(__dirname, '../../../../exercises/f1/first-app/solution'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, '.flasktutor.json'), JSON.stringify({ version: 1, exercise: 'f1-first-app' }));
      const ok = await vscode.commands.executeCommand<boolean>('flaskTutor.createVenv');
      assert.strictEqual(ok, true, 'the command reports success (see the log for pip output)');
      const python = venvPython(root);
      // Flask came from the index into the venv itself, not from Debian's packages.
      const flaskFile = execFileSync(python, ['-c', 'import flask, pytest; print(flask.__file__)'], { encoding: 'utf8' }).trim();
      assert.ok(flaskFile.startsWith(path.join(root, '.venv')), `flask imported from ${flaskFile}, expected inside .venv`);
      const cfg = fs.readFileSync(path.join(root, '.venv', 'pyvenv.cfg'), 'utf8');
      assert.match(cfg, /include-system-site-packages = false/);
      assert.deepStrictEqual(await verifyOutcomes(api, dir), ['passed', 'passed', 'passed', 'passed']);
    } finally {
      // The fixture's offline settings, for the next test.
      await config.update('venv.systemSitePackages', before.site, vscode.ConfigurationTarget.Workspace);
      await config.update('pip.extraArgs', before.pip, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(path.join(root, '.venv'), { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('offline: creates .venv with system site packages, pip --no-index, and verify then uses it', async () => {
    const api = await activate();
    const root = workspaceFolder().uri.fsPath;
    const dir = path.join(root, 'venv-exercise');
    fs.cpSync(path.join(__dirname, '../../../../exercises/f1/first-app/solution'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.flasktutor.json'), JSON.stringify({ version: 1, exercise: 'f1-first-app' }));
    const ok = await vscode.commands.executeCommand<boolean>('flaskTutor.createVenv');
    assert.strictEqual(ok, true, 'the command reports success (see the log for pip output)');
    assert.ok(fs.existsSync(venvPython(root)), 'the .venv interpreter exists');

    const folder = vscode.Uri.file(dir);
    for (let i = 0; i < 100 && !api.verify.itemForFolder(folder); i++) await api.verify.discover();
    const outcomes: string[] = [];
    const sub = api.verify.onDidApply(({ verdict }) => outcomes.push(verdict.outcome));
    try {
      assert.ok(await api.verify.verifyFolder(folder));
    } finally {
      sub.dispose();
    }
    assert.deepStrictEqual(outcomes, ['passed', 'passed', 'passed', 'passed']);
    // Later scenarios' tests must not be affected by this environment.
    fs.rmSync(path.join(root, '.venv'), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
