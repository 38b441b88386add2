// Fused bias + activation and the activation's derivative from its output. linear and relu are exact (one
// add, one compare), so they match the js reference bit for bit; sigmoid and tanh go through f64 Math as js does.

export const LINEAR = 0;
export const RELU = 1;
export const SIGMOID = 2;
export const TANH = 3;

@inline function sigmoid(v: f64): f64 {
  // two branches so exp never overflows
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** out[r, j] = act(x[r, j] + bias[j]) for `rows` rows of `cols`; bias 0 means no bias. */
export function biasActivation(x: usize, bias: usize, act: i32, out: usize, rows: i32, cols: i32): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * cols) << 2;
    const xs = x + row, os = out + row;
    if (act == LINEAR || act == RELU) {
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        let v = v128.load(xs + o);
        if (bias) v = f32x4.add(v, v128.load(bias + o));
        // NaN > 0 is false, so relu(NaN) = 0, as in js
        if (act == RELU) v = v128.and(v, f32x4.gt(v, zero));
        v128.store(os + o, v);
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        let v = load<f32>(xs + o);
        if (bias) v += load<f32>(bias + o);
        if (act == RELU) v = v > 0 ? v : 0;
        store<f32>(os + o, v);
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const o = <usize>j << 2;
        let v = load<f32>(xs + o);
        if (bias) v += load<f32>(bias + o);
        store<f32>(os + o, <f32>(act == SIGMOID ? sigmoid(<f64>v) : Math.tanh(<f64>v)));
      }
    }
  }
}

/** out = dy * act'(y), the derivative written in terms of the output y. */
export function activationBackward(act: i32, y: usize, dy: usize, out: usize, count: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const yv = v128.load(y + o), d = v128.load(dy + o);
    let r: v128;
    if (act == RELU) r = v128.and(d, f32x4.gt(yv, zero));
    else if (act == SIGMOID) r = f32x4.mul(f32x4.mul(d, yv), f32x4.sub(one, yv));
    else if (act == TANH) r = f32x4.mul(d, f32x4.sub(one, f32x4.mul(yv, yv)));
    else r = d;
    v128.store(out + o, r);
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const yv = load<f32>(y + o), d = load<f32>(dy + o);
    let r: f32;
    if (act == RELU) r = yv > 0 ? d : 0;
    else if (act == SIGMOID) r = d * yv * (1 - yv);
    else if (act == TANH) r = d * (1 - yv * yv);
    else r = d;
    store<f32>(out + o, r);
  }
}
