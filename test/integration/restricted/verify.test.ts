// Scenario "restricted": an untrusted workspace runs no learner code. Verify must say why on
// every check, and must not start Python (the marker file below would be written by the app).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activate, workspaceFolder } from '../helpers';

describe('restricted mode: verify', function () {
  this.timeout(30000);

  it('errors every check with the Restricted Mode reason and runs nothing', async () => {
    const api = await activate();
    const dir = path.join(workspaceFolder().uri.fsPath, 'untrusted-exercise');
    const ran = path.join(dir, 'imported.txt');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'app.py'),
      `import pathlib\npathlib.Path(${JSON.stringify(ran)}).write_text('the app was imported')\nfrom flask import Flask\napp = Flask(__name__)\n`,
    );
    fs.writeFileSync(path.join(dir, '.flasktutor.json'), JSON.stringify({ version: 1, exercise: 'f1-first-app' }));
    const folder = vscode.Uri.file(dir);
    const outcomes: { outcome: string; text: string }[] = [];
    const sub = api.verify.onDidApply(({ verdict }) => outcomes.push({ outcome: verdict.outcome, text: verdict.messages[0]?.text ?? '' }));
    try {
      assert.ok(await api.verify.verifyFolder(folder));
    } finally {
      sub.dispose();
    }
    assert.strictEqual(outcomes.length, 4);
    assert.ok(outcomes.every((o) => o.outcome === 'errored' && /Restricted Mode/.test(o.text)), JSON.stringify(outcomes));
    assert.match(String(api.verify.itemForFolder(folder)?.error), /Restricted Mode/);
    assert.strictEqual(fs.existsSync(ran), false, 'the learner app must not be imported');
  });
});
