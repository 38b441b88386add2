import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { editJson, type JsonEdit } from './json-mutations.js';
import { layers, modelFromArtifacts, modelToArtifacts, optimizers, parseCsvRows, sequential, setSeed, tensor } from '../../src/index.js';

/**
 * Wall-clock budget for one fuzz case: the code under test is synchronous, so a hang (a loop that ends late, a
 * regular expression that backtracks without end) shows as a slow case. Generous, since a case takes milliseconds:
 * it finds blow-ups, and a busy machine does not fail it (speed is the bench's question).
 */
const CASE_BUDGET_MS = 20_000;

/** Runs `f` and checks the outcome: a value, or an `Error` with a message — never a thrown non-Error, never slow. */
async function succeedsOrThrowsError(what: string, f: () => unknown): Promise<void> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`HANG: ${what} did not settle within ${CASE_BUDGET_MS} ms`)), CASE_BUDGET_MS);
    });
    await Promise.race([Promise.resolve().then(f), hang]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('HANG:')) assert.fail(error.message);
    assert.ok(error instanceof Error, `${what} threw a non-Error: ${String(error)}`);
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.trim().length > 0, `${what} threw an Error with an empty message (${error.name})`);
  } finally {
    clearTimeout(timer);
  }
  const elapsed = performance.now() - start;
  assert.ok(elapsed < CASE_BUDGET_MS, `${what} took ${elapsed.toFixed(0)} ms (budget ${CASE_BUDGET_MS} ms)`);
}

// ---------------------------------------------------------------- CSV reader

const VALID_CSV = 'id,name,score,label\n1,"Smith, J",3.5,yes\n2,"say ""hi""",-1e3,no\n\n3,"multi\nline",,yes\n4, padded ,0.25,no\n';

const csvChars = fc.constantFrom(',', ';', '\t', '"', '\n', '\r', ' ', 'a', 'b', '1', '.', '-', 'e', '\uFEFF', '\u0000', 'é', '|');
const csvText = fc.oneof(
  fc.string({ unit: csvChars, maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('utf8')),
);

/** A valid CSV mutated: truncated, a character replaced / inserted / deleted, a line duplicated. */
const mutatedCsv = fc
  .array(fc.tuple(fc.constantFrom('truncate', 'replace', 'insert', 'delete', 'duplicate-line'), fc.nat(), csvChars), { minLength: 1, maxLength: 4 })
  .map((ops) => {
    let s = VALID_CSV;
    for (const [op, n, c] of ops) {
      const i = s.length === 0 ? 0 : n % (s.length + 1);
      if (op === 'truncate') s = s.slice(0, i);
      else if (op === 'replace') s = s.slice(0, i) + c + s.slice(i + 1);
      else if (op === 'insert') s = s.slice(0, i) + c + s.slice(i);
      else if (op === 'delete') s = s.slice(0, i) + s.slice(i + 1);
      else {
        const lines = s.split('\n');
        const k = n % lines.length;
        lines.splice(k, 0, lines[k]);
        s = lines.join('\n');
      }
    }
    return s;
  });

const delimiterArb = fc.option(fc.constantFrom(',', ';', '\t', '\\t', '|', '', '"', ',,', '\n'), { nil: undefined });

describe('fuzz: parseCsv', () => {
  test('the valid input parses', async () => {
    const table = await parseCsvRows(VALID_CSV);
    assert.deepEqual(table.columns, ['id', 'name', 'score', 'label']);
    assert.equal(table.rows.length, 4);
  });

  test('random text either parses or throws an Error with a message', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(csvText, delimiterArb, async (text, delimiter) => {
        await succeedsOrThrowsError(`parseCsv(${JSON.stringify(text)}, ${JSON.stringify(delimiter)})`, async () => {
          const table = await parseCsvRows(text, { delimiter });
          // A result is a consistent table.
          assert.ok(table.columns.length > 0 && table.rows.length > 0);
          assert.equal(table.rows.length, table.lines.length);
          for (const row of table.rows) assert.equal(row.length, table.columns.length);
        });
      }),
      { numRuns: 300 },
    );
  });

  test('mutated valid CSV either parses or throws an Error with a message', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutatedCsv, delimiterArb, async (text, delimiter) => {
        await succeedsOrThrowsError(`parseCsv(${JSON.stringify(text)}, ${JSON.stringify(delimiter)})`, async () => {
          const table = await parseCsvRows(text, { delimiter });
          for (const row of table.rows) assert.equal(row.length, table.columns.length);
        });
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------- model loader

setSeed(3);
const model = sequential([
  layers.dense({ units: 3, inputShape: [4], activation: 'relu' }),
  layers.dropout({ rate: 0.1 }),
  layers.dense({ units: 2, activation: 'softmax' }),
]);
model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const artifacts = modelToArtifacts(model);
const VALID_JSON_TEXT = JSON.stringify(artifacts.modelJson);
const VALID_WEIGHTS = artifacts.weightData;

/** Replacement values: wrong types, wrong shapes, odd numbers (kept small enough not to allocate gigabytes). */
const weirdValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    true,
    0,
    -1,
    1.5,
    1e6,
    -1e6,
    Number.NaN,
    '',
    'nope',
    'Dense',
    'float16',
    [],
    {},
    [null],
    [0],
    [-3, 2],
    [2, 3, 4],
    [null, 4, 5],
    ['a'],
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 4 }),
);

const jsonMutation: fc.Arbitrary<JsonEdit> = fc.record({ kind: fc.constantFrom<'delete' | 'set'>('delete', 'set'), path: fc.nat(), value: weirdValue });

function mutateJson(mutations: JsonEdit[]): unknown {
  return editJson(VALID_JSON_TEXT, mutations);
}

type ByteMutation = { kind: 'truncate' | 'flip' | 'append' | 'empty'; at: number; byte: number };
const byteMutation: fc.Arbitrary<ByteMutation> = fc.record({
  kind: fc.constantFrom<ByteMutation['kind']>('truncate', 'flip', 'append', 'empty'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

function mutateBytes(mutations: ByteMutation[]): Uint8Array {
  let bytes = Uint8Array.from(VALID_WEIGHTS);
  for (const m of mutations) {
    if (m.kind === 'truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
    else if (m.kind === 'flip' && bytes.length > 0) bytes[m.at % bytes.length] ^= m.byte || 0xff;
    else if (m.kind === 'append') bytes = Uint8Array.from([...bytes, m.byte, m.byte, m.byte]);
    else if (m.kind === 'empty') bytes = new Uint8Array(0);
  }
  return bytes;
}

describe('fuzz: modelFromArtifacts', () => {
  test('the valid artifacts load and predict', () => {
    const loaded = modelFromArtifacts(JSON.parse(VALID_JSON_TEXT), VALID_WEIGHTS);
    const x = tensor([[0.5, -1, 2, 0.25]]);
    assert.deepEqual(loaded.predict(x).values, model.predict(x).values);
  });

  test('mutated model.json (deleted keys, wrong types, wrong shapes) loads or throws an Error with a message', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, keepWeights) => {
        const json = mutateJson(mutations);
        const weights = keepWeights ? VALID_WEIGHTS : mutateBytes([{ kind: 'truncate', at: 7, byte: 0 }]);
        await succeedsOrThrowsError(`modelFromArtifacts(${JSON.stringify(json)})`, () => modelFromArtifacts(json as object, weights, { compile: true }));
      }),
      { numRuns: 300 },
    );
  });

  test('damaged weight bytes (truncated, flipped, extra, empty) load or throw an Error with a message', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(byteMutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const bytes = mutateBytes(mutations);
        await succeedsOrThrowsError(`modelFromArtifacts(valid json, ${bytes.length} bytes)`, () => modelFromArtifacts(JSON.parse(VALID_JSON_TEXT), bytes));
      }),
      { numRuns: 200 },
    );
  });

  test('truncated model.json text: JSON.parse or the loader throws an Error with a message', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(VALID_JSON_TEXT.length), async (at) => {
        await succeedsOrThrowsError(`modelFromArtifacts(model.json truncated at ${at})`, () =>
          modelFromArtifacts(JSON.parse(VALID_JSON_TEXT.slice(0, at)) as object, VALID_WEIGHTS),
        );
      }),
      { numRuns: 100 },
    );
  });

  test('arbitrary values as model.json load or throw an Error with a message', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 3 }), fc.uint8Array({ maxLength: 64 }), async (json, bytes) => {
        await succeedsOrThrowsError('modelFromArtifacts(arbitrary value)', () => modelFromArtifacts(json as object, bytes));
      }),
      { numRuns: 200 },
    );
  });
});
