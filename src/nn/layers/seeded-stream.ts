import { getRngState, setRngState, setSeed } from '../../tensor/rng.js';

/**
 * A layer's own random stream (dropout masks): started from `seed` and kept between calls, so that the layer's
 * draws neither depend on nor shift the global stream (`setSeed`). Without a seed the draws come from the
 * global stream.
 */
export class SeededStream {
  /** Where this stream stands (only with a seed, after the first draw). */
  private state: (number | null)[] | null = null;

  constructor(readonly seed: number | undefined) {}

  /** Runs `draw` on this stream, and leaves the global stream as it was. */
  run<T>(draw: () => T): T {
    if (this.seed === undefined) return draw();
    const global = getRngState();
    if (this.state) setRngState(this.state);
    else setSeed(this.seed);
    try {
      return draw();
    } finally {
      this.state = getRngState();
      setRngState(global);
    }
  }
}
