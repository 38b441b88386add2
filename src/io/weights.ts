// Weight bytes: float32 little-endian, concatenated in manifest order (the TF.js layers format); reading also takes
// what the TF.js converter writes when it quantises (float16, or uint8 / uint16 with a scale and a minimum).
import { formatShape, sizeOf } from '../tensor/shape.js';
import { DTYPE_BYTES, type WeightSpec } from './format.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkEndianness(): void {
  if (!LITTLE_ENDIAN) throw new Error('Model files are little-endian; reading or writing them on a big-endian machine is not supported.');
}

/** Concatenates float32 arrays into little-endian bytes. */
export function concatFloat32(chunks: readonly Float32Array[]): Uint8Array {
  checkEndianness();
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return new Uint8Array(out.buffer);
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE, as zlib and PNG) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Bytes taken by one manifest entry. */
export function specBytes(spec: WeightSpec): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
  if (per === undefined)
    throw new Error(`weight '${spec.name}' has dtype '${dtype}', which dendrite cannot read (float32, float16, int32, bool, float16/uint8/uint16-quantised).`);
  return sizeOf(spec.shape) * per;
}

/** The float32 bits of one IEEE 754 half-precision value's bits: exact, subnormals, infinities and NaNs (payload kept) included. */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return sign | 0x7f800000 | (mantissa << 13);
  if (exponent !== 0) return sign | ((exponent + 112) << 23) | (mantissa << 13);
  if (mantissa === 0) return sign;
  // NOTE: a subnormal half is mantissa * 2^-24, a normal float32: shift its leading 1 into the implicit bit
  let e = 113;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    e--;
  }
  return sign | (e << 23) | ((mantissa & 0x3ff) << 13);
}

/**
 * IEEE 754 half-precision values (as the TF.js converter's `--quantize_float16` stores weights) as float32, exactly.
 *
 *     decodeFloat16(new Uint16Array([0x3c00, 0xc000, 0x0001]));  // [1, -2, 5.960464477539063e-8]
 */
export function decodeFloat16(halves: Uint16Array): Float32Array {
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halfToFloatBits(halves[i]);
  return new Float32Array(bits.buffer);
}

/** `bytes` as a Uint8Array view (no copy). */
export function asBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/**
 * The float32 values of one manifest entry at `offset` of `bytes` (copied, so they are aligned and
 * independent of the file buffer). Quantised entries are expanded: value = q * scale + min. Every value must
 * be finite: a NaN read from a file would give wrong answers without any error. `fileName` names the data in
 * messages.
 */
export function readWeight(bytes: Uint8Array, offset: number, spec: WeightSpec, fileName = 'the weight data'): Float32Array {
  checkEndianness();
  const n = sizeOf(spec.shape);
  const q = spec.quantization;
  const need = specBytes(spec);
  if (offset + need > bytes.length) {
    throw new Error(
      `${fileName} ends before weight '${spec.name}' ${formatShape(spec.shape)} does (it needs bytes ${offset} to ${offset + need}, the data has ${bytes.length}).`,
    );
  }
  let values: Float32Array;
  if (q?.dtype === 'float16' || (!q && spec.dtype === 'float16')) {
    values = decodeFloat16(new Uint16Array(bytes.slice(offset, offset + 2 * n).buffer));
  } else if (q) {
    if (q.dtype !== 'uint8' && q.dtype !== 'uint16')
      throw new Error(`weight '${spec.name}' is quantised as '${q.dtype}'; dendrite reads float16, uint8 and uint16 quantisation only.`);
    const raw = q.dtype === 'uint8' ? bytes.slice(offset, offset + n) : new Uint16Array(bytes.slice(offset, offset + 2 * n).buffer);
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    // as TF.js decodes them: an int32 weight is rounded to a whole number (+ 0: an int32 has no -0)
    const round = spec.dtype === 'int32';
    values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = round ? Math.round(raw[i] * scale + min) + 0 : raw[i] * scale + min;
  } else if (spec.dtype === 'float32') {
    values = new Float32Array(bytes.slice(offset, offset + 4 * n).buffer);
  } else if (spec.dtype === 'int32') {
    values = Float32Array.from(new Int32Array(bytes.slice(offset, offset + 4 * n).buffer));
  } else {
    throw new Error(`weight '${spec.name}' ${formatShape(spec.shape)} has dtype '${spec.dtype}'; model weights must be float32.`);
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) {
      const how = q && q.dtype !== 'float16' ? ` after dequantisation (scale ${q.scale}, min ${q.min})` : '';
      throw new Error(
        `${fileName}: weight '${spec.name}' holds ${v}${how} (value ${i} of ${n}); model files hold finite numbers only, so the file is damaged or the model was saved after its training diverged.`,
      );
    }
  }
  return values;
}
