import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as dd from '../../src/index.js';
import { afinnPositive, loadSentences, run, tokenize, Vocabulary } from '../../examples/sentiment.js';

test('sentiment: the labelled sentences load from the sentiment package, each text once, half positive', () => {
  const sentences = loadSentences();
  // 3 x 1,000 labelled rows shipped (and an empty, unlabelled one at the end of each file); 18 texts occur twice
  assert.equal(sentences.length, 2982);
  assert.equal(new Set(sentences.map((s) => s.text)).size, sentences.length);
  assert.equal(sentences.filter((s) => s.label === 1).length, 1490);
  for (const source of ['imdb', 'amazon', 'yelp'] as const) {
    const n = sentences.filter((s) => s.source === source).length;
    assert.ok(n > 980 && n <= 1000, `${source}: ${n}`);
  }
  assert.ok(sentences.every((s) => s.label === 0 || s.label === 1));
  assert.deepEqual(
    sentences.find((s) => s.text.startsWith('Wow... Loved this place')),
    { text: 'Wow... Loved this place.', label: 1, source: 'yelp' },
  );
});

test('sentiment: tokenize keeps words, digits and inner apostrophes, in lower case', () => {
  assert.deepEqual(tokenize("Don't buy it!! 'Great' rock'n'roll, 10/10"), ["don't", 'buy', 'it', 'great', "rock'n'roll", '10', '10']);
  assert.deepEqual(tokenize('...!'), []);
});

test('sentiment: the vocabulary keeps words seen twice, commonest first, and pads in front', () => {
  const vocabulary = new Vocabulary(['the film was good', 'the film was bad', 'the end'], 2);
  assert.deepEqual(
    [...vocabulary.ids],
    [
      ['the', 2],
      ['film', 3],
      ['was', 4],
    ],
  );
  assert.equal(vocabulary.size, 5);
  const ids = vocabulary.encode(['The film was great', 'a b c d e f the'], 5);
  assert.deepEqual(ids.shape, [2, 5]);
  // padding 0 in front, unknown words 1; a long text keeps its last words
  assert.deepEqual(Array.from(ids.values), [0, 2, 3, 4, 1, 1, 1, 1, 1, 2]);
});

test('sentiment: the AFINN baseline calls a sentence positive when its word scores add up above 0', () => {
  assert.deepEqual(afinnPositive(['I love it, great', 'awful, terrible', 'a chair']), [true, false, false]);
});

test('sentiment: Embedding + LSTM classifies held-out review sentences far above the majority class, near AFINN', async () => {
  const r = await run();
  assert.equal(r.trainSentences + r.testSentences, 2982);
  assert.equal(r.testSentences, 597);
  // stratified: the test set is half positive, so always answering one label scores about 50%
  assert.ok(Math.abs(r.majorityAccuracy - 0.5) < 0.01, `majority ${r.majorityAccuracy}`);
  // Measured (seed 42, native backend): 80.6% (seeds 1, 7, 3: 82.1%, 82.9%, 80.9%); AFINN 79.6% on this split.
  assert.ok(r.testAccuracy > 0.74, `LSTM test accuracy ${r.testAccuracy}`);
  assert.ok(r.afinnAccuracy > 0.75 && r.afinnAccuracy < 0.85, `AFINN ${r.afinnAccuracy}`);
  for (const [source, accuracy] of Object.entries(r.bySource)) assert.ok(accuracy > 0.65, `${source}: ${accuracy}`);
  const [embedding, lstm] = r.model.layers;
  assert.ok(embedding instanceof dd.layers.Embedding && embedding.maskZero);
  assert.ok(lstm instanceof dd.layers.LSTM);
  // the training loss fell well below an untrained classifier's ln 2 = 0.69
  assert.ok(r.losses[r.losses.length - 1] < 0.4, `losses ${r.losses}`);
});

test('sentiment: Embedding + Conv1D + global max pooling learns it too', async () => {
  const r = await run({ model: 'conv1d' });
  assert.ok(r.model.layers.some((l) => l instanceof dd.layers.Conv1D));
  // Measured (seed 42): 81.9% (seeds 1, 7, 3: 82.2%, 83.1%, 83.9%).
  assert.ok(r.testAccuracy > 0.74, `Conv1D test accuracy ${r.testAccuracy}`);
});
