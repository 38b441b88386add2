// The data a model takes and gives: one tensor for a model of one input (or output), and for several a list in
// the model's order or an object keyed by input (output) name, as Keras and TF.js accept. Inside, fit, evaluate
// and predict work on lists, one tensor per input or output.
import { didYouMean } from '../nn/suggest.js';
import { Tensor } from '../tensor/tensor.js';

/** One tensor, a list in the model's input (output) order, or an object keyed by input (output) name. */
export type ModelData = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

/** "x" for a model's inputs, "y" for its targets. */
export type DataRole = 'x' | 'y';

function describeValue(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tensor(...))' : typeof x;
}

/**
 * `data` as one tensor per name, in the order of `names` (the model's input or output names). `fn` names the
 * call in errors ("fit", "predict"); `role` says whether these are inputs (x) or targets (y).
 */
export function toTensorList(data: unknown, names: readonly string[], fn: string, role: DataRole): Tensor[] {
  const kind = role === 'x' ? 'input' : 'output';
  if (data instanceof Tensor) {
    if (names.length === 1) return [data];
    throw new Error(
      `${fn}(): the model has ${names.length} ${kind}s (${names.join(', ')}); pass ${role} as a list [${names.join(', ')}] or an object keyed by ${kind} name, got one Tensor.`,
    );
  }
  if (Array.isArray(data) && data.length > 0 && data.every((t) => t instanceof Tensor)) {
    if (data.length === names.length) return [...data];
    throw new Error(`${fn}(): the model has ${names.length} ${kind}(s) (${names.join(', ')}), but ${role} is a list of ${data.length} tensors.`);
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && Object.values(data).every((t) => t instanceof Tensor)) {
    const record = data as Record<string, Tensor>;
    for (const key of Object.keys(record)) {
      if (!names.includes(key)) {
        const hint = didYouMean(key, names);
        throw new Error(
          `${fn}(): ${role} has a key '${key}' that is no ${kind} of the model${hint ? ` (${hint})` : ''}; its ${kind}s are ${names.join(', ')}.`,
        );
      }
    }
    return names.map((name) => {
      const t = record[name];
      if (!t) throw new Error(`${fn}(): ${role} has no entry for the ${kind} '${name}' (the model's ${kind}s: ${names.join(', ')}).`);
      return t;
    });
  }
  if (names.length === 1) throw new Error(`${fn}(): ${role} must be a Tensor, got ${describeValue(data)}.`);
  throw new Error(
    `${fn}(): ${role} must be a list of ${names.length} Tensors or an object keyed by ${kind} name (${names.join(', ')}), got ${describeValue(data)}.`,
  );
}

/** How an error names tensor `i` of a list: "x" for a model of one input, "x['image']" for several. */
export function dataName(role: DataRole, names: readonly string[], i: number): string {
  return names.length === 1 ? role : `${role}['${names[i]}']`;
}
