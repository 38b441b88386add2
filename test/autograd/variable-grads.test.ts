import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dependsOn, variableGradients, variablesOf } from '../../src/autograd/variable-grads.js';
import { add, mul, noGrad, square, sub, sum, tensor, Variable } from '../../src/index.js';
import { registeredVariable } from '../../src/tensor/variable-registry.js';
import { assertClose } from '../helpers.js';

const variable = (values: number[], name: string, trainable = true) => new Variable(Float32Array.from(values), [values.length], name, trainable);

describe('variablesOf / dependsOn', () => {
  test('the trainable variables a result was computed from, in the order the computation used them', () => {
    const a = variable([1, 2], 'vg/a');
    const b = variable([3, 4], 'vg/b');
    const frozen = variable([1, 1], 'vg/frozen', false);
    const unused = variable([0, 0], 'vg/unused');
    const x = tensor([5, 6]).requireGrad();
    const y = sum(add(mul(b, mul(a, x)), mul(frozen, a)));
    assert.deepEqual(
      variablesOf(y).map((v) => v.name),
      ['vg/b', 'vg/a'],
    );
    assert.deepEqual(dependsOn(y, [a, unused, x, frozen]), [true, false, true, false]);
    assert.deepEqual(variablesOf(noGrad(() => sum(a))), []);
  });
});

describe('variableGradients', () => {
  test('differentiates with respect to the variables used, or those of varList that the loss depends on', () => {
    const w = variable([1, 2], 'vg/w');
    const c = variable([3], 'vg/c');
    const other = variable([7], 'vg/other');
    const f = () => sum(square(sub(mul(w, tensor([2, 3])), c)));
    const all = variableGradients(f);
    assert.deepEqual(
      all.variables.map((v) => v.name),
      ['vg/w', 'vg/c'],
    );
    // r = [2 - 3, 6 - 3] = [-1, 3]; d/dw = 2 r x = [-4, 18]; d/dc = -2 sum(r) = -4
    assertClose(all.value, [10]);
    assertClose(all.grads[0], [-4, 18]);
    assertClose(all.grads[1], [-4]);
    const listed = variableGradients(f, [c, other]);
    assert.deepEqual(listed.variables, [c]);
    assertClose(listed.grads[0], [-4]);
  });

  test('errors name what is wrong', () => {
    const w = variable([1], 'vg/e');
    const frozen = variable([1], 'vg/efrozen', false);
    assert.throws(() => variableGradients(() => sum(tensor([1]))), /does not depend on any trainable variable/);
    assert.throws(() => variableGradients(() => mul(w, 2)), /must return a scalar \(rank 0\).*rank 1/);
    assert.throws(() => variableGradients(() => sum(w), [frozen]), /none of the 1 variables of varList is trainable/);
    assert.throws(() => variableGradients(() => sum(w), [tensor([1]) as never]), /varList must be an array of variables/);
    assert.throws(() => variableGradients((() => 3) as never), /must return the loss as a tensor, got number/);
  });
});

describe('variable registry', () => {
  test('a variable is found by name; the newest of a name wins', () => {
    const first = variable([1], 'vg/registry');
    assert.equal(registeredVariable('vg/registry'), first);
    const second = variable([2], 'vg/registry');
    assert.equal(registeredVariable('vg/registry'), second);
    assert.equal(registeredVariable('vg/never-made'), undefined);
  });
});
