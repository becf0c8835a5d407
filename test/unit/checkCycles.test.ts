import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** scripts/check-cycles.mjs: the repository has no import cycle, and a cycle is found when there is one. */
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts', 'check-cycles.mjs');

describe('scripts/check-cycles.mjs', () => {
  it('finds a cycle in a graph that has one, and none in a layered graph', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { findCycles } from ${JSON.stringify(SCRIPT)};
         const g = (edges) => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));
         console.log(JSON.stringify([
           findCycles(g({ plugin: ['explain', 'helpers'], explain: ['plugin'], helpers: [] })),
           findCycles(g({ plugin: ['explain', 'helpers', 'state'], explain: ['state'], helpers: ['state'], state: [] })),
         ]));`,
      ],
      { encoding: 'utf8' },
    );
    assert.deepStrictEqual(JSON.parse(out), [[['explain', 'plugin', 'explain']], []]);
  });

  it('sees every kind of Python import of our own modules', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-cycles-'));
    try {
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, 'pkg', rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, 'pkg', rel), text);
      };
      write('__init__.py', 'from . import _boot\nfrom .helpers import show\npytest_plugins = [\n    "pkg.plugin",\n]\n');
      write('_boot.py', 'def f():\n    import pkg._launch as launch\n');
      write('_launch.py', '');
      write('helpers.py', 'from pkg import about  # a name of __init__\n');
      write('plugin.py', 'from . import (\n    _state,  # run state\n    helpers,\n)\n');
      write('_state.py', 'import importlib\nimportlib.import_module("pkg._run")\n');
      write('_run.py', '');
      write('_worker.py', 'import _launch\nimport _thread\n');
      write('sub/__init__.py', '');
      write('sub/check.py', 'from ..plugin import app\nfrom .. import _run\n');
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { pyGraph } from ${JSON.stringify(SCRIPT)};
           import * as path from 'node:path';
           const root = ${JSON.stringify(path.join(dir, 'pkg'))};
           const rel = (f) => path.relative(root, f).split(path.sep).join('/');
           const g = pyGraph(root, 'pkg');
           console.log(JSON.stringify(Object.fromEntries([...g].map(([k, v]) => [rel(k), [...v].map(rel).sort()]))));`,
        ],
        { encoding: 'utf8' },
      );
      assert.deepStrictEqual(JSON.parse(out), {
        '__init__.py': ['_boot.py', 'helpers.py', 'plugin.py'],
        '_boot.py': ['_launch.py'],
        '_launch.py': [],
        'helpers.py': ['__init__.py'],
        'plugin.py': ['_state.py', 'helpers.py'],
        '_state.py': ['_run.py'],
        '_run.py': [],
        '_worker.py': ['_launch.py'],
        'sub/__init__.py': [],
        'sub/check.py': ['_run.py', 'plugin.py'],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes on this repository (src/, the pytest plugin and its tests)', () => {
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    assert.match(out, /cycles: 3 passed, 0 failed/);
  });
});
