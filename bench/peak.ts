// The machine's FMA peak for `npm run bench`'s roofline column: the native addon's tight loop of independent FMAs
// (native/src/peak.cc) in the best instruction set the CPU has, on every thread of the pool and on one. Prints one
// JSON line; nothing where the native addon is not built. A peak is the best of three tries: another process on a core
// can only lower a try.
import { measureFmaPeak, nativeInfo } from '../src/backend/native/index.js';

const info = nativeInfo();
if (info) {
  const best = (threads: number) => {
    const tries = [0, 1, 2].map(() => measureFmaPeak({ threads, seconds: 0.5 }));
    return { isa: tries[0]?.isa, gflops: Math.max(...tries.map((t) => t?.gflops ?? 0)) };
  };
  const all = best(info.threads);
  console.log(JSON.stringify({ isa: all.isa, threads: info.threads, gflops: all.gflops, oneThreadGflops: best(1).gflops }));
}
