// The wasm module's memory as a bump arena: each kernel call lays out its operands from `base`, grows the
// memory once if they do not fit (it never shrinks, so a training loop stops growing after its first step),
// copies the inputs in, runs, and copies the result out. Nothing is allocated per call on the JS side.

const PAGE = 65536;

/** Bytes reserved at `base` for the geometry of a convolution or pooling call (16 int32). */
const GEOMETRY_BYTES = 64;

export class Arena {
  private top: number;
  private f32: Float32Array;
  private i32: Int32Array;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {
    this.top = base + GEOMETRY_BYTES;
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Starts a call's layout; returns the address of the geometry block. */
  begin(): number {
    this.top = this.base + GEOMETRY_BYTES;
    return this.base;
  }

  /** Reserves `floats` float32 slots (16-byte aligned) and returns their byte address. */
  alloc(floats: number): number {
    const p = this.top;
    this.top += (floats * 4 + 15) & ~15;
    return p;
  }

  /**
   * Grows the memory to hold everything reserved since `begin` (call before writing); false when it cannot
   * (32-bit wasm memory ends at 4 GiB, and a browser may refuse sooner), and the caller then runs js instead.
   */
  commit(): boolean {
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch {
        return false;
      }
    }
    // a grown memory has a new buffer; every view of the old one is detached
    if (this.f32.buffer !== this.memory.buffer) {
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
    return true;
  }

  /** Copies `data` to the float32 slots at byte address `p`. */
  put(p: number, data: Float32Array): void {
    this.f32.set(data, p >> 2);
  }

  /** Copies `count` floats from byte address `p` to the start of `out`. */
  get(p: number, out: Float32Array, count: number): void {
    out.set(this.f32.subarray(p >> 2, (p >> 2) + count));
  }

  /** Writes int32 fields at byte address `p`. */
  ints(p: number, values: readonly number[]): void {
    for (let i = 0; i < values.length; i++) this.i32[(p >> 2) + i] = values[i];
  }
}
