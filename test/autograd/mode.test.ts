import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGradEnabled, noGrad, tensor } from '../../src/index.js';

describe('noGrad', () => {
  test('disables recording', () => {
    const x = tensor([1, 2]).requireGrad();
    const y = noGrad(() => x.mul(2).add(1));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.deepEqual(y.toArray(), [3, 5], 'still computes');
    assert.throws(() => y.sum().backward(), /does not depend/);
  });

  test('restores the previous mode, also after an exception and when nested', () => {
    assert.equal(isGradEnabled(), true);
    noGrad(() => {
      assert.equal(isGradEnabled(), false);
      noGrad(() => assert.equal(isGradEnabled(), false));
      assert.equal(isGradEnabled(), false);
    });
    assert.equal(isGradEnabled(), true);
    assert.throws(
      () =>
        noGrad(() => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(isGradEnabled(), true);
  });

  test('returns the callback value', () => {
    assert.equal(
      noGrad(() => 42),
      42,
    );
  });

  test('recording resumes afterwards', () => {
    const x = tensor([1]).requireGrad();
    noGrad(() => x.mul(2));
    assert.equal(x.mul(2).requiresGrad, true);
  });
});
