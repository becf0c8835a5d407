import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, getExtension, workspaceFolder } from './helpers';

describe('activation', () => {
  it('the extension is installed', () => {
    assert.strictEqual(getExtension().packageJSON.name, 'flask-backend-tutor');
  });

  it('activates and reports its activation time', async () => {
    const api = await activate();
    assert.ok(getExtension().isActive);
    assert.strictEqual(typeof api.activationMs, 'number');
  });

  it('registers flaskTutor.showLog, which runs', async () => {
    await activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('flaskTutor.showLog'), 'flaskTutor.showLog is not registered');
    await vscode.commands.executeCommand('flaskTutor.showLog');
  });

  it('opens a trusted copy of the fixture workspace', () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    assert.ok(!workspaceFolder().uri.fsPath.includes('/test/integration/fixtures/'), 'tests must run on a copy');
  });
});
