// `model.summary()`: the Keras table of a Sequential model here, of a graph model in graph-summary.ts.
import type { Layer, SymbolicShape } from '../nn/layer.js';
import { maxOf } from '../tensor/extremes.js';
import type { GraphNetwork } from './graph-network.js';
import { formatGraphSummary, kerasShape, thousands, type SummarisedModel } from './graph-summary.js';

/** What the summary reads of a model. */
interface SummaryModel extends SummarisedModel {
  readonly className: string;
  readonly layers: readonly Layer[];
  readonly inputShape: SymbolicShape | null;
}

/** The summary of a built model: a Sequential's table, or a graph's (with a "Connected to" column unless it is a chain). */
export function formatModelSummary(model: SummaryModel, graph: GraphNetwork | null): string {
  return model.className === 'Sequential' || !graph ? formatSummary(model) : formatGraphSummary(model, graph);
}

/** The Keras (tf.keras 2) summary table of a built Sequential model. */
export function formatSummary(model: SummaryModel): string {
  // columns widen for long names instead of running into each other
  const nameWidth = maxOf(
    model.layers.map((l) => l.name.length + l.className.length + 5),
    33,
  );
  const widths = [nameWidth, 26, 12];
  const row = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c : c.padEnd(widths[i] - 1)))
      .join(' ')
      .trimEnd();
  const rule = (ch: string) => ch.repeat(widths[0] + widths[1] + widths[2]);
  const lines = [`Model: "${model.name}"`, rule('_'), row([' Layer (type)', 'Output Shape', 'Param #']), rule('=')];
  let shape = model.inputShape!;
  // Keras leaves the input layer out of a Sequential summary: it has no weights and no computation
  const shown = model.layers.filter((l) => l.className !== 'InputLayer');
  model.layers.forEach((layer) => {
    shape = layer.computeOutputShape(shape) as SymbolicShape;
    const i = shown.indexOf(layer);
    if (i < 0) return;
    lines.push(row([` ${layer.name} (${layer.className})`, kerasShape(shape), thousands(layer.countParams())]));
    lines.push(i < shown.length - 1 ? '' : rule('='));
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  lines.push(
    `Total params: ${thousands(total)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(total - trainable)}`,
    rule('_'),
  );
  return lines.join('\n');
}
