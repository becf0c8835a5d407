import * as assert from 'assert';
import { parseChecks, readableName } from '../../src/core/checkParser';

describe('checkParser.parseChecks', () => {
  const cases: { title: string; source: string; expected: { name: string; label: string; startLine: number; endLine: number }[] }[] = [
    {
      title: 'top-level functions with and without docstrings',
      source: [
        'import pytest',
        '',
        'def test_home(client):',
        '    """GET / answers 200 with a greeting."""',
        '    assert client.get("/").status_code == 200',
        '',
        'def test_about_page(client):',
        '    assert client.get("/about").status_code == 200',
        '',
        'def helper():',
        '    pass',
      ].join('\n'),
      expected: [
        { name: 'test_home', label: 'GET / answers 200 with a greeting.', startLine: 2, endLine: 4 },
        { name: 'test_about_page', label: 'about page', startLine: 6, endLine: 7 },
      ],
    },
    {
      title: 'decorators belong to the range; multi-line signature; docstring on the next line',
      source: [
        '@pytest.mark.parametrize("path", ["/a", "/b"])',
        'def test_paths(',
        '    client, path,',
        '):',
        '    """',
        '    Every path answers.',
        '    """',
        '    assert client.get(path)',
      ].join('\n'),
      expected: [{ name: 'test_paths', label: 'Every path answers.', startLine: 0, endLine: 7 }],
    },
    {
      title: 'methods of Test classes; nested functions and non-test classes are ignored',
      source: [
        'class TestApi:',
        "    '''The API.'''",
        '    def test_list(self, client):',
        "        '''Lists items.'''",
        '        def test_inner():',
        '            pass',
        '        assert True',
        '',
        'class Helper:',
        '    def test_not_collected(self):',
        '        pass',
        'async def test_async():',
        '    pass',
      ].join('\n'),
      expected: [
        { name: 'TestApi::test_list', label: 'Lists items.', startLine: 2, endLine: 6 },
        { name: 'test_async', label: 'async', startLine: 11, endLine: 12 },
      ],
    },
    {
      title: 'CRLF line endings and a comment before the docstring',
      source: 'def test_x():\r\n    # note\r\n    "Single quoted doc"\r\n    pass\r\n',
      expected: [{ name: 'test_x', label: 'Single quoted doc', startLine: 0, endLine: 3 }],
    },
    { title: 'no tests', source: 'x = 1\n', expected: [] },
  ];
  for (const c of cases) {
    it(c.title, () => {
      assert.deepStrictEqual(parseChecks(c.source), c.expected);
    });
  }

  it('readableName', () => {
    assert.strictEqual(readableName('test_home_returns_200'), 'home returns 200');
    assert.strictEqual(readableName('test'), 'test');
  });
});
