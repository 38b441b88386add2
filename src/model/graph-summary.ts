// The Keras summary of a graph model (tf.keras 2's `print_summary` for a functional model): each layer with its
// output shape, its parameter count and, unless the graph is a plain chain, the layer calls it is connected to
// (`dense[0][0]`), in columns that wrap long cells after a `',` or `),` as Keras does.
import type { Layer, SymbolicShape } from '../nn/layer.js';
import { InputLayer } from '../nn/layers/input.js';
import type { Node } from '../nn/symbolic-tensor.js';
import { maxOf } from '../tensor/extremes.js';
import type { GraphNetwork } from './graph-network.js';

/** What the summary reads of a model besides its graph. */
export interface SummarisedModel {
  readonly name: string;
  readonly trainableWeights: readonly { size: number }[];
  countParams(): number;
}

/** A shape as Keras prints it: `(None, 64)`, `(None,)` for one axis. */
export function kerasShape(shape: SymbolicShape): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Keras' test for a graph printed like a Sequential model: one node per depth, each with one input, and no
 * layer called twice.
 */
function isChain(graph: GraphNetwork): boolean {
  for (const nodes of graph.nodesByDepth.values()) if (nodes.length > 1 || (nodes.length === 1 && nodes[0].inputTensors.length > 1)) return false;
  return graph.layers.every((layer) => layer.inboundNodes.filter((n) => graph.nodes.has(n)).length <= 1);
}

/** A layer's output shape in the model: Keras' `layer.output_shape`, or 'multiple' when its calls differ. */
function outputShape(layer: Layer, nodes: readonly Node[]): string {
  const shapes = nodes.map((n) => {
    const list = n.outputShapes.map(kerasShape);
    // an input layer's (and a layer of several outputs') shape is a list in Keras 2
    return list.length === 1 && !(layer instanceof InputLayer) ? list[0] : `[${list.join(', ')}]`;
  });
  if (shapes.length === 0) return 'multiple';
  return shapes.every((s) => s === shapes[0]) ? shapes[0] : 'multiple';
}

/** The calls feeding a layer's nodes in the model, as Keras lists them: `['input_1[0][0]', 'dense[0][0]']`. */
function connections(nodes: readonly Node[]): string {
  const names = nodes.flatMap((n) => n.inputTensors.map((t) => `'${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]'`));
  return `[${names.join(', ')}]`;
}

/** The smallest of a few numbers. */
function minOf(values: readonly number[]): number {
  return -maxOf(values.map((v) => -v));
}

/** Keras' `print_row`: each field in its column, cut at the column's width (or earlier after `),` `},` `],` `',`), the rest on the next lines. */
function printRow(fields: readonly string[], positions: readonly number[]): string[] {
  const left = [...fields];
  const lines: string[] = [];
  while (left.some((f) => f.length > 0)) {
    let line = '';
    for (let col = 0; col < left.length; col++) {
      const start = col > 0 ? positions[col - 1] : 0;
      const space = col !== positions.length - 1 ? 2 : 0;
      let cutoff = positions[col] - start - space;
      let fit = left[col].slice(0, cutoff);
      const breaks = ['),', '},', '],', "',"].map((b) => (fit.indexOf(b) >= 0 ? fit.indexOf(b) + b.length : -1)).filter((c) => c >= 0);
      if (breaks.length > 0) {
        cutoff = minOf(breaks);
        fit = fit.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fit + ' '.repeat(space);
      left[col] = left[col].slice(cutoff);
      line += ' '.repeat(Math.max(0, positions[col] - line.length));
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** The Keras (tf.keras 2) summary of a graph model. */
export function formatGraphSummary(model: SummarisedModel, graph: GraphNetwork): string {
  const chain = isChain(graph);
  const rows = graph.layers.map((layer) => {
    const nodes = layer.inboundNodes.filter((n) => graph.nodes.has(n));
    const fields = [`${layer.name} (${layer.className})`, outputShape(layer, nodes), thousands(layer.countParams())];
    return chain ? fields : [...fields, connections(nodes)];
  });
  const header = chain ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  // Keras' columns (65 characters for a chain, 98 with connections), the first widened for long names
  const fractions = chain ? [0.45, 0.85, 1] : [0.3, 0.6, 0.7, 1];
  const lineLength = chain ? 65 : 98;
  const base = fractions.map((f) => Math.floor(lineLength * f));
  const widest =
    maxOf(
      rows.map((r) => r[0].length + 3),
      0,
    ) - base[0];
  const positions = base.map((p) => p + Math.max(0, widest));
  const width = positions[positions.length - 1];
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), ...printRow(header, positions), '='.repeat(width)];
  rows.forEach((row, i) => {
    for (const line of printRow(row, positions)) lines.push(line);
    lines.push(i < rows.length - 1 ? '' : '='.repeat(width));
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  lines.push(
    `Total params: ${thousands(total)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(total - trainable)}`,
    '_'.repeat(width),
  );
  return lines.join('\n');
}
