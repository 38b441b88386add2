{
  "targets": [
    {
      "target_name": "dendrite_native",
      "sources": [
        "src/addon.cc",
        "src/conv.cc",
        "src/elementwise.cc",
        "src/fused.cc",
        "src/gemm.cc",
        "src/gemm_avx2.cc",
        "src/gemm_avx512.cc",
        "src/gemm_scalar.cc",
        "src/gemv.cc",
        "src/optim.cc",
        "src/peak.cc",
        "src/pool.cc",
        "src/random.cc",
        "src/recurrent.cc",
        "src/softmax.cc",
        "src/threadpool.cc"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-O2", "-std=gnu++17", "-std=gnu++20"],
      "cflags": ["-O3", "-pthread", "-ffp-contract=off", "-fno-math-errno"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-pthread", "-ffp-contract=off", "-fno-math-errno"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1 }
      }
    }
  ]
}
