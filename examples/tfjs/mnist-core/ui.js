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
// Replaces tensorflow/tfjs-examples mnist-core/ui.js (commit
// 0521725666e4504948eed00fe372b92510cc74f9), which writes into the page and
// draws a tfjs-vis loss chart and the test digits on canvases, by a Node.js
// version with the same exports that prints to the console what the page
// would show. Modified for dendrite: this whole file is new; showTestResults
// counts the correct predictions as the original does.

export function isTraining() {
  console.log('Training...');
}

export function trainingLog(loss, iteration) {
  console.log(`loss[${iteration}]: ${loss}`);
}

export function showTestResults(batch, predictions, labels) {
  console.log('Testing...');

  const testExamples = batch.xs.shape[0];
  let totalCorrect = 0;
  for (let i = 0; i < testExamples; i++) {
    if (predictions[i] === labels[i]) {
      totalCorrect++;
    }
  }

  const accuracy = 100 * totalCorrect / testExamples;
  const displayStr =
      `Accuracy: ${accuracy.toFixed(2)}% (${totalCorrect} / ${testExamples})`;
  console.log(displayStr);
}

// The page draws a test digit on a canvas; there is none here.
export function draw(image, canvas) {}
