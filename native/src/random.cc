// sfc32, as nextUint32 in src/tensor/rng.ts, in uint32 arithmetic (the js int32 `| 0` arithmetic has the same
// bits). The draws are a chain, one after the other, so this runs on one thread; it is over ten times quicker
// than the js loop, which converts every draw and every stored value between integers and doubles.
#include "random.h"

#include <cmath>
#include <cstring>

namespace dendrite {

void bernoulliMask(float* out, size_t n, uint32_t state[4], double keep, double scale) {
  // t < keep * 2^32 (a double) is t < ceil(keep * 2^32) for an integer t: an integer comparison, off the critical
  // path of the generator (which converting every draw to double measured to slow down 2x)
  const double threshold = keep * 4294967296.0;
  const uint64_t limit = !(threshold > 0) ? 0 : threshold >= 4294967296.0 ? uint64_t{1} << 32 : static_cast<uint64_t>(std::ceil(threshold));
  const float value = static_cast<float>(scale);
  uint32_t valueBits;
  std::memcpy(&valueBits, &value, sizeof valueBits);
  uint32_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (size_t i = 0; i < n; i++) {
    const uint32_t t = s0 + s1 + s3;
    s3 += 1;
    s0 = s1 ^ (s1 >> 9);
    s1 = s2 + (s2 << 3);
    s2 = (s2 << 21) | (s2 >> 11);
    s2 += t;
    // a mask of the bits, not a branch: a quarter to a half of the draws would mispredict it
    const uint32_t bits = valueBits & (0u - static_cast<uint32_t>(t < limit));
    std::memcpy(out + i, &bits, sizeof bits);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

}  // namespace dendrite
