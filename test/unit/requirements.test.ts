import * as assert from 'node:assert/strict';
import { compareVersions, describeUnmet, parseRequirement, unmetRequirements } from '../../src/core/requirements';

describe('requirements', () => {
  it('parses names, extras and specifiers', () => {
    assert.deepEqual(parseRequirement('Flask_SQLAlchemy>=3.0'), { text: 'Flask_SQLAlchemy>=3.0', name: 'flask-sqlalchemy', specifiers: [{ op: '>=', version: '3.0' }] });
    assert.deepEqual(parseRequirement('celery[redis] >=5, <6').specifiers, [
      { op: '>=', version: '5' },
      { op: '<', version: '6' },
    ]);
    assert.deepEqual(parseRequirement('flask-restx').specifiers, []);
    assert.throws(() => parseRequirement('flask @ https://x'), /unsupported/);
  });

  const cases: [string, string, number][] = [
    ['2.2.2', '2.2', 1],
    ['2.2', '2.2.0', 0],
    ['3.1.0rc1', '3.1', 0],
    ['1.4.46', '2.0', -1],
    ['10.0', '9.9.9', 1],
  ];
  for (const [a, b, want] of cases) it(`compares ${a} with ${b}`, () => assert.equal(compareVersions(a, b), want));

  const installed = { Flask: '2.2.2', 'Flask-SQLAlchemy': '3.0.3', marshmallow: '3.18.0', 'flask_cors': '3.0.10' };
  const table: [string, string | undefined][] = [
    ['flask>=2.2', undefined],
    ['flask>=3', '2.2.2 installed'],
    ['flask-sqlalchemy>=3.0,<4', undefined],
    ['Flask-CORS>=3', undefined],
    ['flask-restx', 'not installed'],
    ['marshmallow~=3.18', undefined],
    ['marshmallow~=3.19', '3.18.0 installed'],
    ['marshmallow==3.*', undefined],
    ['marshmallow!=3.*', '3.18.0 installed'],
    ['marshmallow==3.18.0', undefined],
  ];
  for (const [req, reason] of table) {
    it(`${req} against the floor: ${reason ?? 'met'}`, () => {
      const unmet = unmetRequirements([req], installed);
      assert.deepEqual(unmet, reason ? [{ requirement: req, reason }] : []);
    });
  }

  it('describes what is unmet in one line', () => {
    assert.equal(describeUnmet(unmetRequirements(['flask-restx', 'flask>=3'], installed)), 'flask-restx (not installed), flask>=3 (2.2.2 installed)');
  });
});
