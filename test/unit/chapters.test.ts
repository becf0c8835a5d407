import * as assert from 'assert';
import { CHAPTERS, chapterDisplayName, chapterOfExerciseId, compareChapterIds, isChapterId } from '../../src/core/chapters';

describe('chapters', () => {
  it('follows the syllabus: f1-f5, p0, the capstones tm bp ec, c01-c05, p1 (Part 1 project), c06-c10, p2 (Part 2 project), c11-c23, in course order', () => {
    const ids = CHAPTERS.map((c) => c.id);
    assert.deepStrictEqual(ids.slice(0, 6), ['f1', 'f2', 'f3', 'f4', 'f5', 'p0']);
    assert.deepStrictEqual(ids.slice(13, 16), ['c05', 'p1', 'c06']);
    assert.deepStrictEqual(ids.slice(5, 9), ['p0', 'tm', 'bp', 'ec']);
    assert.strictEqual(CHAPTERS[14].part, 1);
    assert.strictEqual(CHAPTERS[8].part, 0);
    assert.deepStrictEqual(ids.slice(19, 22), ['c10', 'p2', 'c11']);
    assert.strictEqual(CHAPTERS[20].part, 2);
    assert.strictEqual(ids.length, 11 + 23);
    assert.strictEqual(ids[9], 'c01');
    assert.strictEqual(ids.at(-1), 'c23');
    assert.strictEqual(new Set(ids).size, ids.length);
  });

  const known: [string, boolean][] = [['f1', true], ['c23', true], ['p0', true], ['p1', true], ['p2', true], ['p3', false], ['c24', false], ['f6', false], ['F1', false], ['start', false]];
  for (const [id, ok] of known) it(`isChapterId(${id}) = ${ok}`, () => assert.strictEqual(isChapterId(id), ok));

  it('sorts chapters in course order, unknown ones last', () => {
    assert.deepStrictEqual(['c10', 'x1', 'f2', 'c02', 'p0', 'f1'].sort(compareChapterIds), ['f1', 'f2', 'p0', 'c02', 'c10', 'x1']);
  });

  const exerciseIds: [string, string | undefined][] = [
    ['f1-first-app', 'f1'],
    ['c01-app-factory', 'c01'],
    ['p0-users', 'p0'],
    ['p1-tasks-crud', 'p1'],
    ['x1-thing', undefined],
    ['f1', undefined],
    ['f1-Bad', undefined],
  ];
  for (const [id, chapter] of exerciseIds) it(`chapterOfExerciseId(${id}) = ${chapter}`, () => assert.strictEqual(chapterOfExerciseId(id), chapter));

  it('names chapters for people', () => {
    assert.strictEqual(chapterDisplayName('f1'), 'F1 · Flask fundamentals');
    assert.strictEqual(chapterDisplayName('zz'), 'ZZ');
  });
});
