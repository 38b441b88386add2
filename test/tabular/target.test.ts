import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseTask, TabularTarget } from '../../src/tabular/target.js';
import { tensor } from '../../src/tensor/create.js';
import { assertClose } from '../helpers.js';

const numeric = { name: 'y', kind: 'numeric' as const };
const nominal = { name: 'y', kind: 'nominal' as const };

test('chooseTask: categories give binary or multiclass, numbers regression', () => {
  assert.equal(chooseTask(nominal, ['a', 'b', 'a']).task, 'binary');
  assert.equal(chooseTask(nominal, ['a', 'b', 'c']).task, 'multiclass');
  assert.equal(chooseTask({ name: 'y', kind: 'boolean' }, ['yes', 'no']).task, 'binary');
  assert.equal(chooseTask(numeric, ['1.5', '2.25', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']).task, 'regression');
  assert.equal(
    chooseTask(
      numeric,
      Array.from({ length: 40 }, (_, i) => String(i)),
    ).task,
    'regression',
  );
});

test('chooseTask: whole numbers with few values are classes, with a note; --task overrides', () => {
  const binary = chooseTask(numeric, ['0', '1', '1', '0']);
  assert.equal(binary.task, 'binary');
  assert.match(binary.note!, /two whole numbers \(0, 1\)/);
  const codes = Array.from({ length: 30 }, (_, i) => String(i % 3));
  assert.equal(chooseTask(numeric, codes).task, 'multiclass');
  assert.equal(chooseTask(numeric, codes, 'regression').task, 'regression');
  assert.equal(chooseTask(nominal, ['a', 'b'], 'multiclass').task, 'multiclass');
  assert.throws(() => chooseTask(nominal, ['a', 'b'], 'regression'), /--task regression needs a numeric target/);
  assert.throws(() => chooseTask(nominal, ['a', 'b', 'c'], 'binary'), /exactly 2 values, but 'y' has 3/);
  assert.throws(() => chooseTask(nominal, ['a', 'a', '']), /single value/);
});

test('TabularTarget: regression targets are standardised and mapped back', () => {
  const t = TabularTarget.fit(numeric, ['10', '20', '30'], 'regression');
  const y = t.encode(['10', '30'], [2, 3], 't.csv');
  assertClose(y, [-1.2247449, 1.2247449], { shape: [2, 1], rtol: 1e-5 });
  assertClose(t.values(y), [10, 30], { rtol: 1e-5 });
  assert.throws(() => t.encode(['x'], [7], 't.csv'), /t\.csv, line 7: the target 'y' must hold a number, got "x"/);
});

test('TabularTarget: classes in natural order, one-hot or 0/1 labels, probabilities per class', () => {
  // the classes come from every labelled row, not only the training rows (0 and 1 here)
  const multi = TabularTarget.fit(nominal, ['b', 'c', 'a'], 'multiclass', [0, 1]);
  assert.deepEqual(multi.classes, ['a', 'b', 'c']);
  assertClose(multi.encode(['c', 'a'], [2, 3], ''), [0, 0, 1, 1, 0, 0], { shape: [2, 3] });
  assert.deepEqual([...multi.predictedCodes(tensor([[0.1, 0.7, 0.2]]))], [1]);
  const numbers = TabularTarget.fit(numeric, ['10', '9', '2'], 'multiclass');
  assert.deepEqual(numbers.classes, ['2', '9', '10']);
  const flags = TabularTarget.fit({ name: 'y', kind: 'boolean' }, ['yes', 'no'], 'binary');
  assert.deepEqual(flags.classes, ['no', 'yes']);
  assertClose(flags.encode(['yes', 'no'], [2, 3], ''), [1, 0], { shape: [2, 1] });
  assert.deepEqual([...flags.probabilities(tensor([[0.25]]))], [0.75, 0.25]);
  assert.throws(() => flags.encode(['maybe'], [9], 'f.csv'), /line 9: the target 'y' has the class "maybe", never seen in training/);
  const back = TabularTarget.fromJSON(JSON.parse(JSON.stringify(multi.toJSON())));
  assert.deepEqual(back.classes, ['a', 'b', 'c']);
});
