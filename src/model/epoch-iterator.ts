// The order in which fit visits the training samples, epoch by epoch, and how far an epoch got. Each epoch
// cuts a fresh permutation, drawn from the random state at its start, into batches; an interrupted epoch
// (an `EpochProgress`) is drawn again from the state it began with and goes on after the batches already
// trained, with the running sums it had, so that a resumed run repeats the uninterrupted one exactly.
import type { EpochProgress } from '../io/format.js';
import { getRngState, setRngState, shuffleInPlace } from '../tensor/rng.js';
import type { Logs } from './callbacks.js';

/** The epochs over `size` samples in batches of `batchSize`, shuffled or in order. */
export class EpochIterator {
  /** Batches per epoch (the last one may be smaller). */
  readonly steps: number;
  /** The sample order of the current epoch (one array, refilled at each epoch's start). */
  private readonly order: number[];

  constructor(
    private readonly size: number,
    private readonly batchSize: number,
    private readonly shuffle: boolean,
  ) {
    this.steps = Math.ceil(size / batchSize);
    this.order = Array.from({ length: size }, (_, i) => i);
  }

  /** Throws unless `progress` can continue an epoch of these batches. */
  checkResumable(progress: EpochProgress): void {
    const steps = this.steps;
    if (!(Number.isInteger(progress.batch) && progress.batch >= 0 && progress.batch < steps)) {
      throw new Error(
        `fit(): initialEpochProgress.batch must be an integer in [0, ${steps}) for ${steps} batches per epoch, got ${progress.batch}; was the run interrupted with another batch size or data set?`,
      );
    }
  }

  /** Starts an epoch: a fresh one, or the interrupted one `resume` describes. */
  begin(resume: EpochProgress | null): Epoch {
    // an interrupted epoch draws its shuffle again from the state it began with, then goes on from where it stopped
    const rngNow = resume ? getRngState() : null;
    if (resume) setRngState(resume.epochRngState);
    const epochRngState = getRngState();
    if (this.shuffle) {
      // NOTE: a fresh permutation of 0..n-1 each epoch (not a reshuffle of the last one), so that an epoch's
      // order depends only on the random state at its start and a resumed run (initialEpoch) repeats it exactly
      for (let i = 0; i < this.size; i++) this.order[i] = i;
      shuffleInPlace(this.order);
    }
    if (rngNow) setRngState(rngNow);
    return new Epoch(this.order, this.size, this.batchSize, epochRngState, resume);
  }
}

/** One epoch under way: its batches and the running sums of their logs. */
export class Epoch {
  /** The first batch to train (not 0 when resuming). */
  readonly firstBatch: number;
  /** Each log's sum over the batches so far, every value times its batch's size. */
  private readonly sums: Record<string, number>;
  private seenSamples: number;

  constructor(
    private readonly order: readonly number[],
    private readonly size: number,
    private readonly batchSize: number,
    /** The random generator's state when the epoch began, before its shuffle. */
    private readonly epochRngState: (number | null)[],
    resume: EpochProgress | null,
  ) {
    this.sums = resume ? { ...resume.sums } : {};
    this.seenSamples = resume?.seen ?? 0;
    this.firstBatch = resume?.batch ?? 0;
  }

  /** The samples trained so far in this epoch. */
  get seen(): number {
    return this.seenSamples;
  }

  /** The sample indices of batch `step`. */
  batch(step: number): number[] {
    return this.order.slice(step * this.batchSize, Math.min(this.size, (step + 1) * this.batchSize));
  }

  /** Adds the logs of a trained batch of `size` samples. */
  add(logs: Logs, size: number): void {
    this.seenSamples += size;
    for (const [k, v] of Object.entries(logs)) this.sums[k] = (this.sums[k] ?? 0) + v * size;
  }

  /** Each log's mean over the samples trained so far. */
  means(): Logs {
    return Object.fromEntries(Object.entries(this.sums).map(([k, v]) => [k, v / this.seenSamples]));
  }

  /** Where the epoch stands before batch `batch`: what continues it exactly (`initialEpochProgress`). */
  progress(batch: number): EpochProgress {
    return { batch, epochRngState: this.epochRngState, sums: { ...this.sums }, seen: this.seenSamples };
  }
}
