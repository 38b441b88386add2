// Per-thread scratch memory that only grows, so kernels do not allocate (and page-fault) on every call.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

namespace dendrite {

class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { std::free(data_); }

  // At least `count` floats, 64-byte aligned; contents are whatever was left there.
  float* get(size_t count) {
    if (count > capacity_) {
      size_t grown = capacity_ * 2 > count ? capacity_ * 2 : count;
      size_t bytes = ((grown * sizeof(float) + 63) / 64) * 64;
      void* p = std::aligned_alloc(64, bytes);
      if (!p) throw std::bad_alloc();
      std::free(data_);
      data_ = static_cast<float*>(p);
      capacity_ = bytes / sizeof(float);
    }
    return data_;
  }

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace dendrite
