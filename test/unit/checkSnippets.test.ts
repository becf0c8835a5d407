import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/**
 * scripts/check-snippets.mjs end to end: it must pass the repository's snippets and catch broken
 * ones. It needs a Python with Jinja2 (/usr/bin/python3 from Debian, or $FLASK_TUTOR_PYTHON);
 * without one these tests are skipped locally but fail in CI. Library names are checked with the
 * current environment (scripts/python-env.mjs), which `npm test` builds first.
 */
const ROOT = path.resolve(__dirname, '../../..');
const PYTHON = process.env.FLASK_TUTOR_PYTHON || '/usr/bin/python3';

function runCheck(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-snippets.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const snippet = (prefix: string, kind: 'python' | 'template', body: string[]) => ({
  prefix,
  name: prefix.slice(3).replace(/-/g, ' '),
  kind,
  description: `A deliberately ${prefix.slice(3)} snippet for the checker test.`,
  body,
});

describe('scripts/check-snippets.mjs', function () {
  this.timeout(30000);

  before(function () {
    const probe = spawnSync(PYTHON, ['-c', 'import jinja2'], { encoding: 'utf8' });
    if (probe.status !== 0 && !process.env.CI) this.skip();
  });

  it('passes the repository snippets and reports the count', () => {
    const { status, output } = runCheck([]);
    assert.strictEqual(status, 0, output);
    assert.match(output, /snippets: \d+ passed, 0 failed/);
  });

  it('fails every kind of broken snippet, each with its prefix and the error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flask-tutor-snippets-'));
    try {
      const snippets = [
        snippet('fl-good', 'python', ['x = ${1:1}$0']),
        snippet('fl-colon-kwarg', 'python', ["app.run(host:'${1:0.0.0.0}')$0"]),
        snippet('fl-bad-option', 'python', ['x = ${1|1,1 +|}$0']),
        snippet('fl-duplicate-args', 'python', ['def f(a, a):', '\t${0:pass}']),
        snippet('fl-empty-default', 'python', ['x = $1$0']),
        snippet('fl-no-final', 'python', ['x = ${1:1}']),
        snippet('fl-unclosed-for', 'template', ['{% for x in ${1:items} %}', '<li>{{ x }}</li>$0']),
        snippet('fl-unbalanced-html', 'template', ['<div>${1:text}</span>$0']),
        snippet('fl-good', 'template', ['<p>${1:text}</p>$0']),
        // API drift: names that do not exist in the current environment's libraries.
        snippet('fl-gone-import', 'python', ['from marshmallow import validates_everything', 'x = ${1:1}$0']),
        snippet('fl-gone-attr', 'python', ['from flask_restx import fields', 'f = fields.Strng(${1:required=True})$0']),
        snippet('fl-gone-db', 'python', ['page = db.paginat(${1:query})$0']),
        snippet('fl-gone-module', 'python', ['import flask_nonexistent_ext', 'x = ${1:1}$0']),
      ];
      writeFileSync(path.join(dir, 'f1.json'), JSON.stringify({ chapter: 'f1', snippets }));
      const { status, output } = runCheck(['--src', dir]);
      assert.strictEqual(status, 1, output);
      const expected: [prefix: string, error: RegExp][] = [
        ['fl-colon-kwarg', /Python \(defaults\): line 1:\d+: invalid syntax: app\.run\(host:'0\.0\.0\.0'\)/],
        ['fl-bad-option', /Python \(\$1=1 \+\): line 1:\d+: invalid syntax: x = 1 \+/],
        ['fl-duplicate-args', /duplicate argument 'a'/],
        ['fl-empty-default', /Python \(defaults\): line 1:\d+: invalid syntax/],
        ['fl-no-final', /no final cursor position/],
        ['fl-unclosed-for', /Jinja\/HTML \(defaults\): line 2: Unexpected end of template/],
        ['fl-unbalanced-html', /<\/span> where <\/div> for <div> of line 1 was expected/],
        ['fl-good', /prefix used 2 times/],
        ['fl-gone-import', /names \(defaults\) with .*: from marshmallow import validates_everything: marshmallow has no validates_everything/],
        ['fl-gone-attr', /fields\.Strng: fields has no attribute Strng/],
        ['fl-gone-db', /db\.paginat: db has no attribute paginat/],
        ['fl-gone-module', /import flask_nonexistent_ext: No module named 'flask_nonexistent_ext'/],
      ];
      for (const [prefix, error] of expected) {
        const lines = output.split('\n').filter((l) => l.startsWith(`FAIL ${prefix} `));
        assert.ok(lines.some((l) => error.test(l)), `${prefix} should fail with ${error}:\n${output}`);
      }
      assert.match(output, /snippets: 0 passed, 13 failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
