// The machine's measured FMA peak (see peak.cc).
#pragma once

namespace dendrite {

struct PeakResult {
  double flopsPerSecond;  // summed over the threads
  const char* isa;        // the instruction set the loop ran in (the one asked, where the CPU has it)
};

// Runs `threads` threads at once, each for about `seconds`, in `isa` ('avx512', 'avx2', else the baseline).
PeakResult measureFmaPeak(const char* isa, int threads, double seconds);

}  // namespace dendrite
