import type { History } from '../model/history.js';
import type { Sequential } from '../model/sequential.js';
import { formatDuration } from '../model/progress.js';
import { historyCurves } from '../report/curves.js';
import { misclassifiedImages } from '../report/images.js';
import { writeReport } from '../report/render.js';
import type { Tensor } from '../tensor/tensor.js';

export interface MnistReportInput {
  model: Sequential;
  history: History;
  /** Test images [N, 28, 28, 1] or [N, 784] in [0, 1], their labels [N] and the predicted probabilities [N, 10]. */
  xTest: Tensor;
  yTest: Tensor;
  probabilities: Tensor;
  testAccuracy: number;
  confusion: number[][];
  facts: [string, string][];
  seconds: number;
}

/** Writes `report.html` for an MNIST run next to the saved model; returns its path. */
export async function writeMnistReport(outDir: string, input: MnistReportInput): Promise<string> {
  const { history } = input;
  const validation = Object.keys(history.history).some((k) => k.startsWith('val_'));
  const digits = Array.from({ length: 10 }, (_, i) => String(i));
  return writeReport(outDir, {
    title: `dendrite: MNIST ${input.model.name}`,
    facts: [...input.facts, ['time', formatDuration(input.seconds)]],
    notes: validation ? [] : ['No validation split (--validation-split 0): the curves show the training values only.'],
    curves: historyCurves(history, { loss: 'Loss (categorical cross-entropy)' }),
    testMetrics: [{ name: 'accuracy', value: input.testAccuracy, percent: true }],
    summary: input.model.summary(() => {}),
    confusion: { labels: digits, matrix: input.confusion },
    misclassified: misclassifiedImages(input.xTest, input.yTest.values, input.probabilities, [28, 28], 48),
  });
}
