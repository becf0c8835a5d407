import * as assert from 'assert';
import { execFileSync } from 'child_process';
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

  it('passes on this repository (src/ and the pytest plugin)', () => {
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    assert.match(out, /cycles: 2 passed, 0 failed/);
  });
});
