import type { Backend, FusedActivation } from '../backend.js';

// Bias add and activation in one pass over memory, and the activation's derivative in one pass: these
// run on every Dense and Conv2D output, where separate elementwise ops cost more than the matrix products.

export function biasActivation(x: Float32Array, bias: Float32Array | null, activation: FusedActivation, out: Float32Array): void {
  const c = bias ? bias.length : x.length;
  for (let o = 0; o < x.length; o += c) {
    switch (activation) {
      case 'linear':
        if (bias) for (let j = 0; j < c; j++) out[o + j] = x[o + j] + bias[j];
        else out.set(x.subarray(o, o + c), o);
        break;
      case 'relu':
        for (let j = 0; j < c; j++) {
          const v = x[o + j] + (bias ? bias[j] : 0);
          out[o + j] = v > 0 ? v : 0;
        }
        break;
      case 'sigmoid':
        for (let j = 0; j < c; j++) {
          const v = x[o + j] + (bias ? bias[j] : 0);
          // two branches so exp never overflows
          if (v >= 0) out[o + j] = 1 / (1 + Math.exp(-v));
          else {
            const e = Math.exp(v);
            out[o + j] = e / (1 + e);
          }
        }
        break;
      case 'tanh':
        for (let j = 0; j < c; j++) out[o + j] = Math.tanh(x[o + j] + (bias ? bias[j] : 0));
        break;
    }
  }
}

export function activationBackward(activation: FusedActivation, y: Float32Array, dy: Float32Array, out: Float32Array): void {
  const n = y.length;
  switch (activation) {
    case 'linear':
      out.set(dy);
      break;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = y[i] > 0 ? dy[i] : 0;
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = dy[i] * y[i] * (1 - y[i]);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = dy[i] * (1 - y[i] * y[i]);
      break;
  }
}

/** `conv2dFused` as a backend's own kernels one after the other: conv2d, biasActivation in place, maxPool2d. */
export function composeConv2dFused(k: Pick<Backend, 'conv2d' | 'biasActivation' | 'maxPool2d'>): Backend['conv2dFused'] {
  return (x, filter, bias, activation, out, info, pool, convOut) => {
    const size = info.batch * info.outH * info.outW * info.outC;
    const y = pool ? (convOut ?? new Float32Array(size)).subarray(0, size) : out.subarray(0, size);
    k.conv2d(x, filter, y, info);
    if (bias || activation !== 'linear') k.biasActivation(y, bias, activation, y);
    if (pool) k.maxPool2d(y, out, pool);
  };
}

/** `maxPoolActivationBackward` as a backend's own kernels (maxPool2dBackprop, then activationBackward in place) and a loop. */
export function composeMaxPoolActivationBackward(k: Pick<Backend, 'maxPool2dBackprop' | 'activationBackward'>): Backend['maxPoolActivationBackward'] {
  return (y, dy, activation, dz, biasGrad, info) => {
    const C = info.channels;
    const image = info.inH * info.inW * C;
    const size = info.batch * image;
    const d = dz.subarray(0, size);
    k.maxPool2dBackprop(y, dy, d, info);
    k.activationBackward(activation, y.subarray(0, size), d, d);
    if (!biasGrad) return;
    // float sums (Float32Array), image by image, then over the images: the native order
    const sums = new Float32Array(C);
    biasGrad.fill(0, 0, C);
    for (let n = 0; n < info.batch; n++) {
      sums.fill(0);
      for (let o = n * image; o < (n + 1) * image; o += C) for (let c = 0; c < C; c++) sums[c] += d[o + c];
      for (let c = 0; c < C; c++) biasGrad[c] += sums[c];
    }
  };
}
