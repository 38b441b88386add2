// Elementwise kernels and reductions (see src/backend/js/elementwise.ts and reduce.ts, their references).
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

// Codes shared with src/backend/native/index.ts.
enum class BinaryOp { Add, Sub, Mul, Div, Maximum, Minimum, Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual, Count };
enum class UnaryOp { Neg, Abs, Sign, Step, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, Erf, Floor, Round, Count };
enum class ReduceOp { Sum, Max, Min };

// out[i] = a[i % aPeriod] op b[i % bPeriod] for i < n, where each period is 1 (a scalar), n (a full
// array) or, for one of the two, a row length dividing n (a row repeated down the other).
void binary(BinaryOp op, const float* a, size_t aPeriod, const float* b, size_t bPeriod, float* out, size_t n);
// out row i = x row rows[i] (rows of rowSize floats; indices already checked)
void gatherRows(const float* x, size_t rowSize, const int32_t* rows, size_t count, float* out);
void unary(UnaryOp op, const float* x, float* out, size_t n);
// Adds each of the `rows` rows of `len` floats at x into out, in row order: column sums, in the order of the js
// reduction over leading axes (and of a bias gradient's sums).
void addRows(float* out, const float* x, size_t rows, size_t len);
// The js reduction, loop for loop: `reduced[i]` says whether axis i is summed away.
void reduce(ReduceOp op, const float* x, const int32_t* shape, const uint8_t* reduced, int rank, float* out, size_t outLength);

}  // namespace dendrite
