import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { findDuplicates, lintSnippet } from '../../src/core/snippetBody';
import {
  INSERT_SNIPPET_COMMAND,
  SnippetCatalog,
  findSnippet,
  groupByChapter,
  insertSnippetUri,
  kindOfLanguage,
  parseCatalog,
  prefixFromArgument,
} from '../../src/core/snippetCatalog';
import { isChapterId } from '../../src/core/chapters';

const ROOT = path.resolve(__dirname, '../../..');

const sample: SnippetCatalog = parseCatalog({
  languages: { python: ['python'], template: ['jinja-html', 'html'] },
  snippets: [
    { prefix: 'fl-c', name: 'C', description: 'c', chapter: 'c15', kind: 'python', body: 'c' },
    { prefix: 'fl-a', name: 'A', description: 'a', chapter: 'f1', kind: 'python', body: 'a' },
    { prefix: 'fl-t', name: 'T', description: 't', chapter: 'f1', kind: 'template', body: 't' },
    { prefix: 'fl-b', name: 'B', description: 'b', chapter: 'f3', kind: 'python', body: 'b' },
  ],
});

describe('snippetCatalog', () => {
  const args: { arg: unknown; prefix: string | undefined }[] = [
    { arg: 'fl-route', prefix: 'fl-route' },
    { arg: ' fl-route ', prefix: 'fl-route' },
    { arg: { prefix: 'fl-route' }, prefix: 'fl-route' },
    { arg: { prefix: 3 }, prefix: undefined },
    { arg: '', prefix: undefined },
    { arg: ['fl-route'], prefix: undefined },
    { arg: 42, prefix: undefined },
  ];
  for (const c of args) {
    it(`prefixFromArgument(${JSON.stringify(c.arg)})`, () => assert.strictEqual(prefixFromArgument(c.arg), c.prefix));
  }

  it('kindOfLanguage maps contributed languages to kinds', () => {
    assert.deepStrictEqual(
      ['python', 'jinja-html', 'html', 'markdown'].map((l) => kindOfLanguage(sample, l)),
      ['python', 'template', 'template', undefined],
    );
  });

  it('groupByChapter orders chapters as the course does', () => {
    assert.deepStrictEqual(
      groupByChapter(sample.snippets).map((g) => [g.chapter, g.snippets.map((s) => s.prefix)]),
      [['f1', ['fl-a', 'fl-t']], ['f3', ['fl-b']], ['c15', ['fl-c']]],
    );
  });

  it('findSnippet looks up by prefix', () => {
    assert.strictEqual(findSnippet(sample, 'fl-b')?.name, 'B');
    assert.strictEqual(findSnippet(sample, 'fl-x'), undefined);
  });

  it('insertSnippetUri encodes the argument for a command link', () => {
    assert.strictEqual(insertSnippetUri('fl-route'), `command:${INSERT_SNIPPET_COMMAND}?%7B%22prefix%22%3A%22fl-route%22%7D`);
  });

  const bad: { title: string; data: unknown; message: RegExp }[] = [
    { title: 'not an object', data: [], message: /expected an object/ },
    { title: 'a kind without languages', data: { languages: { python: ['python'] }, snippets: [] }, message: /languages.template/ },
    { title: 'a snippet without a body', data: { languages: sample.languages, snippets: [{ prefix: 'fl-a', name: 'A', description: 'a', chapter: 'f1', kind: 'python' }] }, message: /#1 lacks/ },
    { title: 'an unknown kind', data: { languages: sample.languages, snippets: [{ prefix: 'fl-a', name: 'A', description: 'a', chapter: 'f1', kind: 'css', body: '' }] }, message: /unknown kind/ },
  ];
  for (const c of bad) {
    it(`parseCatalog rejects ${c.title}`, () => assert.throws(() => parseCatalog(c.data), c.message));
  }
});

describe('snippets/catalog.json (generated)', () => {
  const catalog = parseCatalog(JSON.parse(readFileSync(path.join(ROOT, 'snippets/catalog.json'), 'utf8')));

  it('has at least 120 snippets, Python and templates', () => {
    assert.ok(catalog.snippets.length >= 120, `${catalog.snippets.length} snippets`);
    assert.ok(catalog.snippets.some((s) => s.kind === 'template'));
  });

  it('names a chapter of the course for every snippet', () => {
    assert.deepStrictEqual(catalog.snippets.filter((s) => !isChapterId(s.chapter)).map((s) => s.prefix), []);
  });

  it('has unique prefixes and clean snippets', () => {
    assert.deepStrictEqual([...findDuplicates(catalog.snippets, (s) => s.prefix).keys()], []);
    const problems = catalog.snippets.flatMap((s) => lintSnippet(s).map((p) => `${s.prefix}: ${p}`));
    assert.deepStrictEqual(problems, []);
  });

  it('offers templates only for template languages, never for Python', () => {
    assert.ok(!catalog.languages.template.includes('python'));
    assert.deepStrictEqual(catalog.languages.python, ['python']);
  });
});
