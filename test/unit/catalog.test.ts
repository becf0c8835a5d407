import * as assert from 'assert';
import * as path from 'path';
import { compareChapterIds } from '../../src/core/chapters';
import { loadCatalog } from '../../src/engine/catalog';

describe('catalog: the course in course order', () => {
  it('lists the shipped exercises F1 first, chapters in syllabus order (P0 before C01), each chapter by its order', () => {
    const { exercises } = loadCatalog(path.resolve(__dirname, '..', '..', '..', 'exercises'));
    assert.ok(exercises[0].id.startsWith('f1-'), `first exercise: ${exercises[0].id}`);
    for (let i = 1; i < exercises.length; i++) {
      const [a, b] = [exercises[i - 1], exercises[i]];
      const c = compareChapterIds(a.chapter, b.chapter);
      assert.ok(c < 0 || (c === 0 && a.order <= b.order), `${a.id} comes before ${b.id}`);
    }
    const chapters = [...new Set(exercises.map((e) => e.chapter))];
    if (chapters.includes('c01')) assert.ok(chapters.indexOf('p0') < chapters.indexOf('c01'), chapters.join(' '));
  });
});
