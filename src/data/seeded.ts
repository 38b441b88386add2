import { getRngState, setRngState, setSeed } from '../tensor/rng.js';

/**
 * Runs `fn` on the library's generator seeded with `seed`, then restores the generator, so a seeded
 * data set or split is reproducible without disturbing the global random stream. Without a seed, `fn`
 * simply draws from the global generator (and so follows `setSeed`).
 */
export function withSeed<T>(seed: number | undefined, fn: () => T): T {
  if (seed === undefined) return fn();
  const saved = getRngState();
  setSeed(seed);
  try {
    return fn();
  } finally {
    setRngState(saved);
  }
}
