// Products with a few rows (a Dense layer's forward on one sample): C[m, n] = A[m, k] . B[k, n] for m <= kFewRows.
#pragma once

#include "gemm.h"

namespace dendrite {

constexpr int kFewRows = 4;

// Computes g when it is such a product (m <= kFewRows, B not transposed, C overwritten) and returns true; else
// returns false and leaves C alone. Packing B, as the GEMM does, would read and write all of it for one use.
bool fewRowsProduct(const GemmArgs& g);

}  // namespace dendrite
