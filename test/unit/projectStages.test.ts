import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../src/engine/catalog';

/** Files of a folder, relative paths with '/', sorted. */
function files(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]))
    .sort();
}

// Part 1's project (exercises/p1): each stage starts from the previous stage's solution. The
// starter of stage n+1 holds every file of the solution of stage n, byte for byte, and may add
// new files (the next stage's skeleton, for example auth.py with its TODO list).
describe('project p1: each starter is the previous stage\'s solution', () => {
  const root = path.join(__dirname, '..', '..', '..', 'exercises');
  const stages = loadCatalog(root).exercises.filter((e) => e.chapter === 'p1');

  it('has its five stages, in order', () => {
    assert.deepStrictEqual(stages.map((e) => e.order), [1, 2, 3, 4, 5]);
  });

  for (let i = 1; i < stages.length; i++) {
    const [before, after] = [stages[i - 1], stages[i]];
    it(`${after.id} starts from ${before.id}'s solution`, () => {
      const added = files(after.starterDir).filter((f) => !fs.existsSync(path.join(before.solutionDir, f)));
      for (const file of files(before.solutionDir).filter((f) => !/(^|\/)(locustfile\.py|postman_collection\.json)$/.test(f))) {
        const starter = path.join(after.starterDir, file);
        assert.ok(fs.existsSync(starter), `${after.id}/starter lacks ${file} of ${before.id}/solution`);
        assert.ok(fs.readFileSync(starter).equals(fs.readFileSync(path.join(before.solutionDir, file))), `${after.id}/starter/${file} differs from ${before.id}/solution/${file}`);
      }
      assert.ok(added.every((f) => f.endsWith('.py')), `only new modules may be added: ${added.join(', ')}`);
    });
  }
});
