import * as assert from 'assert';
import { parseFrontMatter } from '../../src/core/frontMatter';
import {
  courseMapText,
  ExerciseInfo,
  exerciseStepId,
  fullStepId,
  generateWalkthroughs,
  GenProblem,
  toStepDescription,
  toVsCodeInline,
  WalkthroughFolder,
} from '../../src/core/walkthroughGen';

describe('frontMatter.parseFrontMatter', () => {
  it('reads key: value lines, JSON strings, comments, and the body with its first line', () => {
    const fm = parseFrontMatter('---\ntitle: Routes: and views\n# a comment\nalt: "  spaced "\n\nsvg: media/f1/a.svg\n---\nBody line\n');
    assert.deepStrictEqual([...fm.data], [['title', 'Routes: and views'], ['alt', '  spaced '], ['svg', 'media/f1/a.svg']]);
    assert.strictEqual(fm.body, 'Body line\n');
    assert.strictEqual(fm.bodyLine, 8);
    assert.deepStrictEqual(fm.problems, []);
    assert.strictEqual(fm.present, true);
  });

  const bad: [string, string, RegExp][] = [
    ['no closing line', '---\ntitle: x\n', /no closing/],
    ['a line without a key', '---\njust text\n---\n', /expected "key: value"/],
    ['a broken JSON string', '---\nalt: "unterminated\n---\n', /not a valid JSON string/],
    ['a key given twice', '---\ntitle: a\ntitle: b\n---\n', /given twice/],
  ];
  for (const [name, text, problem] of bad) {
    it(`reports ${name}`, () => assert.ok(parseFrontMatter(text).problems.some((p) => problem.test(p))));
  }

  it('treats a file without front matter as all body', () => {
    const fm = parseFrontMatter('# Title\ntext');
    assert.strictEqual(fm.present, false);
    assert.strictEqual(fm.body, '# Title\ntext');
  });
});

describe('walkthroughGen.toVsCodeInline (Markdown → VS Code step syntax)', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['a `code` span', 'a ``code`` span'],
    ['``already double``', '``already double``'],
    ['*italic* and _italic_', '__italic__ and __italic__'],
    ['**bold** stays', '**bold** stays'],
    ['__bold__ in Markdown', '**bold** in Markdown'],
    ['snake_case_name stays, __init__ is Markdown bold', 'snake_case_name stays, **init** is Markdown bold'],
    ['`__init__` in code stays', '``__init__`` in code stays'],
    ['5 * 3 * 2 is not italic', '5 * 3 * 2 is not italic'],
    ['a [link](https://x/a_b_c) is kept', 'a [link](https://x/a_b_c) is kept'],
    ['**bold with `code`**', '**bold with ``code``**'],
    ['an \\*escaped\\* star', 'an \\*escaped\\* star'],
    ['unclosed `tick', 'unclosed `tick'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.strictEqual(toVsCodeInline(input), expected));
});

describe('walkthroughGen.toStepDescription', () => {
  const cases: [string, string, string][] = [
    ['joins soft-wrapped lines, paragraphs become lines', 'One\ntwo.\n\nThree.', 'One two.\nThree.'],
    ['keeps a link alone on its line (a button)', 'Text\n[Go](command:x.y)\nmore', 'Text\n[Go](command:x.y)\nmore'],
    ['keeps list items apart', 'Loop:\n- a\n- b\n1. c', 'Loop:\n- a\n- b\n1. c'],
    ['translates inline code and italics', 'Use `flask run`,\n*then* open it.\n- a `b`', 'Use ``flask run``, __then__ open it.\n- a ``b``'],
    ['trims and drops blank lines', '\n\n  a  \n\n\n', 'a'],
  ];
  for (const [name, body, expected] of cases) it(name, () => assert.strictEqual(toStepDescription(body), expected));
});

const exercise = (id: string, order: number, over: Partial<ExerciseInfo> = {}): ExerciseInfo => {
  const [chapter, ...slug] = id.split('-');
  return {
    id,
    title: `Title ${id}`,
    chapter,
    order,
    summary: `Summary of ${id}.`,
    minutes: 10,
    briefPath: `exercises/${chapter}/${slug.join('-')}/README.md`,
    ...over,
  };
};

const folder = (name: string, files: Record<string, string>): WalkthroughFolder => ({
  name,
  files: Object.entries(files).map(([n, text]) => ({ name: n, text })),
});

const messages = (problems: GenProblem[]) => problems.map((p) => `${p.file}: ${p.message}`);

describe('walkthroughGen.generateWalkthroughs', () => {
  it('generates the documented chapter example (docs/exercise-format.md)', () => {
    const f1 = folder('f1', {
      'index.md': '---\ntitle: Flask Tutor F1: Flask fundamentals\ndescription: Routes, views, templates and the request-response cycle, in five small apps.\n---\n',
      '01-framework.md':
        '---\ntitle: A framework, not a library\nsvg: media/f1/framework.svg\nalt: A restaurant kitchen.\n---\nWith a library, your code calls it. With a framework, it calls your code: Flask receives each\nrequest and calls the function you registered for its URL.\n\nThink of a restaurant kitchen: Flask takes the orders, you cook the dishes.\n',
      '02-routes.md':
        '---\ntitle: Routes and views\nmarkdown: media/f1/routes.md\ncompletion: onCommand:flaskTutor.openBrief\n---\nA **route** maps a URL to a view function.\n\n[Open the brief](command:flaskTutor.openBrief?["f1-first-app"])\n',
      '03-first-app.md': '---\nexercise: f1-first-app\ntitle: Build your first Flask app\n---\nPut the last two steps together: an app with two routes, `/` and `/health`. About 10 minutes.\n',
    });
    const { walkthroughs, problems } = generateWalkthroughs([f1], [exercise('f1-routes', 2), exercise('f1-first-app', 1)]);
    assert.deepStrictEqual(messages(problems), []);
    assert.strictEqual(walkthroughs.length, 1);
    const w = walkthroughs[0];
    assert.strictEqual(w.id, 'flaskTutor.f1');
    assert.strictEqual(w.title, 'Flask Tutor F1: Flask fundamentals');
    assert.deepStrictEqual(
      w.steps.map((s) => s.id),
      ['framework', 'routes', 'exercise-f1-first-app', 'exercise-f1-routes'],
    );
    assert.deepStrictEqual(w.steps[0], {
      id: 'framework',
      title: 'A framework, not a library',
      description:
        'With a library, your code calls it. With a framework, it calls your code: Flask receives each request and calls the function you registered for its URL.\nThink of a restaurant kitchen: Flask takes the orders, you cook the dishes.',
      media: { svg: 'media/f1/framework.svg', altText: 'A restaurant kitchen.' },
    });
    assert.deepStrictEqual(w.steps[1].completionEvents, ['onCommand:flaskTutor.openBrief']);
    assert.deepStrictEqual(w.steps[1].media, { markdown: 'media/f1/routes.md' });
    assert.deepStrictEqual(w.steps[2], {
      id: 'exercise-f1-first-app',
      title: 'Build your first Flask app',
      description:
        'Put the last two steps together: an app with two routes, ``/`` and ``/health``. About 10 minutes.\n[Start exercise](command:flaskTutor.startExercise?["f1-first-app"])\n[Verify exercise](command:flaskTutor.verifyExercise?["f1-first-app"])',
      media: { markdown: 'exercises/f1/first-app/README.md' },
      completionEvents: ['onContext:flaskTutor.passed.f1-first-app'],
    });
    assert.deepStrictEqual(w.steps[3], {
      id: 'exercise-f1-routes',
      title: 'Exercise: Title f1-routes',
      description:
        'Summary of f1-routes. (about 10 min)\n[Start exercise](command:flaskTutor.startExercise?["f1-routes"])\n[Verify exercise](command:flaskTutor.verifyExercise?["f1-routes"])',
      media: { markdown: 'exercises/f1/routes/README.md' },
      completionEvents: ['onContext:flaskTutor.passed.f1-routes'],
    });
  });

  it('orders walkthroughs start first, then chapters in course order; a chapter without a folder gets its exercise steps', () => {
    const start = folder('start', {
      'index.md': '---\ntitle: Start here\ndescription: The start.\n---\n',
      '01-hello.md': '---\ntitle: Hello\nsvg: media/start/a.svg\nalt: A picture.\ncompletion: onStepSelected\n---\nHi.\n',
    });
    const { walkthroughs, problems } = generateWalkthroughs([start], [exercise('c01-factory', 1), exercise('f2-cart', 1)]);
    assert.deepStrictEqual(messages(problems), []);
    assert.deepStrictEqual(walkthroughs.map((w) => w.id), ['flaskTutor.start', 'flaskTutor.f2', 'flaskTutor.c01']);
    assert.deepStrictEqual(walkthroughs[0].steps[0].completionEvents, ['onStepSelected']);
    assert.strictEqual(walkthroughs[1].title, 'Flask Tutor F2: Working with data');
    assert.strictEqual(walkthroughs[1].description, 'Working with data: 1 exercise, each verified by real checks.');
    assert.deepStrictEqual(Object.keys(walkthroughs[0]), ['id', 'title', 'description', 'steps']);
  });

  const broken: [string, WalkthroughFolder[], RegExp][] = [
    ['an unknown folder', [folder('f9', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\nx\n' })], /neither "start" nor a chapter id/],
    ['a badly named step file', [folder('f1', { 'intro.md': 'x' })], /named NN-<step>\.md/],
    ['a featured chapter (scrambles the Welcome page order)', [folder('f1', { 'index.md': '---\nfeaturedFor: **/f1-*/.flasktutor.json\n---\n', '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\nx\n' })], /featuredFor scrambles the Welcome page order/],
    ['a featured start (registered last when its globs match nothing)', [folder('start', { 'index.md': '---\ntitle: S\ndescription: D\nfeaturedFor: **/*.py\n---\n', '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\nx\n' })], /featuredFor scrambles/],
    ['a step without front matter', [folder('f1', { '01-a.md': 'text' })], /starts with a front matter block/],
    ['a concept step without a title', [folder('f1', { '01-a.md': '---\nmarkdown: media/a.md\n---\nx\n' })], /"title" is required/],
    ['a concept step without media', [folder('f1', { '01-a.md': '---\ntitle: A\n---\nx\n' })], /needs media/],
    ['an svg without alt text', [folder('f1', { '01-a.md': '---\ntitle: A\nsvg: media/a.svg\n---\nx\n' })], /needs "alt" text/],
    ['two kinds of media', [folder('f1', { '01-a.md': '---\ntitle: A\nsvg: media/a.svg\nalt: x\nmarkdown: media/a.md\n---\nx\n' })], /only one of/],
    ['a media path outside the extension', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: ../a.md\n---\nx\n' })], /relative to the extension root/],
    ['an unknown key', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\ncolour: red\n---\nx\n' })], /unknown front matter key "colour"/],
    ['no description', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\n' })], /needs a description/],
    ['both descriptions', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\ndescription: d\n---\nbody\n' })], /either as "description" or as the Markdown body/],
    ['a heading in a description', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\n# Big\n' })], /headings are not shown/],
    ['a code block in a description', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\n```\ncode\n```\n' })], /code blocks are not shown/],
    ['an unknown completion event', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\ncompletion: onClick:x\n---\nx\n' })], /unknown completion event "onClick:x"/],
    ['two steps with one number', [folder('f1', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\nx\n', '01-b.md': '---\ntitle: B\nmarkdown: media/b.md\n---\nx\n' })], /two steps are numbered 01/],
    ['an exercise step for another chapter', [folder('f1', { '01-a.md': '---\nexercise: f2-cart\n---\n' })], /not an exercise of chapter f1/],
    ['completion on an exercise step', [folder('f1', { '01-a.md': '---\nexercise: f1-a\ncompletion: onStepSelected\n---\n' })], /ticked when the exercise passes/],
    ['a reserved step id', [folder('f1', { '01-a.md': '---\ntitle: A\nid: exercise-x\nmarkdown: media/a.md\n---\nx\n' })], /reserved/],
    ['a start walkthrough without index.md', [folder('start', { '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\nx\n' })], /needs index\.md/],
  ];
  for (const [name, folders, problem] of broken) {
    it(`reports ${name}`, () => {
      const { problems } = generateWalkthroughs(folders, [exercise('f1-a', 1), exercise('f2-cart', 1)]);
      assert.ok(messages(problems).some((m) => problem.test(m)), messages(problems).join('\n') || '(no problems)');
    });
  }

  it('is deterministic (the --check compares JSON text)', () => {
    const folders = [folder('f1', { '02-b.md': '---\ntitle: B\nmarkdown: media/b.md\n---\nb\n', '01-a.md': '---\ntitle: A\nmarkdown: media/a.md\n---\na\n' })];
    const exercises = [exercise('f1-y', 2), exercise('f1-x', 1)];
    const a = JSON.stringify(generateWalkthroughs(folders, exercises));
    const b = JSON.stringify(generateWalkthroughs([...folders].reverse(), [...exercises].reverse()));
    assert.strictEqual(a, b);
  });
});

describe('walkthroughGen step ids', () => {
  it('builds the ids welcome.markStepIncomplete takes', () => {
    assert.strictEqual(exerciseStepId('f1-first-app'), 'exercise-f1-first-app');
    assert.strictEqual(fullStepId('flask-tutor.flask-backend-tutor', 'f1', 'f1-first-app'), 'flask-tutor.flask-backend-tutor#flaskTutor.f1#exercise-f1-first-app');
  });
});

describe('walkthroughGen.courseMapText', () => {
  it('lists what ships and what is still coming, and never sends the learner to a chapter that is not there', () => {
    const part0 = courseMapText(new Set(['f1', 'f2', 'f3', 'f4', 'f5', 'p0']));
    assert.match(part0.courseMap, /In the course now:\*\* Part 0, Flask foundations: F1, F2, F3, F4, F5, P0\./);
    assert.match(part0.courseMap, /Coming later.*Part 1, Flask API fundamentals \(C01–C05, P1\)/);
    assert.match(part0.nextPart(0), /Part 1, Flask API fundamentals, is coming/);
    const withC01 = courseMapText(new Set(['f1', 'p0', 'c01']));
    assert.match(withC01.courseMap, /Part 1, Flask API fundamentals: C01/);
    assert.match(withC01.courseMap, /Part 1, Flask API fundamentals \(C02–C05, P1\)/);
    assert.match(withC01.courseMap, /Part 0, Flask foundations \(F2–F5, TM, BP, EC\)/);
    assert.strictEqual(withC01.nextPart(0), 'Part 1, Flask API fundamentals, goes on from C01 · API development environment.');
  });
});
