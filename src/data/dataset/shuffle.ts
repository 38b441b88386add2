// `dataset.shuffle(bufferSize, seed)`: a buffer of `bufferSize` elements; each output is a random one of them,
// its place taken by the next element of the stream (TF.js' ShuffleIterator). A buffer as large as the data set
// gives a uniform permutation; a smaller one shuffles locally, in bounded memory: output i is always one of the
// input elements 0 .. i + bufferSize - 1.
//
// The random numbers come from dendrite's generator (sfc32, src/tensor/rng.ts) run on a state of the shuffle's
// own, so a seeded shuffle repeats exactly, and neither depends on nor shifts the global stream (setSeed) that
// initialisers and dropout draw from. Without a seed, each pass's seed is drawn from the global stream, so
// `setSeed` makes it reproducible as well.
import { getRngState, random, setRngState, setSeed } from '../../tensor/rng.js';
import { DONE, element, LazyIterator, type Next } from './iterator.js';

/** A seed as TF.js takes it (a string) or as dendrite does (a number), as one 32-bit number. */
export function seedNumber(seed: number | string, what: string): number {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new Error(`${what}: the seed must be a finite number or a string, got ${seed}.`);
    return Math.floor(seed);
  }
  if (typeof seed !== 'string') throw new Error(`${what}: the seed must be a number or a string, got ${typeof seed}.`);
  // FNV-1a over the UTF-16 code units: a string names one stream, as alea(seed) does in TF.js
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Uniform numbers in [0, 1) from dendrite's generator started at `seed`, drawn in blocks with the global stream put back. */
export class UniformStream {
  private state: (number | null)[];
  private readonly block = new Float64Array(256);
  private pos = this.block.length;

  constructor(seed: number) {
    const global = getRngState();
    setSeed(seed);
    this.state = getRngState();
    setRngState(global);
  }

  next(): number {
    if (this.pos === this.block.length) {
      const global = getRngState();
      setRngState(this.state);
      for (let i = 0; i < this.block.length; i++) this.block[i] = random();
      this.state = getRngState();
      setRngState(global);
      this.pos = 0;
    }
    return this.block[this.pos++];
  }

  /** A 32-bit integer, e.g. the seed of one pass over a data set. */
  nextUint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

/** The elements of `upstream` in random order, through a buffer of `bufferSize`, drawn with `seed`. */
export class ShuffleIterator<T> extends LazyIterator<T> {
  private readonly buffer: T[] = [];
  private readonly random: UniformStream;
  private upstreamEnded = false;

  constructor(
    private readonly upstream: LazyIterator<T>,
    private readonly bufferSize: number,
    seed: number,
  ) {
    super();
    this.random = new UniformStream(seed);
  }

  protected async pull(): Promise<Next<T>> {
    while (!this.upstreamEnded && this.buffer.length < this.bufferSize) {
      const r = await this.upstream.next();
      if (r.done) this.upstreamEnded = true;
      else this.buffer.push(r.value);
    }
    const n = this.buffer.length;
    if (n === 0) return DONE;
    const i = Math.floor(this.random.next() * n);
    const chosen = this.buffer[i];
    // the last element fills the gap; the next pull tops the buffer up again
    this.buffer[i] = this.buffer[n - 1];
    this.buffer.pop();
    return element(chosen);
  }

  protected override async close(): Promise<void> {
    this.buffer.length = 0;
    await this.upstream.return();
  }
}
