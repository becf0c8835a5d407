import * as assert from 'node:assert/strict';
import { judgeMutant, parseReqMarkers, parseRequirements, traceProblems, validateMutant, validateVariant } from '../../src/core/traceability';

const BRIEF = `# Todo API

Some prose.

## Requirements

1. \`GET /todos\` answers 200 with a JSON list.
2. \`POST /todos\` creates a todo and answers **201** with a \`Location\` header
   pointing at the new todo.
3. A missing title answers 400.

## Hints
- not a requirement
1. not one either
`;

const CHECKS = `import pytest


@pytest.mark.req(1)
def test_list(client):
    pass


@pytest.mark.req(2, 3)
@pytest.mark.app_config(X=1)
def test_create(client):
    pass


def test_unmarked(client):
    pass
`;

describe('traceability', () => {
  it('reads the numbered requirements, joining continuation lines, stopping at the next section', () => {
    const parsed = parseRequirements(BRIEF)!;
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.requirements.map((r) => r.n), [1, 2, 3]);
    assert.match(parsed.requirements[1].text, /Location` header pointing at the new todo\.$/);
  });

  it('has no requirements without the section, and flags numbering out of order', () => {
    assert.equal(parseRequirements('# T\n\nprose'), undefined);
    assert.deepEqual(parseRequirements('## Requirements\n\n1. a\n3. b\n')!.problems, ['requirement 3 should be numbered 2 (number them 1, 2, 3... in order)']);
    assert.deepEqual(parseRequirements('## Requirements\n\nnone\n')!.problems, ['the "## Requirements" section has no numbered item']);
  });

  it('reads req markers among other decorators', () => {
    assert.deepEqual([...parseReqMarkers(CHECKS)], [
      ['test_list', [1]],
      ['test_create', [2, 3]],
      ['test_unmarked', undefined],
    ]);
  });

  it('names every gap: a requirement without a check, a check without a marker, an unknown number', () => {
    const { requirements } = parseRequirements(BRIEF)!;
    const markers = parseReqMarkers(CHECKS);
    markers.set('test_extra', [7]);
    markers.delete('test_list');
    assert.deepEqual(traceProblems(requirements, markers), [
      'check test_unmarked has no @pytest.mark.req(...) naming the requirements it covers',
      'check test_extra names requirement 7, which the brief does not have',
      'requirement 1 ("`GET /todos` answers 200 with a JSON list.") has no check',
    ]);
  });

  it('validates mutant.json and variant.json', () => {
    assert.deepEqual(validateMutant({ mistake: 'forgets db.session.commit()', requirement: 2, expect: 'commit' }).problems, []);
    assert.deepEqual(validateMutant({ mistake: 'x', requirement: 'two', expect: '', extra: 1 }).problems.length, 4);
    assert.deepEqual(validateVariant({ style: 'a module-level app instead of a factory' }).problems, []);
    assert.deepEqual(validateVariant({}).problems, ['"style": one sentence saying how this correct solution differs']);
  });

  const spec = { mistake: 'answers 200 instead of 201', requirement: 2, expect: '201' };
  const table: [string, { key: string; outcome: string; message: string }[], RegExp | undefined][] = [
    ['caught with the phrase on the right requirement', [{ key: 't.py::test_create', outcome: 'failed', message: 'Expected status 201 Created, got 200' }], undefined],
    ['not caught at all', [{ key: 't.py::test_create', outcome: 'passed', message: '' }], /the checks miss this mistake/],
    ['caught only by the app failing to load', [{ key: 't.py::test_create', outcome: 'errored', message: 'SyntaxError' }], /must load and fail a check/],
    ['caught with another message', [{ key: 't.py::test_create', outcome: 'failed', message: 'wrong JSON' }], /no failing check says "201"/],
    ['caught by a check of another requirement', [{ key: 't.py::test_list', outcome: 'failed', message: 'status 201' }], /does not cover requirement 2/],
  ];
  for (const [name, outcomes, want] of table) {
    it(`judges a mutant: ${name}`, () => {
      const why = judgeMutant(spec, outcomes, parseReqMarkers(CHECKS));
      if (want) assert.match(why ?? '', want);
      else assert.equal(why, undefined);
    });
  }
});
