import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { OnnxTensorInfo } from '../io/onnx/signature.js';
import type { Checkpoint } from '../model/load-model.js';
import type { SymbolicShape } from '../nn/layer.js';
import { UsageError } from './errors.js';

export interface ExportOptions {
  onnx?: string;
}

/** A shape as the ONNX graph names it: `[N, 28, 28, 1]`. */
function onnxShape(shape: SymbolicShape): string {
  return `[${shape.map((d, i) => (d !== null ? String(d) : i === 0 ? 'N' : `d${i}`)).join(', ')}]`;
}

/** "input 'input' [N, 4] float32" or, for several, "inputs 'image' [N, 28, 28, 1], 'meta' [N, 3] float32". */
function describeTensors(kind: 'input' | 'output', tensors: readonly OnnxTensorInfo[]): string {
  const list = tensors.map((t) => `'${t.name}' ${onnxShape(t.shape)}`).join(', ');
  return `${kind}${tensors.length === 1 ? '' : 's'} ${list}${kind === 'input' ? ' float32' : ''}`;
}

/** `dendrite export MODEL_DIR --onnx model.onnx`: a saved dendrite model as another format. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('convert a saved model (a folder with model.json and weights.bin) to another format: ONNX')
    .argument('<model-dir>', 'the folder written by model.save() or `dendrite train` (or its model.json)')
    .option(
      '--onnx <file>',
      'write an ONNX file (opset 17; input "input" [N, ...] float32 in NHWC, output "output"; a graph model of several inputs or outputs names them as the model does)',
    )
    .addHelpText('after', '\nExample:\n  dendrite export ./dendrite-models/mnist-cnn --onnx mnist-cnn.onnx\n')
    .action(async (modelDir: string, options: ExportOptions) => {
      await exportCommand(modelDir, options);
    });
}

/** Loads the model in `modelDir` and writes it in each format asked for; prints one line per file. */
export async function exportCommand(modelDir: string, options: ExportOptions): Promise<void> {
  if (!options.onnx) throw new UsageError("nothing to export to: choose a format, e.g. '--onnx model.onnx'.");
  // loadModel also takes the path of a model.json, so only existence is checked here
  const info = await stat(modelDir).catch(() => null);
  if (!info) throw new UsageError(`model folder '${modelDir}' does not exist.`);
  const { loadCompiledIfPossible } = await import('./summary.js');
  let model: Checkpoint['model'];
  try {
    // an ONNX file holds no training settings: a training config dendrite cannot compile does not stop the export
    model = (await loadCompiledIfPossible(modelDir)).checkpoint.model;
  } catch (error) {
    throw new UsageError(`cannot load the model in '${modelDir}': ${error instanceof Error ? error.message : String(error)}`);
  }
  const { ONNX_OPSET, onnxSignature, toOnnxModel } = await import('../io/onnx/export.js');
  const { writeFilesAtomically } = await import('../io/atomic.js');
  const { basename, dirname } = await import('node:path');
  let bytes: Uint8Array;
  try {
    bytes = toOnnxModel(model);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  await writeFilesAtomically(dirname(options.onnx), [[basename(options.onnx), bytes]]);
  const size = bytes.length >= 1 << 20 ? `${(bytes.length / (1 << 20)).toFixed(1)} MiB` : `${(bytes.length / 1024).toFixed(1)} KiB`;
  const signature = onnxSignature(model);
  console.log(
    `Wrote ${options.onnx} (ONNX opset ${ONNX_OPSET}, ${size}): ${describeTensors('input', signature.inputs)}, ${describeTensors('output', signature.outputs)}.`,
  );
}
