/**
 * Continuous run of "Verify exercise" = verify on save: saving a file of the exercise folder
 * verifies it; saving elsewhere does not; cancelling the continuous run stops it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { VerifyOutcome } from '../../../src/verify/controller';
import { activate, workspaceFolder } from '../helpers';

const FIRST_APP = path.join(__dirname, '../../../../exercises/f1/first-app');

describe('verify: continuous run (verify on save)', function () {
  this.timeout(90000);

  it('verifies the exercise each time one of its files is saved, until cancelled', async () => {
    const api = await activate();
    const root = workspaceFolder().uri.fsPath;
    const dir = path.join(root, 'continuous');
    fs.cpSync(path.join(FIRST_APP, 'starter'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.flasktutor.json'), JSON.stringify({ version: 1, exercise: 'f1-first-app' }));
    fs.writeFileSync(path.join(root, 'elsewhere.txt'), 'not part of the exercise\n');
    const folder = vscode.Uri.file(dir);
    let item: vscode.TestItem | undefined;
    for (let i = 0; i < 100 && !(item = api.verify.itemForFolder(folder)); i++) await api.verify.discover();
    assert.ok(item, 'the exercise item');

    const verifies: VerifyOutcome[] = [];
    const sub = api.verify.onDidVerify((o) => o.folder.fsPath === dir && verifies.push(o));
    const source = new vscode.CancellationTokenSource();
    const profile = api.verify.runProfile;
    const watching = Promise.resolve(profile.runHandler(new vscode.TestRunRequest([item], undefined, profile, true), source.token));
    const waitForVerifies = async (n: number) => {
      for (const until = Date.now() + 30000; verifies.length < n; ) {
        assert.ok(Date.now() < until, `expected ${n} verify(s) after saving, saw ${verifies.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      // A save outside the exercise folder verifies nothing.
      const other = await vscode.workspace.openTextDocument(path.join(root, 'elsewhere.txt'));
      await (await vscode.window.showTextDocument(other)).edit((e) => e.insert(new vscode.Position(0, 0), '# '));
      await other.save();
      await new Promise((r) => setTimeout(r, 1500));
      assert.strictEqual(verifies.length, 0, 'a save outside the exercise must not verify');

      // The learner writes the solution into app.py and saves: one verify, all passed.
      const app = await vscode.workspace.openTextDocument(path.join(dir, 'app.py'));
      const editor = await vscode.window.showTextDocument(app);
      const solution = fs.readFileSync(path.join(FIRST_APP, 'solution', 'app.py'), 'utf8');
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, app.lineCount, 0), solution));
      await app.save();
      await waitForVerifies(1);
      assert.strictEqual(verifies[0].passed, true);
    } finally {
      source.cancel();
    }
    await watching; // the continuous run ends when cancelled
    const count = verifies.length;
    const app = await vscode.workspace.openTextDocument(path.join(dir, 'app.py'));
    await (await vscode.window.showTextDocument(app)).edit((e) => e.insert(new vscode.Position(0, 0), '\n'));
    await app.save();
    await new Promise((r) => setTimeout(r, 1500));
    sub.dispose();
    assert.strictEqual(verifies.length, count, 'no verify after the continuous run was cancelled');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
