import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAC_WRITE_PROFILE, macSandboxAvailable, SANDBOX_EXEC, underMacSandbox } from '../../src/engine/macSandbox';

// The profile itself is exercised by test/engine/integrity.test.ts on macOS (it skips, saying so,
// elsewhere); here: what the engine would run, on any platform.
describe('macSandbox: the macOS write guard (sandbox-exec)', () => {
  it('denies every write, then allows the run folders given as parameters (later rules win)', () => {
    const lines = MAC_WRITE_PROFILE.split('\n');
    assert.strictEqual(lines[0], '(version 1)');
    assert.ok(lines.indexOf('(allow default)') < lines.indexOf('(deny file-write*)'));
    assert.ok(lines.indexOf('(deny file-write*)') < lines.indexOf('(allow file-write*'));
    for (const p of ['WORK', 'TMP', 'STACK']) assert.ok(MAC_WRITE_PROFILE.includes(`(param "${p}")`), p);
    assert.ok(!MAC_WRITE_PROFILE.includes('/Users') && !MAC_WRITE_PROFILE.includes('/tmp'), 'no path is baked into the profile');
  });

  it('wraps the command with the folders as -D parameters, resolved to real paths, never spliced into the profile', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mac-sb-'));
    try {
      const work = path.join(base, 'work "quoted") (allow file-write* (subpath "/'); // a hostile folder name
      fs.mkdirSync(work);
      fs.mkdirSync(path.join(base, 'tmp'));
      const link = path.join(base, 'link');
      fs.symlinkSync(path.join(base, 'tmp'), link);
      const w = underMacSandbox('/usr/bin/python3', ['-m', 'pytest', '-q'], { work, tmp: link, stack: path.join(link, 'stack.txt') });
      assert.strictEqual(w.command, SANDBOX_EXEC);
      assert.deepStrictEqual(w.args.slice(0, 6), ['-D', `WORK=${fs.realpathSync(work)}`, '-D', `TMP=${fs.realpathSync(path.join(base, 'tmp'))}`, '-D', `STACK=${path.join(fs.realpathSync(path.join(base, 'tmp')), 'stack.txt')}`]);
      assert.deepStrictEqual(w.args.slice(6), ['-p', MAC_WRITE_PROFILE, '/usr/bin/python3', '-m', 'pytest', '-q']);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('is used on macOS with sandbox-exec only', () => {
    assert.strictEqual(macSandboxAvailable('darwin', () => true), true);
    assert.strictEqual(macSandboxAvailable('darwin', () => false), false);
    assert.strictEqual(macSandboxAvailable('linux', () => true), false);
    assert.strictEqual(macSandboxAvailable('win32', () => true), false);
  });
});
