import * as assert from 'assert';
import { buildRequest, ConsoleForm, formForRoute, showResponse } from '../../src/core/consoleForm';

const base: ConsoleForm = { method: 'get', path: 'todos?done=true', headers: '', bodyKind: 'none', body: '', bearer: '' };

describe('request console form (src/core/consoleForm.ts)', () => {
  it('builds a request: method upper-cased, a leading slash, a pasted URL reduced to its path, headers and a bearer token', () => {
    assert.deepStrictEqual(buildRequest(base), { request: { method: 'GET', path: '/todos?done=true', headers: {} } });
    const r = buildRequest({ ...base, method: 'POST', path: 'http://127.0.0.1:5000/api/todos?x=1', headers: 'Accept: application/json\n\nX-Trace:  abc ', bearer: ' tok ', bodyKind: 'json', body: '{"title": "x"}' });
    assert.deepStrictEqual(r, {
      request: { method: 'POST', path: '/api/todos?x=1', headers: { Accept: 'application/json', 'X-Trace': 'abc', Authorization: 'Bearer tok' }, body: { kind: 'json', text: '{"title": "x"}' } },
    });
    assert.deepStrictEqual(buildRequest({ ...base, method: 'POST', bodyKind: 'form', body: 'name=Ada\nemail=a=b@example.com\n' }), {
      request: { method: 'POST', path: '/todos?done=true', headers: {}, body: { kind: 'form', fields: { name: 'Ada', email: 'a=b@example.com' } } },
    });
  });

  it('names the learner\'s mistake instead of sending', () => {
    assert.match((buildRequest({ ...base, bodyKind: 'json', body: '{title: 1}' }) as { error: string }).error, /^The body is not valid JSON: /);
    assert.match((buildRequest({ ...base, headers: 'Accept application/json' }) as { error: string }).error, /Header line 1 .* needs a name, a colon and a value/);
    assert.match((buildRequest({ ...base, method: 'FETCH' }) as { error: string }).error, /Unknown method "FETCH"/);
    assert.match((buildRequest({ ...base, path: ' ' }) as { error: string }).error, /Type a path/);
  });

  it('shows a response: JSON indented, the status class, binary described, a cut body said', () => {
    const shown = showResponse({ id: 1, status: 201, statusText: '201 CREATED', headers: [['Content-Type', 'application/json']], body: '{"id":1}', bodyEncoding: 'text', truncated: false, isJson: true, ms: 3.2 });
    assert.deepStrictEqual(shown, { statusLine: '201 CREATED', statusClass: 'success', body: '{\n  "id": 1\n}', headers: 'Content-Type: application/json', ms: '3.2 ms' });
    assert.strictEqual(showResponse({ id: 1, status: 404, statusText: '404 NOT FOUND', headers: [], body: 'x', bodyEncoding: 'text', truncated: true, isJson: false, ms: 1 }).body, 'x\n… (cut at 1 MiB)');
    assert.strictEqual(showResponse({ id: 1, status: 500, statusText: '500', headers: [], body: 'AAAA', bodyEncoding: 'base64', truncated: false, isJson: false, ms: 1 }).statusClass, 'server');
    assert.deepStrictEqual(formForRoute('PATCH', '/todos/1'), { method: 'PATCH', path: '/todos/1', headers: '', bodyKind: 'json', body: '{\n  \n}', bearer: '' });
  });
});
