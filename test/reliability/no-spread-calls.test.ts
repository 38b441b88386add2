// A call that spreads an array into its arguments (`rows.push(...more)`, `Math.max(...values)`) puts every
// element on the call stack: with a few hundred thousand elements it throws "Maximum call stack size exceeded"
// (a 300,000-row classification table did). This scan keeps such calls out of the library and the page; the
// few that remain spread short lists whose length the code fixes, each named here with its reason.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { trainTestIndices } from '../../src/data/split.js';
import { formatConfusionMatrix } from '../../src/nn/confusion-matrix.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Spreads of short lists, by file and argument: path segments, a function's own arguments, DOM children. */
const BOUNDED = new Map<string, string[]>([
  ['src/backend/native/index.ts', ['ADDON_PATH']], // a fixed path of a few segments
  ['src/io/folder-files.ts', ['segments']], // the segments of one file name
  ['src/autograd/functional.ts', ['leaves']], // one per argument of the user's function
  ['src/tfjs/gradients.ts', ['leaves', 'inputs']], // the same: tf.grads' and tf.customGrad's arguments
  ['web/src/sections/cnn.ts', ['blocks']], // one per feature map drawn (at most a few dozen)
  ['web/src/sections/cnn-layers.ts', ['blocks']], // one block per layer of the page's CNN
  ['web/src/sections/backprop.ts', ['cells', 'value']], // the few cells of a row of the 2-2-1 network's table
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The spread arguments of calls in `text`: `f(a, ...b)` gives 'b'; array and object literals and rest parameters do not count. */
export function spreadCalls(text: string): string[] {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
  const found: string[] = [];
  const open: string[] = [];
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') {
      // a call's parenthesis follows a name, a closing bracket or a generic's '>'
      const before = code.slice(0, i).trimEnd().at(-1) ?? '';
      open.push(c === '(' && /[\w$)\]>]/.test(before) ? 'call' : c);
    } else if (c === ')' || c === ']' || c === '}') {
      open.pop();
    } else if (code.startsWith('...', i) && open.at(-1) === 'call') {
      const match = /^\.\.\.\s*([\w$.]+)(\s*:)?/.exec(code.slice(i));
      if (match && !match[2]) found.push(match[1]);
      i += 2;
    }
  }
  return found;
}

test('the scan finds spreads into calls and nothing else', () => {
  assert.deepEqual(spreadCalls('rows.push(...more); Math.max(1, ...xs.map(f));'), ['more', 'xs.map']);
  assert.deepEqual(spreadCalls('const a = [...b, ...c]; const o = { ...d }; function f(...args: number[]) {} g([...h]);'), []);
  assert.deepEqual(spreadCalls("// push(...comment)\nconst s = 'f(...text)';"), []);
});

test('no call in src/ or web/src/ spreads an array of unbounded length into its arguments', () => {
  const offenders: string[] = [];
  for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'web', 'src'))]) {
    const name = relative(root, file).split('\\').join('/');
    const allowed = BOUNDED.get(name) ?? [];
    for (const spread of spreadCalls(readFileSync(file, 'utf8'))) if (!allowed.includes(spread)) offenders.push(`${name}: ...${spread}`);
  }
  assert.deepEqual(offenders, [], 'write a loop instead of spreading into a call');
});

test('a stratified split of 400,000 rows in two classes (push(...) overflowed the stack at about 300,000)', () => {
  const n = 400_000;
  const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
  const { trainIndices, testIndices } = trainTestIndices(n, { testSize: 0.2, stratify: labels, seed: 1 });
  assert.equal(trainIndices.length + testIndices.length, n);
  assert.equal(testIndices.length, 80_000);
  assert.equal(new Set([...trainIndices, ...testIndices]).size, n);
});

test('a confusion matrix of 400 classes formats (its widths were a spread of 160,000 cells)', () => {
  const k = 400;
  const matrix = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 12345 : 0)));
  const text = formatConfusionMatrix(matrix);
  assert.equal(text.split('\n').length, k + 1);
  assert.match(text.split('\n')[1], /^0\s+12345/);
});
