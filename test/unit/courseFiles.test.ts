import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BACKUP_DIR,
  backupStamp,
  copyNoOverwrite,
  createBackup,
  differingFiles,
  listBackups,
  listFiles,
  parseBackupStamp,
  restoreTree,
  writeNew,
} from '../../src/course/files';

function tree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

function read(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else out[r] = fs.readFileSync(path.join(dir, e.name), 'utf8');
    }
  };
  walk(root, '');
  return out;
}

describe('course files', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-files-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('copyNoOverwrite copies the starter and keeps every existing file', async () => {
    const starter = tree(path.join(tmp, 'starter'), { 'app.py': 'starter app', 'templates/base.html': 'base', '__pycache__/x.pyc': 'junk' });
    const dest = tree(path.join(tmp, 'dest'), { 'app.py': 'MY APP' });
    const result = await copyNoOverwrite(starter, dest);
    assert.deepStrictEqual(result, { copied: ['templates/base.html'], kept: ['app.py'] });
    assert.deepStrictEqual(read(dest), { 'app.py': 'MY APP', 'templates/base.html': 'base' });
  });

  it('writeNew never replaces a file', async () => {
    const file = path.join(tmp, 'a', '.flasktutor.json');
    assert.strictEqual(await writeNew(file, 'one'), true);
    assert.strictEqual(await writeNew(file, 'two'), false);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'one');
  });

  it('listFiles skips the marker (on request), backups, virtualenvs and caches', async () => {
    const root = tree(tmp, {
      'app.py': '',
      '.flasktutor.json': '{}',
      [`${BACKUP_DIR}/2025-01-01T00-00-00Z/app.py`]: '',
      '.venv/bin/python': '',
      'pkg/__pycache__/m.cpython-311.pyc': '',
      'pkg/m.py': '',
      'instance/app.db': '',
    });
    assert.deepStrictEqual(await listFiles(root, { skipMarker: true }), ['app.py', 'instance/app.db', 'pkg/m.py']);
    assert.deepStrictEqual(await listFiles(root), ['.flasktutor.json', 'app.py', 'instance/app.db', 'pkg/m.py']);
  });

  const stamps: [string, string][] = [
    ['2025-11-22T09:05:03.123Z', '2025-11-22T09-05-03Z'],
    ['2024-02-29T23:59:59.000Z', '2024-02-29T23-59-59Z'],
  ];
  for (const [iso, stamp] of stamps) {
    it(`backup stamp ${iso} ↔ ${stamp}`, () => {
      assert.strictEqual(backupStamp(new Date(iso)), stamp);
      assert.strictEqual(parseBackupStamp(stamp)?.toISOString(), iso.replace(/\.\d+Z$/, '.000Z'));
      assert.strictEqual(parseBackupStamp(`${stamp}-2`)?.toISOString(), iso.replace(/\.\d+Z$/, '.000Z'));
    });
  }
  it('rejects folder names that are not backups', () => assert.strictEqual(parseBackupStamp('notes'), undefined));

  it('reset: backup first, then the starter; the marker and .venv stay; backups are listed newest first', async () => {
    const starter = tree(path.join(tmp, 'starter'), { 'app.py': 'starter', 'templates/base.html': 'base' });
    const folder = tree(path.join(tmp, 'ex'), {
      '.flasktutor.json': 'marker',
      'app.py': 'mine',
      'notes.txt': 'my notes',
      'extra/deep.py': 'deep',
      '.venv/bin/python': 'venv',
    });
    const first = await createBackup(folder, new Date('2025-01-01T10:00:00Z'));
    assert.strictEqual(first.name, '2025-01-01T10-00-00Z');
    assert.deepStrictEqual(first.files, ['app.py', 'extra/deep.py', 'notes.txt']);
    const { removed } = await restoreTree(starter, folder);
    assert.deepStrictEqual(removed, ['extra/deep.py', 'notes.txt']);
    const after = read(folder);
    assert.strictEqual(after['app.py'], 'starter');
    assert.strictEqual(after['templates/base.html'], 'base');
    assert.strictEqual(after['.flasktutor.json'], 'marker');
    assert.strictEqual(after['.venv/bin/python'], 'venv');
    assert.strictEqual(after['notes.txt'], undefined);
    assert.ok(!fs.existsSync(path.join(folder, 'extra')), 'emptied folders are removed');
    assert.strictEqual(after[`${BACKUP_DIR}/2025-01-01T10-00-00Z/notes.txt`], 'my notes');
    assert.strictEqual(after[`${BACKUP_DIR}/2025-01-01T10-00-00Z/.flasktutor.json`], undefined, 'a backup never holds a marker');

    const second = await createBackup(folder, new Date('2025-01-01T10:00:00Z'));
    assert.strictEqual(second.name, '2025-01-01T10-00-00Z-2', 'same second: a suffix, never an overwrite');
    const third = await createBackup(folder, new Date('2025-01-02T08:00:00Z'));
    assert.deepStrictEqual((await listBackups(folder)).map((b) => b.name), [third.name, second.name, first.name]);

    await restoreTree(first.dir, folder);
    const restored = read(folder);
    assert.strictEqual(restored['app.py'], 'mine');
    assert.strictEqual(restored['extra/deep.py'], 'deep');
    assert.strictEqual(restored['templates/base.html'], undefined);
    assert.strictEqual(restored['.flasktutor.json'], 'marker');
  });

  it('differingFiles lists the solution files that differ from or are missing in the learner folder', async () => {
    const solution = tree(path.join(tmp, 'solution'), { 'app.py': 'done', 'helpers.py': 'same', 'templates/x.html': 'x' });
    const mine = tree(path.join(tmp, 'mine'), { 'app.py': 'todo', 'helpers.py': 'same' });
    assert.deepStrictEqual(await differingFiles(solution, mine), ['app.py', 'templates/x.html']);
  });
});
