/**
 * "Create Python Environment (.venv) for Exercises" for real: python -m venv in the workspace
 * folder, then pip installs the started exercises' requirements. Offline here, so the fixture's
 * settings create it with --system-site-packages and pass --no-index to pip (the requirements
 * are satisfied by Debian's packages) — the same settings a learner behind a mirror would use.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activate, workspaceFolder } from '../helpers';
import { venvPython } from '../../../src/verify/python';

describe('verify: Create Python Environment (.venv)', function () {
  this.timeout(120000);

  it('creates .venv in the workspace, installs the requirements, and verify then uses it', async () => {
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
