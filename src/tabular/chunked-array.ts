// A typed array kept in chunks of equal size (a power of two), so that it grows by adding chunks and is never
// copied: copying a table's columns into single arrays at the end of a read would hold every column twice
// (the chunks stay allocated until the garbage collector runs), and a 1 GB table would need twice its memory.

type TypedArray = Uint16Array | Float32Array | Uint32Array;
type TypedArrayType<T extends TypedArray> = { new (n: number): T };

/** Rows per chunk for a table of `columns` columns: about 8 Mi values over all columns, between 64 and 65,536 rows. */
export function chunkRowsFor(columns: number): number {
  const rows = 2 ** Math.floor(Math.log2(Math.max(1, (8 * 2 ** 20) / Math.max(1, columns))));
  return Math.min(65536, Math.max(64, rows));
}

export class ChunkedArray<T extends TypedArray = TypedArray> {
  private chunks: T[] = [];
  private readonly shift: number;
  private readonly mask: number;
  length = 0;

  constructor(
    private readonly Type: TypedArrayType<T>,
    chunkRows: number,
  ) {
    this.shift = Math.log2(chunkRows);
    if (!Number.isInteger(this.shift)) throw new Error(`chunk size must be a power of two, got ${chunkRows}.`);
    this.mask = chunkRows - 1;
  }

  /** The value at `i` (0 <= i < length). */
  get(i: number): number {
    return this.chunks[i >>> this.shift][i & this.mask];
  }

  /** Appends a value. */
  push(value: number): void {
    const within = this.length & this.mask;
    if (within === 0) this.chunks.push(new this.Type(this.mask + 1));
    this.chunks[this.chunks.length - 1][within] = value;
    this.length++;
  }

  /** The same values converted to another type, chunk by chunk (each old chunk is let go as soon as it is converted). */
  map<U extends TypedArray>(Type: TypedArrayType<U>, f: (value: number) => number): ChunkedArray<U> {
    const out = new ChunkedArray(Type, this.mask + 1);
    out.chunks = this.chunks.map((chunk, c) => {
      const converted = new Type(chunk.length);
      for (let i = 0; i < chunk.length; i++) converted[i] = f(chunk[i]);
      this.chunks[c] = undefined as unknown as T;
      return converted;
    });
    out.length = this.length;
    this.chunks = [];
    this.length = 0;
    return out;
  }

  /** The values as one typed array (a copy; for small arrays and tests). */
  toArray(): T {
    const out = new this.Type(this.length);
    for (let c = 0; c < this.chunks.length; c++) {
      const start = c << this.shift;
      out.set(this.chunks[c].subarray(0, Math.min(this.mask + 1, this.length - start)), start);
    }
    return out;
  }
}

/** A chunked array holding `values`. */
export function chunkedFrom<T extends TypedArray>(Type: TypedArrayType<T>, values: ArrayLike<number>, chunkRows = 65536): ChunkedArray<T> {
  const out = new ChunkedArray(Type, chunkRows);
  for (let i = 0; i < values.length; i++) out.push(values[i]);
  return out;
}
