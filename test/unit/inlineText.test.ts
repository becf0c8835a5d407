import * as assert from 'assert';
import { INLINE_LIMIT, inlineSummary, shortenValues, splitForInline, withInlineSummary } from '../../src/core/inlineText';

/** What VS Code 1.139 shows after the failing line: the first 128 characters, breaks as spaces. */
const shownInline = (text: string) => {
  const flat = text.replace(/\r?\n\s*/g, ' ');
  return flat.length > INLINE_LIMIT ? `${flat.slice(0, INLINE_LIMIT - 1)}…` : flat;
};

// Messages measured from our exercises' mutants and starters (2026-12): each cut inside its data.
const LEAK =
  "the 500 answer must not reveal the exception's details to the client, got '{\"error\":{\"code\":500,\"message\":\"Internal server error: tutor-secret-detail\"}}\\n' GET /api/_tutor_crash crashed in the view '_tutor_crash': RuntimeError: tutor-secret-detail.";
const MISSING_KEYS =
  "GET /api/books?per_page=1000 should answer an object with items, page, per_page, total and pages; missing ['items', 'page', 'per_page', 'total', 'pages'] in []";
const ESCAPED =
  "The comment table should store the body exactly as written ('<script>alert(1)</script>'); it holds ['&lt;script&gt;alert(1)&lt;/script&gt;']. Escape when the page shows a comment (Jinja's {{ ... }}), not before storing it.";

describe('inlineText: the inline failure text is the sentence, not half of the data', () => {
  it('shortens long quoted and bracketed values, keeps short ones and apostrophes', () => {
    assert.strictEqual(shortenValues("got 'application/json'"), "got 'application/json'");
    assert.strictEqual(shortenValues("the exception's details, got '{\"error\":{\"code\":500,\"message\":\"x\"}}'"), "the exception's details, got '{\"error\":{\"cod…'");
    assert.strictEqual(shortenValues("missing ['items', 'page', 'per_page', 'total'] in []"), "missing ['items', 'page…] in []");
    assert.strictEqual(shortenValues('an unclosed [bracket stays as it is'), 'an unclosed [bracket stays as it is');
    assert.strictEqual(shortenValues("it's Ada's {nested: ['a', 'b'], more: 1, and: 2}"), "it's Ada's {nested: ['a', …}");
  });

  it('leaves a message alone when VS Code already shows a whole sentence', () => {
    const short = 'POST /todos should answer 201 Created, got 200.';
    assert.strictEqual(inlineSummary(short), undefined);
    assert.strictEqual(withInlineSummary(short), short);
    const sentenceFirst = 'GET /health should answer {"status": "ok"}. ' + 'It answered something else entirely, '.repeat(5);
    assert.strictEqual(inlineSummary(sentenceFirst), undefined);
  });

  it('puts a shortened first sentence first, so the inline text is whole; the full text follows', () => {
    for (const text of [LEAK, MISSING_KEYS, ESCAPED]) {
      const message = withInlineSummary(text);
      assert.ok(message.endsWith(`\n\n${text}`), 'the whole message follows, unchanged');
      const summary = message.split('\n')[0];
      assert.ok(summary.length <= INLINE_LIMIT, `${summary.length}: ${summary}`);
      assert.ok(!shownInline(message).startsWith(shownInline(text)), 'what VS Code shows changed');
    }
    assert.strictEqual(
      inlineSummary(LEAK),
      "the 500 answer must not reveal the exception's details to the client, got '{\"error\":{\"cod…' GET /api/_tutor_crash crashed in…",
    );
    assert.strictEqual(
      inlineSummary(MISSING_KEYS),
      "GET /api/books?per_page=1000 should answer an object with items, page, per_page, total and pages; missing ['items', 'page…] in…",
    );
    assert.strictEqual(inlineSummary(ESCAPED), "The comment table should store the body exactly as written ('<script>alert(…'); it holds ['&lt;script&gt…].");
  });
});

describe('inlineText: which message VS Code draws at the failing line', () => {
  it('keeps one diff message when both values are short ("404 NOT FOUND != 200 OK" reads well)', () => {
    const m = { text: 'GET / should answer 200 OK: add a route.', expected: '200 OK', actual: '404 NOT FOUND' };
    assert.deepStrictEqual(splitForInline(m), { inline: m });
  });

  it('splits long or multi-line data off: the sentence at the line, the whole diff in a second message', () => {
    const m = { text: 'PATCH /todos/1 should change only done.', expected: '{\n  "done": true,\n  "id": 1\n}', actual: '{\n  "done": false,\n  "id": 1\n}' };
    assert.deepStrictEqual(splitForInline(m), { inline: { text: m.text }, data: m });
    const long = { text: 'x', expected: 'a'.repeat(31), actual: 'b' };
    assert.ok(splitForInline(long).data);
  });

  it('a message without data is only given its inline summary', () => {
    assert.deepStrictEqual(splitForInline({ text: 'short.' }), { inline: { text: 'short.' } });
  });
});
