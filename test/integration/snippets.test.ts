import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate } from './helpers';

/** The snippet library in a real editor: contributed per language, and the insert command. */

async function openUntitled(language: string, content = ''): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(document);
}

async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length > 0; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/** The labels of the completions offered at the end of the document's only line. */
async function completionLabels(editor: vscode.TextEditor): Promise<string[]> {
  const end = editor.document.lineAt(0).range.end;
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, end);
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

describe('snippets', () => {
  afterEach(closeAllEditors);

  it('offers the Python snippets in Python files, without the template snippets', async () => {
    const labels = await completionLabels(await openUntitled('python', 'fl-'));
    assert.ok(labels.includes('fl-route') && labels.includes('fl-app-factory'), `no fl- Python snippets among ${labels.length} completions`);
    assert.ok(!labels.includes('fl-base-layout') && !labels.includes('fl-for'), 'template snippets are offered in a Python file');
  });

  it('offers the template snippets in HTML files, without the Python snippets', async () => {
    const labels = await completionLabels(await openUntitled('html', 'fl-'));
    assert.ok(labels.includes('fl-base-layout') && labels.includes('fl-form-csrf'), `no template snippets among ${labels.length} completions`);
    assert.ok(!labels.includes('fl-route'), 'Python snippets are offered in an HTML file');
  });

  it('inserts the snippet a command argument names, at the cursor', async () => {
    await activate();
    const editor = await openUntitled('python');
    await vscode.commands.executeCommand('flaskTutor.insertSnippet', { prefix: 'fl-route' });
    assert.match(editor.document.getText(), /^@app\.route\("\/path"\)\ndef view\(\):\n\s+pass$/);
  });

  it('accepts the prefix as a plain string and opens a template document when the editor holds Python', async () => {
    await activate();
    const python = await openUntitled('python', 'x = 1\n');
    await vscode.commands.executeCommand('flaskTutor.insertSnippet', 'fl-extends');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document !== python.document, 'no new editor for the template');
    assert.ok(['jinja-html', 'html'].includes(editor.document.languageId), editor.document.languageId);
    assert.match(editor.document.getText(), /^\{% extends "base\.html" %\}/);
    assert.strictEqual(python.document.getText(), 'x = 1\n');
  });

  it('opens a new Python document when no editor is open', async () => {
    await activate();
    await closeAllEditors();
    await vscode.commands.executeCommand('flaskTutor.insertSnippet', 'fl-app');
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.languageId, 'python');
    assert.match(editor.document.getText(), /app = Flask\(__name__\)/);
  });

  it('without an argument, offers the snippets of the editor kind by chapter and inserts the pick', async () => {
    await activate();
    const editor = await openUntitled('html');
    const done = vscode.commands.executeCommand('flaskTutor.insertSnippet');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the quick pick opens
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await done;
    // The first template snippet of the first chapter (f1), not a Python snippet.
    assert.match(editor.document.getText(), /^<!doctype html>\n<html lang="en">/);
  });

  it('leaves the editor unchanged for an unknown prefix', async () => {
    await activate();
    const editor = await openUntitled('python', 'x = 1');
    await vscode.commands.executeCommand('flaskTutor.insertSnippet', 'fl-no-such-snippet');
    assert.strictEqual(editor.document.getText(), 'x = 1');
  });
});
