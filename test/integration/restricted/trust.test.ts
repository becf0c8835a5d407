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

describe('restricted mode: the language server reads code, nothing runs it', function () {
  this.timeout(60000);
  const file = () => vscode.Uri.file(`${vscode.workspace.workspaceFolders![0].uri.fsPath}/shop/app.py`);

  it('diagnostics and exports work (static analysis, no code run)', async () => {
    const doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
    for (let i = 0; i < 100 && !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'Flask Tutor'); i++) await new Promise((r) => setTimeout(r, 200));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Flask Tutor').map((d) => d.code), ['unknown-endpoint']);
    const curl = await vscode.commands.executeCommand<string>('flaskTutor.exportApi', 'curl');
    assert.match(curl, /curl -i -X GET 'http:\/\/127\.0\.0\.1:5000\/items\/1'/);
  });

  it('Run the App refuses: it would run the workspace\'s code', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file()));
    const before = vscode.window.terminals.length;
    const base = await vscode.commands.executeCommand<string | undefined>('flaskTutor.runApp');
    assert.strictEqual(base, undefined);
    assert.strictEqual(vscode.window.terminals.length, before, 'no terminal was started');
  });
});
