/**
 * @license
 * Copyright 2018 Google LLC. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 * http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 * =============================================================================
 */
// Replaces tensorflow/tfjs-examples cart-pole/ui.js (commit
// 0521725666e4504948eed00fe372b92510cc74f9), which draws the cart and a chart
// and wires the page's buttons, by a Node.js version with the same exports.
// setUpUI does what the page's "Create model" and then "Train" buttons do,
// with the page's inputs read from the command line (`--num-iterations 20`,
// see ../shared/page.js) and their defaults: its training loop is the
// original's, printing the mean steps per game of each iteration instead of
// plotting them, and without saving the network to the browser's IndexedDB
// after each iteration. Nothing is drawn, so maybeRenderDuringTraining does
// nothing. Modified for dendrite: this whole file is new, in part copied from
// the original.

import * as tf from 'dendrite/tfjs';

import {CartPole} from './cart_pole';
import {SaveablePolicyNetwork} from './index';
import {mean, sum} from './utils';
import {inputValue} from '../shared/page.js';

export async function maybeRenderDuringTraining(cartPole) {}

export function onGameEnd(gameCount, totalGames) {}

export async function setUpUI() {
  const cartPole = new CartPole(true);

  // The "Create model" button.
  const hiddenLayerSizes =
      inputValue('hidden-layer-sizes', '128').trim().split(',').map(v => {
        const num = Number.parseInt(v.trim());
        if (!(num > 0)) {
          throw new Error(`Invalid hidden layer sizes string: ${v}`);
        }
        return num;
      });
  const policyNet = new SaveablePolicyNetwork(hiddenLayerSizes);

  // The "Train" button.
  const trainIterations = Number.parseInt(inputValue('num-iterations', '20'));
  const gamesPerIteration =
      Number.parseInt(inputValue('games-per-iteration', '20'));
  const maxStepsPerGame =
      Number.parseInt(inputValue('max-steps-per-game', '500'));
  const discountRate = Number.parseFloat(inputValue('discount-rate', '0.95'));
  const learningRate = Number.parseFloat(inputValue('learning-rate', '0.05'));

  const optimizer = tf.train.adam(learningRate);

  let t0 = new Date().getTime();
  for (let i = 0; i < trainIterations; ++i) {
    const gameSteps = await policyNet.train(
        cartPole, optimizer, discountRate, gamesPerIteration, maxStepsPerGame);
    const t1 = new Date().getTime();
    const stepsPerSecond = sum(gameSteps) / ((t1 - t0) / 1e3);
    t0 = t1;
    console.log(
        `Iteration ${i + 1} of ${trainIterations}: mean steps per game ${
            mean(gameSteps).toFixed(1)} (${stepsPerSecond.toFixed(1)} steps/s)`);
    await tf.nextFrame();
  }
  console.log('Training completed.');
}
