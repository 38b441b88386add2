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
// Replaces tensorflow/tfjs-examples iris-fitDataset/ui.js (commit
// 0521725666e4504948eed00fe372b92510cc74f9), which reads the page's inputs and
// fills its tables and canvas, by a Node.js version with the same exports:
// the inputs come from the command line (`--train-epochs 40`, see
// ../shared/page.js) with the page's defaults, and what the page would show is
// printed. Modified for dendrite: this whole file is new.

import {IRIS_CLASSES, IRIS_NUM_CLASSES} from './data';
import {inputValue} from '../shared/page.js';

export function clearEvaluateTable() {}

/** The four manual-input boxes, with the page's default values. */
export function getManualInputData() {
  return [
    Number(inputValue('petal-length', '5.1')),
    Number(inputValue('petal-width', '3.5')),
    Number(inputValue('sepal-length', '1.4')),
    Number(inputValue('sepal-width', '0.2')),
  ];
}

export function drawConfusionMatrix(confusionMat) {
  console.log(`confusion matrix: ${confusionMat.arraySync()}`);
}

export function setManualInputWinnerMessage(message) {
  console.log(`manual input: ${message}`);
}

export function renderLogitsForManualInput(logits) {
  console.log(`manual input probabilities: ${
      logits.map((p) => p.toFixed(3)).join(', ')}`);
}

/** The page lists each test example with a mark, correct or wrong; here, the count. */
export function renderEvaluateTable(xData, yTrue, yPred, logits) {
  let correct = 0;
  for (let i = 0; i < yTrue.length; ++i) {
    if (yPred[i] === yTrue[i]) {
      correct++;
    }
  }
  console.log(`test set: ${correct} of ${yTrue.length} correct (accuracy ${
      (correct / yTrue.length).toFixed(4)}), classes ${IRIS_CLASSES.join(', ')}`
      + ` (${IRIS_NUM_CLASSES})`);
}

export function wireUpEvaluateTableCallbacks(predictOnManualInputCallback) {}

export function loadTrainParametersFromUI() {
  return {
    epochs: Number(inputValue('train-epochs', '40')),
    learningRate: Number(inputValue('learning-rate', '0.01'))
  };
}

export function status(statusText) {
  console.log(statusText);
}
