// tf.print and TF.js' text form of a tensor (`Tensor\n    [1, 2, 3]`): at most 20 values per axis shown, the first
// and last 3 around an ellipsis beyond that, 7 decimals, columns padded to their widest value, bools as
// true/false; `verbose` adds dtype, rank and shape. The layout follows TF.js' tensor_format.ts line by line, so
// a program's printed output reads the same.
import type { Tensor } from '../tensor/tensor.js';

const LIMIT = 20;
const FIRST_LAST = 3;
const DIGITS = 7;

function valToString(val: number, pad: number, dtype: string): string {
  const s = dtype === 'bool' ? (val === 0 ? 'false' : 'true') : Number.parseFloat(val.toFixed(DIGITS)).toString();
  return s.padEnd(pad);
}

function strides(shape: readonly number[]): number[] {
  const out: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i > 0; i--) {
    s *= shape[i];
    out.unshift(s);
  }
  return out;
}

function padPerColumn(vals: ArrayLike<number>, shape: readonly number[], dtype: string, st: number[]): number[] {
  const n = vals.length;
  const cols = st.length > 0 ? st[st.length - 1] : 0;
  const pad = new Array<number>(cols).fill(0);
  if (shape.length > 1) {
    for (let row = 0; row < n / cols; row++) {
      for (let j = 0; j < cols; j++) pad[j] = Math.max(pad[j], valToString(vals[row * cols + j], 0, dtype).length);
    }
  }
  return pad;
}

function lines(vals: ArrayLike<number>, shape: readonly number[], dtype: string, st: number[], pad: number[], isLast = true): string[] {
  const size = shape[0];
  const rank = shape.length;
  if (rank === 0) return [dtype === 'bool' ? valToString(vals[0], 0, dtype) : vals[0].toString()];
  if (rank === 1) {
    const all = Array.from(vals);
    if (size > LIMIT) {
      const first = all.slice(0, FIRST_LAST).map((x, i) => valToString(x, pad[i], dtype));
      const last = all.slice(size - FIRST_LAST, size).map((x, i) => valToString(x, pad[size - FIRST_LAST + i], dtype));
      return [`[${first.join(', ')}, ..., ${last.join(', ')}]`];
    }
    return [`[${all.map((x, i) => valToString(x, pad[i], dtype)).join(', ')}]`];
  }
  const sub = shape.slice(1);
  const subStrides = st.slice(1);
  const stride = st[0];
  const out: string[] = [];
  const rows =
    size > LIMIT
      ? [...Array.from({ length: FIRST_LAST }, (_, i) => i), -1, ...Array.from({ length: FIRST_LAST }, (_, i) => size - FIRST_LAST + i)]
      : Array.from({ length: size }, (_, i) => i);
  for (const i of rows) {
    if (i < 0) out.push('...');
    else
      for (const line of lines(Array.prototype.slice.call(vals, i * stride, i * stride + stride), sub, dtype, subStrides, pad, i === size - 1)) out.push(line);
  }
  const sep = rank === 2 ? ',' : '';
  out[0] = `[${size > 0 ? out[0] + sep : ''}`;
  for (let i = 1; i < out.length - 1; i++) out[i] = ` ${out[i]}${sep}`;
  const newLineSep = `,\n${'\n'.repeat(Math.max(rank - 2, 0))}`;
  out[out.length - 1] = ` ${out[out.length - 1]}]${isLast ? '' : newLineSep}`;
  return out;
}

/** TF.js' `tensor.toString(verbose)`: the text `print` writes. */
export function tensorToString(x: Tensor, verbose = false): string {
  const vals = x.dataSync<'float32' | 'int32' | 'bool'>();
  const st = strides(x.shape);
  const pad = padPerColumn(vals, x.shape, x.dtype, st);
  const out = ['Tensor'];
  if (verbose) out.push(`  dtype: ${x.dtype}`, `  rank: ${x.rank}`, `  shape: [${x.shape}]`, '  values:');
  out.push(
    lines(vals, x.shape, x.dtype, st, pad)
      .map((l) => `    ${l}`)
      .join('\n'),
  );
  return out.join('\n');
}

/** tf.print(x, verbose = false): writes the tensor's text to the console, as TF.js does. */
export function print(x: Tensor, verbose = false): void {
  console.log(tensorToString(x, verbose));
}
