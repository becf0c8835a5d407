// Deliberately failing: proves the integration tier reports failures. Runs only with
// FLASK_TUTOR_TEST_FAIL=1 (see scripts/test-launcher-proof.mjs), never in a normal run.
import * as assert from 'assert';

describe('launcher proof', () => {
  it('fails on purpose (FLASK_TUTOR_TEST_FAIL=1)', () => {
    assert.strictEqual(1 + 1, 3, 'this failure is expected: it proves failures are reported');
  });
});
