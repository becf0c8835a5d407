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

// The staged projects (exercises/p1, the Part 0 capstones tm, bp, ec): each stage starts from the
// previous stage's solution. The starter of stage n+1 holds every file of the solution of stage n,
// byte for byte, and may add new files (the next stage's skeleton, for example auth.py with its
// TODO list, or a template the stage needs).
const root = path.join(__dirname, '..', '..', '..', 'exercises');
const catalog = loadCatalog(root).exercises;
for (const project of ['p1', 'tm', 'bp', 'ec', 'p2']) {
  const stages = catalog.filter((e) => e.chapter === project).sort((a, b) => a.order - b.order);
  if (project !== 'p1' && stages.length === 0) continue; // a capstone not written yet
  describe(`project ${project}: each starter is the previous stage's solution`, () => {
    it('has its stages numbered 1..n, in order', () => {
      assert.deepStrictEqual(stages.map((e) => e.order), stages.map((_, i) => i + 1));
      if (project === 'p1') assert.strictEqual(stages.length, 5);
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
        assert.ok(added.every((f) => /\.(py|html)$/.test(f)), `only new modules or templates may be added: ${added.join(', ')}`);
      });
    }
  });
}
