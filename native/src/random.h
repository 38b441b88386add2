// The seeded generator's dropout masks (src/tensor/rng.ts), drawn natively with the same bits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

// out[i] = scale where draw i (sfc32, state advanced in place) is below keep * 2^32, else 0: exactly what the js
// fillBernoulliMask yields from the same state.
void bernoulliMask(float* out, size_t n, uint32_t state[4], double keep, double scale);

}  // namespace dendrite
