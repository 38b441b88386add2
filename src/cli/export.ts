import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { OnnxTensorInfo } from '../io/onnx/signature.js';
import type { Checkpoint } from '../model/load-model.js';
import type { SymbolicShape } from '../nn/layer.js';
import { UsageError } from './errors.js';

export interface ExportOptions {
  onnx?: string;
  keras?: string;
  tfjs?: string;
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

/** `dendrite export MODEL --onnx model.onnx --keras model.keras --tfjs DIR`: a saved model in other formats. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('convert a saved model (a TF.js-format folder, a .keras or a legacy Keras .h5 file) to other formats: ONNX, Keras 3, TF.js')
    .argument('<model>', 'the folder written by model.save() or `dendrite train` (or its model.json), or a .keras / .h5 file')
    .option(
      '--onnx <file>',
      'write an ONNX file (opset 17; input "input" [N, ...] float32 in NHWC, output "output"; a graph model of several inputs or outputs names them as the model does)',
    )
    .option('--keras <file>', "write a Keras 3 .keras file (keras.saving.load_model reads it; with the optimizer's state when the model is compiled)")
    .option('--tfjs <dir>', 'write the model into a folder in the TensorFlow.js layers format (model.json + weights.bin; tf.loadLayersModel reads it)')
    .addHelpText(
      'after',
      '\nExamples:\n  dendrite export ./dendrite-models/mnist-cnn --onnx mnist-cnn.onnx\n  dendrite export ./dendrite-models/mnist-cnn --keras mnist-cnn.keras\n  dendrite export model.keras --tfjs ./web-model\n',
    )
    .action(async (modelDir: string, options: ExportOptions) => {
      await exportCommand(modelDir, options);
    });
}

/** Loads the model in `modelDir` and writes it in each format asked for; prints one line per file. */
export async function exportCommand(modelDir: string, options: ExportOptions): Promise<void> {
  if (!options.onnx && !options.keras && !options.tfjs)
    throw new UsageError("nothing to export to: choose a format, e.g. '--onnx model.onnx', '--keras model.keras' or '--tfjs DIR'.");
  if (options.keras !== undefined && !options.keras.toLowerCase().endsWith('.keras'))
    throw new UsageError(`--keras ${options.keras}: the file name must end in .keras (Keras 3 refuses other names).`);
  if (options.tfjs !== undefined && /\.(keras|h5|hdf5)$/i.test(options.tfjs))
    throw new UsageError(`--tfjs ${options.tfjs}: give a folder for the TF.js format, not a Keras file name.`);
  // loadModel also takes the path of a model.json, so only existence is checked here
  const info = await stat(modelDir).catch(() => null);
  if (!info) throw new UsageError(`model '${modelDir}' does not exist.`);
  const { loadCompiledIfPossible } = await import('./summary.js');
  let model: Checkpoint['model'];
  try {
    // a training config dendrite cannot compile does not stop the export: the model goes out uncompiled
    model = (await loadCompiledIfPossible(modelDir)).checkpoint.model;
  } catch (error) {
    throw new UsageError(`cannot load the model in '${modelDir}': ${error instanceof Error ? error.message : String(error)}`);
  }
  if (options.keras) {
    try {
      await model.save(options.keras);
    } catch (error) {
      throw new UsageError(`cannot write ${options.keras}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { size } = await stat(options.keras);
    console.log(`Wrote ${options.keras} (Keras 3 .keras, ${formatSize(size)}${model.compiled ? ", compiled, with the optimizer's state" : ', not compiled'}).`);
  }
  if (options.tfjs) {
    try {
      await model.save(options.tfjs);
    } catch (error) {
      throw new UsageError(`cannot write ${options.tfjs}: ${error instanceof Error ? error.message : String(error)}`);
    }
    console.log(`Wrote ${options.tfjs}/model.json and weights.bin (TensorFlow.js layers format).`);
  }
  if (options.onnx) await writeOnnx(model, options.onnx);
}

function formatSize(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function writeOnnx(model: Checkpoint['model'], path: string): Promise<void> {
  const { ONNX_OPSET, onnxSignature, toOnnxModel } = await import('../io/onnx/export.js');
  const { writeFilesAtomically } = await import('../io/atomic.js');
  const { basename, dirname } = await import('node:path');
  let bytes: Uint8Array;
  try {
    bytes = toOnnxModel(model);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  await writeFilesAtomically(dirname(path), [[basename(path), bytes]]);
  const signature = onnxSignature(model);
  console.log(
    `Wrote ${path} (ONNX opset ${ONNX_OPSET}, ${formatSize(bytes.length)}): ${describeTensors('input', signature.inputs)}, ${describeTensors('output', signature.outputs)}.`,
  );
}
