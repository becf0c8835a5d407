import * as assert from 'assert';
import { createHmac } from 'crypto';
import { LineSplitter, parseEventLine, verifySignedLine } from '../../src/core/protocol';

describe('protocol.parseEventLine', () => {
  const cases: { line: string; kind: 'event' | 'ignored' | 'error'; reason?: RegExp }[] = [
    { line: '{"v":2,"event":"started","nodeid":"t.py::test_a"}', kind: 'event' },
    { line: '{"v":2,"event":"result","nodeid":"t.py::test_a","outcome":"passed","duration":0.1,"extra":true}', kind: 'event' },
    { line: '   ', kind: 'ignored' },
    { line: '{"v":2,"event":"telemetry"}', kind: 'ignored', reason: /unknown event/ },
    { line: '{"v":1,"event":"started","nodeid":"x"}', kind: 'error', reason: /version 1/ },
    { line: 'not json', kind: 'error', reason: /not JSON/ },
    { line: '[1,2]', kind: 'error', reason: /object/ },
    { line: '{"v":2,"event":"result","outcome":"passed"}', kind: 'error', reason: /nodeid/ },
    { line: '{"v":2,"event":"result","nodeid":"a","outcome":"weird"}', kind: 'error', reason: /outcome/ },
  ];
  for (const c of cases) {
    it(`${c.kind}: ${c.line.slice(0, 60)}`, () => {
      const parsed = parseEventLine(c.line);
      assert.strictEqual(parsed.kind, c.kind);
      if (c.reason && parsed.kind !== 'event') assert.match(parsed.reason, c.reason);
    });
  }
});

describe('protocol.verifySignedLine', () => {
  const secret = 'a'.repeat(64);
  const hmac = (body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('hex');
  const body = '{"v":2,"event":"result","nodeid":"t.py::test_a","outcome":"passed"}';
  const table: [name: string, line: string, want: string | undefined][] = [
    ['a line signed with the secret', `${hmac(body)} ${body}`, body],
    ['the same with a trailing newline', `${hmac(body)} ${body}\n`, body],
    ['an unsigned line', body, undefined],
    ['a made-up signature', `${'0'.repeat(64)} ${body}`, undefined],
    ['a signed line whose JSON was changed', `${hmac(body)} ${body.replace('passed', 'failed')}`, undefined],
    ['a signature made with another secret', `${createHmac('sha256', 'other').update(body).digest('hex')} ${body}`, undefined],
    ['a short signature', `abc ${body}`, undefined],
  ];
  for (const [name, line, want] of table) it(name, () => assert.strictEqual(verifySignedLine(line, hmac), want));
});

describe('protocol.LineSplitter', () => {
  it('joins lines split across chunks and keeps the tail', () => {
    const s = new LineSplitter();
    assert.deepStrictEqual(s.push('{"a":'), []);
    assert.deepStrictEqual(s.push('1}\n{"b"'), ['{"a":1}']);
    assert.deepStrictEqual(s.push(':2}\n'), ['{"b":2}']);
    assert.deepStrictEqual(s.end(), []);
  });
  it('returns an unterminated last line at the end', () => {
    const s = new LineSplitter();
    s.push('x\ny');
    assert.deepStrictEqual(s.end(), ['y']);
  });
});
