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
// Replaces tensorflow/tfjs-examples polynomial-regression-core/ui.js (commit
// 0521725666e4504948eed00fe372b92510cc74f9), which draws vega-embed charts and
// writes into the page, by a Node.js version with the same three exports that
// prints to the console what the page would show. Modified for dendrite: this
// whole file is new; index.js and data.js are the original's.

// The page plots the data points.
export async function plotData(container, xs, ys) {
  const xvals = await xs.data();
  console.log(`${container}: ${xvals.length} data points`);
}

// The page plots the data points and the curve the coefficients give. Here:
// the mean squared distance between them, which the chart shows as the gap
// between the points and the line.
export async function plotDataAndPredictions(container, xs, ys, preds) {
  const yvals = await ys.data();
  const predVals = await preds.data();
  let sum = 0;
  for (let i = 0; i < yvals.length; i++) {
    sum += (predVals[i] - yvals[i]) ** 2;
  }
  console.log(`${container}: mean squared error ${(sum / yvals.length).toFixed(5)}`);
}

export function renderCoefficients(container, coeff) {
  console.log(
      `${container}: a=${coeff.a.toFixed(3)}, b=${coeff.b.toFixed(3)}, c=${
          coeff.c.toFixed(3)},  d=${coeff.d.toFixed(3)}`);
}
