import * as assert from 'assert';
import { checkMarkdown, collectLinks, LinkRules, parseCommandLink } from '../../src/core/markdownCheck';

const rules = (where: LinkRules['where']): LinkRules => ({
  where,
  commands: new Set(['flaskTutor.startExercise', 'flaskTutor.showProgress', 'flaskTutor.openWalkthrough', 'flaskTutor.resetProgress', 'flaskTutor.createVenv', 'flaskTutor.insertSnippet']),
  builtinCommands: new Set(['workbench.action.openWalkthrough']),
  exerciseIds: new Set(['f1-first-app']),
  snippetPrefixes: new Set(['fl-route']),
  fileExists: (p) => ['starter/app.py', 'diagram.svg', 'a b.png'].includes(p),
});

describe('markdownCheck.collectLinks', () => {
  it('finds links and images with their lines, hrefs as written', () => {
    const links = collectLinks('Intro\n\n[Start](command:flaskTutor.startExercise?["f1-first-app"])\n\n![A diagram](diagram.svg)\n', 10);
    assert.deepStrictEqual(links, [
      { kind: 'link', href: 'command:flaskTutor.startExercise?["f1-first-app"]', text: 'Start', line: 12 },
      { kind: 'image', href: 'diagram.svg', text: 'A diagram', line: 14 },
    ]);
  });

  it('ignores links inside code', () => {
    assert.deepStrictEqual(collectLinks('`[x](y)`\n\n```\n[a](b)\n```\n'), []);
  });
});

describe('markdownCheck.parseCommandLink', () => {
  const cases: [string, ReturnType<typeof parseCommandLink>][] = [
    ['command:a.b', { command: 'a.b' }],
    ['command:a.b?["x"]', { command: 'a.b', args: ['x'] }],
    ['command:a.b?%5B%22x%22%5D', { command: 'a.b', args: ['x'] }],
    ['command:toSide:a.b?{"k":1}', { command: 'a.b', args: { k: 1 } }],
    ['https://x', undefined],
  ];
  for (const [href, expected] of cases) it(href, () => assert.deepStrictEqual(parseCommandLink(href), expected));

  it('reports arguments that are not JSON', () => {
    assert.match(parseCommandLink('command:a.b?[x]')?.error ?? '', /not valid JSON/);
  });
});

describe('markdownCheck.checkMarkdown', () => {
  const cases: [string, LinkRules['where'], string, RegExp | undefined][] = [
    ['a contributed command with an exercise id', 'step', '[S](command:flaskTutor.startExercise?["f1-first-app"])', undefined],
    ['a command without arguments', 'step', '[P](command:flaskTutor.showProgress)', undefined],
    ['a builtin command with object arguments', 'step', '[W](command:workbench.action.openWalkthrough?{"category":"x"})', undefined],
    ['a command nobody contributes', 'step', '[X](command:flaskTutor.nope)', /does not contribute/],
    ['an unknown exercise id', 'step', '[S](command:flaskTutor.startExercise?["f1-nope"])', /no exercise "f1-nope"/],
    ['arguments that are not an array', 'step', '[S](command:flaskTutor.startExercise?"f1-first-app")', /JSON array/],
    ['arguments that are not JSON', 'step', '[S](command:flaskTutor.startExercise?[f1])', /not valid JSON/],
    ['arguments to a command without any', 'step', '[P](command:flaskTutor.showProgress?["x"])', /takes no arguments/],
    ['a chapter argument', 'step', '[C](command:flaskTutor.openWalkthrough?["f1"])', undefined],
    ['a bad chapter argument', 'step', '[C](command:flaskTutor.openWalkthrough?["f9"])', /neither "start" nor a chapter id/],
    ['a snippet that exists', 'step', '[I](command:flaskTutor.insertSnippet?["fl-route"])', undefined],
    ['a snippet that does not exist', 'step', '[I](command:flaskTutor.insertSnippet?["fl-nope"])', /no snippet "fl-nope"/],
    ['"all" for a reset', 'step', '[R](command:flaskTutor.resetProgress?["all"])', undefined],
    ['an https link', 'step', '[Docs](https://flask.palletsprojects.com/)', undefined],
    ['an http link', 'document', '[Docs](http://example.com/)', /use https/],
    ['the learner\'s dev server over http', 'document', '[Open](http://127.0.0.1:5000/health)', undefined],
    ['a relative link in a step', 'step', '[App](starter/app.py)', /open only command: and https: links/],
    ['a relative link that exists', 'document', '[App](starter/app.py)', undefined],
    ['a relative link with a fragment', 'document', '[App](starter/app.py#L3)', undefined],
    ['a relative link that does not exist', 'document', '[App](starter/nope.py)', /does not exist/],
    ['an encoded relative path', 'document', '![Pic](a%20b.png)', undefined],
    ['an absolute path', 'document', '[Abs](/etc/passwd)', /relative to this file/],
    ['a fragment link', 'document', '[Up](#top)', undefined],
    ['a javascript: link', 'document', '[X](javascript:alert(1))', /scheme/],
    ['an image without alt text', 'document', '![](diagram.svg)', /no alt text/],
    ['an image with alt text', 'document', '![A diagram](diagram.svg)', undefined],
    ['a remote image', 'document', '![Logo](https://x/logo.png)', /remote images/],
    ['an image in a step description', 'step', '![A diagram](diagram.svg)', /not shown in a step description/],
    ['a raw HTML image', 'document', '<img src="diagram.svg">', /raw HTML images/],
  ];
  for (const [name, where, text, problem] of cases) {
    it(name, () => {
      const problems = checkMarkdown(text, rules(where));
      if (problem) assert.ok(problems.some((p) => problem.test(p)), problems.join('; ') || '(no problem)');
      else assert.deepStrictEqual(problems, []);
    });
  }

  it('prefixes problems with the file line', () => {
    assert.deepStrictEqual(checkMarkdown('a\n\n[X](command:nope)', rules('step'), 5), ['line 7: command link names nope, which the extension does not contribute']);
  });
});
