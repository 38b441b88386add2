import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { layers, optimizers, sequential, setSeed, tensor, type Sequential } from '../../src/index.js';
import { formatDuration, formatLogs, ProgressBar, type ProgressSink } from '../../src/model/progress.js';

function recordingSink(withUpdate: boolean, columns?: number): ProgressSink & { lines: string[]; updates: string[] } {
  const lines: string[] = [];
  const updates: string[] = [];
  return withUpdate
    ? { lines, updates, columns, line: (t) => void lines.push(t), update: (t) => void updates.push(t) }
    : { lines, updates, line: (t) => void lines.push(t) };
}

function classifier(): Sequential {
  setSeed(30);
  const model = sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })]);
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const x = tensor([
  [0, 1],
  [1, 0],
  [0.5, 1],
  [1, 0.2],
  [0, 0.9],
  [0.8, 0],
]);
const y = tensor([0, 1, 0, 1, 0, 1]);

/** Runs `fn` with console.log and process.stdout.write recorded (and still passed through). */
async function captureOutput(fn: () => Promise<unknown>): Promise<string[]> {
  const out: string[] = [];
  const log = console.log;
  const write = process.stdout.write;
  console.log = (...args: unknown[]) => void out.push(args.join(' '));
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out.push(String(chunk));
    return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    console.log = log;
    process.stdout.write = write;
  }
  return out;
}

describe('formatDuration', () => {
  test('milliseconds, seconds, minutes, hours', () => {
    assert.equal(formatDuration(0), '0ms');
    assert.equal(formatDuration(0.0123), '12ms');
    assert.equal(formatDuration(1), '1.0s');
    assert.equal(formatDuration(12.34), '12.3s');
    assert.equal(formatDuration(60), '1m00s');
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(3600), '1h00m');
    assert.equal(formatDuration(7325), '2h02m');
  });

  test('rounding never shows 60 of a unit', () => {
    assert.equal(formatDuration(0.9996), '1.0s');
    assert.equal(formatDuration(59.96), '1m00s');
    assert.equal(formatDuration(119.7), '2m00s');
    assert.equal(formatDuration(3599.6), '1h00m');
    assert.equal(formatDuration(3599.4), '59m59s');
  });
});

describe('formatLogs', () => {
  test('Keras style: name: value with 4 decimals, exponent for very large or small values', () => {
    assert.equal(formatLogs({ loss: 0.5, accuracy: 0.875 }), 'loss: 0.5000 - accuracy: 0.8750');
    assert.equal(formatLogs({ loss: 12345, lr: 0.0001, zero: 0 }), 'loss: 1.235e+4 - lr: 1.000e-4 - zero: 0.0000');
    assert.equal(formatLogs({}), '');
  });
});

describe('ProgressBar', () => {
  test('a finished epoch is one line with the header, a full bar, counts and logs', () => {
    const sink = recordingSink(false);
    const bar = new ProgressBar(sink);
    bar.begin(0, 2);
    bar.update(1, 4, 32, { loss: 1 });
    bar.end(4, 128, { loss: 0.5, accuracy: 0.75 });
    assert.equal(sink.lines.length, 1);
    assert.match(sink.lines[0], /^Epoch 1\/2 \[={24}\] 4\/4 - \d+ms - \d+ samples\/s - loss: 0\.5000 - accuracy: 0\.7500$/);
  });

  test('updates redraw a partial bar (throttled), the last step always drawn', () => {
    const sink = recordingSink(true);
    const bar = new ProgressBar(sink, 10);
    bar.begin(1, 3);
    bar.update(1, 2, 16, { loss: 2 });
    bar.update(1, 2, 16, { loss: 2 }); // within 100 ms: skipped
    bar.update(2, 2, 32, { loss: 1 }); // the last step: drawn
    assert.equal(sink.updates.length, 2);
    assert.match(sink.updates[0], /^Epoch 2\/3 \[=====>\.\.\.\.\] 1\/2 - .* - ETA .* - loss: 2\.0000$/);
    assert.match(sink.updates[1], /^Epoch 2\/3 \[==========\] 2\/2 /);
    assert.equal(sink.lines.length, 0);
  });

  test('in an 80-column terminal the redrawn line fits, with the counts, the loss and the accuracy', () => {
    const logs = { loss: 0.215, accuracy: 0.9371 };
    for (const done of [1, 300, 600, 937, 938]) {
      const sink = recordingSink(true, 80);
      const bar = new ProgressBar(sink);
      bar.begin(1, 3);
      bar.update(done, 938, done * 64, logs);
      const line = sink.updates[0];
      assert.ok(line.length <= 79, `${line.length} characters: ${line}`);
      assert.match(line, new RegExp(`^Epoch 2/3 \\[[=>.]+\\] ${done}/938 - .*ETA .* - loss: 0\\.2150 - accuracy: 0\\.9371$`));
    }
  });

  test('the rate, the time so far, then bar width, the bar and the ETA make room, in that order', () => {
    // a fixed clock: the epoch began at 0 and this batch ends 1.5 s later
    const line = (columns?: number) => {
      const sink = recordingSink(true, columns);
      const bar = new ProgressBar(sink);
      const now = mock.method(performance, 'now', () => 0);
      try {
        bar.begin(9, 10);
        now.mock.mockImplementation(() => 1500);
        bar.update(5, 10, 320, { loss: 0.5, accuracy: 0.75 });
      } finally {
        now.mock.restore();
      }
      return sink.updates[0];
    };
    const full = line();
    assert.equal(full, 'Epoch 10/10 [============>...........] 5/10 - 1.5s - ETA 1.5s - 213 samples/s - loss: 0.5000 - accuracy: 0.7500');
    assert.equal(line(full.length + 1), full, 'a line that fits is the full line');
    assert.doesNotMatch(line(full.length), /samples\/s/);
    // the least it draws: the epoch, the counts and the logs (a terminal narrower than that cuts it)
    const least = 'Epoch 10/10 5/10 - loss: 0.5000 - accuracy: 0.7500';
    for (let columns = full.length; columns >= 30; columns--) {
      const shown = line(columns);
      assert.ok(shown.length <= columns - 1 || shown === least, `${columns} columns: ${shown}`);
      assert.match(shown, / - loss: 0\.5000 - accuracy: 0\.7500$/, `${columns} columns`);
      const bar = /\[([=>.]*)\]/.exec(shown);
      if (bar) assert.ok(bar[1].length >= 8, `${columns} columns: a bar of ${bar[1].length}`);
    }
    assert.equal(line(45), least);
  });

  test('the bar keeps its width at every step', () => {
    const sink = recordingSink(true);
    const bar = new ProgressBar(sink, 24);
    for (let done = 0; done <= 7; done++) {
      bar.begin(0, 1);
      bar.update(done, 7, done, {});
      const drawn = /\[([=>.]*)\]/.exec(sink.updates.at(-1)!)![1];
      assert.equal(drawn.length, 24, `step ${done}: ${drawn}`);
    }
  });
});

describe('fit progress output', () => {
  test('verbose: 1 writes one line per epoch to the sink, with the epoch, loss and metric names', async () => {
    const sink = recordingSink(false);
    await classifier().fit(x, y, { epochs: 2, batchSize: 2, verbose: 1, progressSink: sink, validationSplit: 0.5 });
    assert.equal(sink.lines.length, 2);
    assert.match(sink.lines[0], /^Epoch 1\/2 \[=+\] 2\/2 /);
    assert.match(sink.lines[1], /^Epoch 2\/2 /);
    for (const line of sink.lines) {
      assert.match(line, /loss: \d\.\d{4}/);
      assert.match(line, / - accuracy: \d\.\d{4}/);
      assert.match(line, / - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/);
    }
  });

  test('verbose: 1 is the default, and redraws through update() when the sink has it', async () => {
    const sink = recordingSink(true);
    await classifier().fit(x, y, { epochs: 2, batchSize: 2, progressSink: sink });
    assert.equal(sink.lines.length, 2);
    assert.ok(sink.updates.length >= 2, 'at least the last step of each epoch is drawn');
    assert.ok(sink.updates.every((u) => /^Epoch [12]\/2 \[/.test(u)));
  });

  test('verbose: 2 writes one plain line per epoch', async () => {
    const sink = recordingSink(true);
    await classifier().fit(x, y, { epochs: 3, batchSize: 4, verbose: 2, progressSink: sink });
    assert.equal(sink.updates.length, 0);
    assert.equal(sink.lines.length, 3);
    assert.match(sink.lines[2], /^Epoch 3\/3 - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/);
  });

  test('verbose: 0 prints nothing, to the sink or to the console', async () => {
    const sink = recordingSink(true);
    await classifier().fit(x, y, { epochs: 2, verbose: 0, progressSink: sink });
    assert.deepEqual([sink.lines, sink.updates], [[], []]);
    const printed = await captureOutput(() => classifier().fit(x, y, { epochs: 2, verbose: 0 }));
    assert.deepEqual(
      printed.filter((s) => /Epoch|loss/.test(s)),
      [],
    );
  });

  test('without a sink, verbose output goes to the console (not a terminal under the test runner)', async () => {
    const printed = await captureOutput(() => classifier().fit(x, y, { epochs: 1, verbose: 2 }));
    assert.ok(
      printed.some((s) => /^\r?Epoch 1\/1 - loss: /.test(s)),
      printed.join('|'),
    );
  });
});
