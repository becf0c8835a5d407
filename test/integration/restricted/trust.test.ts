// Scenario "restricted": fixtures/restricted/scenario.json says {"trusted": false}, so the
// workspace opens in Restricted Mode. The extension declares limited untrusted support.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, getExtension } from '../helpers';

describe('restricted mode', () => {
  it('the workspace is not trusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('the extension still activates and its log command works', async () => {
    await activate();
    assert.ok(getExtension().isActive);
    await vscode.commands.executeCommand('flaskTutor.showLog');
  });
});
