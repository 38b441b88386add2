// The IDX file format of MNIST: a big-endian header (two zero bytes, a type code, the number of
// dimensions, then each dimension as uint32) followed by the values in row-major order.

/** IDX type codes and their element sizes in bytes. */
const TYPES: Record<number, { name: string; bytes: number }> = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
};

export interface IdxArray {
  /** Element type named by the header, e.g. 'uint8'. */
  type: string;
  /** Dimensions from the header, outermost first. */
  shape: number[];
  /** The values in row-major order (uint8 data stays a Uint8Array; other types are converted to Float64Array). */
  data: Uint8Array | Float64Array;
}

/**
 * Parses an IDX file, validating its magic number, dimensions and size. `source` names the file in errors.
 *
 *     const images = parseIdx(readFileSync('train-images-idx3-ubyte'), 'train-images-idx3-ubyte');
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw new Error(`${source}: not an IDX file (${bytes.length} bytes, the header alone needs at least 4).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(
      `${source}: not an IDX file (magic number 0x${view.getUint32(0).toString(16).padStart(8, '0')} should start with two zero bytes; is it gzip-compressed?).`,
    );
  }
  const type = TYPES[bytes[2]];
  if (!type) throw new Error(`${source}: unknown IDX element type 0x${bytes[2].toString(16)} in the magic number.`);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerBytes)
    throw new Error(`${source}: truncated header (${rank} dimensions need ${headerBytes} header bytes, the file has ${bytes.length}).`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    throw new Error(
      `${source}: the header says ${shape.join(' x ')} ${type.name} values (${expected} bytes in all) but the file has ${bytes.length} bytes${bytes.length < expected ? ' (truncated?)' : ''}.`,
    );
  }
  if (type.name === 'uint8') return { type: type.name, shape, data: bytes.subarray(headerBytes, expected) };
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = headerBytes + i * type.bytes;
    data[i] =
      type.name === 'int8'
        ? view.getInt8(at)
        : type.name === 'int16'
          ? view.getInt16(at)
          : type.name === 'int32'
            ? view.getInt32(at)
            : type.name === 'float32'
              ? view.getFloat32(at)
              : view.getFloat64(at);
  }
  return { type: type.name, shape, data };
}

/** Encodes an IDX file (the inverse of parseIdx), for tests and for writing MNIST-style data. */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}
