/**
 * @license
 * Copyright 2019 Google LLC. All Rights Reserved.
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
// Replaces tensorflow/tfjs-examples data-generator/ui.js (commit
// 0521725666e4504948eed00fe372b92510cc74f9), which reads the page's inputs and
// writes into the page, by a Node.js version with the same exports: the inputs
// come from the command line (`--epochs-to-train 50`, see ../shared/page.js)
// with the page's defaults, and what the page would show is printed.
// Modified for dendrite: this whole file is new.

import * as game from './game';
import {inputValue} from '../shared/page.js';

// The containers of the two charts (drawn by ../shared/tfjs-vis.js as text).
export const lossContainerElement = 'training-loss-canvas';
export const accuracyContainerElement = 'training-accuracy-canvas';

// The page's one-hot checkbox; index.js does not read it.
export const useOneHotElement = null;

export function getBatchSize() {
  return Number(inputValue('generator-batch', '100'));
}

export function getTake() {
  return Number(inputValue('generator-take', '5'));
}

export function getBatchesPerEpoch() {
  return Number(inputValue('batches-per-epoch', '50'));
}

export function getEpochsToTrain() {
  return Number(inputValue('epochs-to-train', '50'));
}

/** The page's card inputs for the manual prediction: 13 each by default. */
export function getInputCards() {
  const cards = [];
  for (let i = 0; i < game.GAME_STATE.num_cards_per_hand; i++) {
    cards.push(Number(inputValue(`input-card-${i}`, '13')));
  }
  return cards;
}

export function displayNumSimulationsSoFar() {
  console.log(`simulations so far: ${game.GAME_STATE.num_simulations_so_far}`);
}

export function displayTrainLogMessage(message) {
  console.log(message);
}

export function displayExpectedSimulations() {
  const expectedSimulations =
      getBatchSize() * getBatchesPerEpoch() * getEpochsToTrain();
  console.log(`expected simulations: ${expectedSimulations}`);
}

export function displayPrediction(text) {
  console.log(`prediction for the hand ${getInputCards()}: ${text}`);
}

export function displaySimulation(sample, featuresAndLabel) {
  console.log(`simulation: ${JSON.stringify(sample)}`);
}

export async function displayBatches(arr) {
  for (const batch of arr) {
    console.log(`batch: ${batch.xs} ${batch.ys}`);
  }
}

export function updatePredictionInputs() {}
export function enableTrainButton() {}
export function disableTrainButton() {}
export function enableStopButton() {}
export function disableStopButton() {}
export function enablePredictButton() {}
export function disablePredictButton() {}
