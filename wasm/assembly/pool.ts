// Pooling over NHWC windows, as the js reference does it: a window visits its in-image cells only (padding
// never wins a max or counts towards a mean), channels innermost. `best`/`where` are per-channel scratch.

/** Pool geometry: an unmanaged view of the caller's Int32Array (field order of the js `Pool2DInfo`). */
@unmanaged class Geometry {
  batch: i32; inH: i32; inW: i32; C: i32; outH: i32; outW: i32; poolH: i32; poolW: i32;
  strideH: i32; strideW: i32; padTop: i32; padLeft: i32;
}

@inline function read(g: usize): Geometry {
  return changetype<Geometry>(g);
}

@inline function f(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

@inline function setf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

export function maxPool2d(x: usize, out: usize, geometry: usize): void {
  const g = read(geometry);
  const C = g.C;
  let o = out;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const ys = oh * g.strideH - g.padTop;
      const y0 = max(ys, 0), y1 = min(ys + g.poolH, g.inH);
      for (let ow = 0; ow < g.outW; ow++) {
        const xs = ow * g.strideW - g.padLeft;
        const x0 = max(xs, 0), x1 = min(xs + g.poolW, g.inW);
        // NaN never wins (v > best is false), so an all-NaN window gives -Infinity, as in js
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let best = f32x4.splat(-Infinity);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const v = v128.load(x + (<usize>(((n * g.inH + iy) * g.inW + ix) * C + c) << 2));
              best = v128.bitselect(v, best, f32x4.gt(v, best));
            }
          }
          v128.store(o + (<usize>c << 2), best);
        }
        for (; c < C; c++) {
          let best: f32 = -Infinity;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const v = f(x, ((n * g.inH + iy) * g.inW + ix) * C + c);
              if (v > best) best = v;
            }
          }
          setf(o, c, best);
        }
        o += <usize>C << 2;
      }
    }
  }
}

/** Routes each dy to the first maximum of its window (a NaN or all -Infinity window: its first cell). */
export function maxPool2dBackprop(x: usize, dy: usize, dx: usize, geometry: usize): void {
  const g = read(geometry);
  const C = g.C;
  memory.fill(dx, 0, <usize>(g.batch * g.inH * g.inW * C) << 2);
  let o = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const ys = oh * g.strideH - g.padTop;
      const y0 = max(ys, 0), y1 = min(ys + g.poolH, g.inH);
      for (let ow = 0; ow < g.outW; ow++, o += C) {
        const xs = ow * g.strideW - g.padLeft;
        const x0 = max(xs, 0), x1 = min(xs + g.poolW, g.inW);
        if (y0 >= y1 || x0 >= x1) continue;
        for (let c = 0; c < C; c++) {
          let best: f32 = -Infinity;
          let where = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const i = ((n * g.inH + iy) * g.inW + ix) * C + c;
              const v = f(x, i);
              if (v > best || where < 0) {
                best = v;
                where = i;
              }
            }
          }
          setf(dx, where, f(dx, where) + f(dy, o + c));
        }
      }
    }
  }
}

export function avgPool2d(x: usize, out: usize, geometry: usize): void {
  const g = read(geometry);
  const C = g.C;
  let o = out;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const ys = oh * g.strideH - g.padTop;
      const y0 = max(ys, 0), y1 = min(ys + g.poolH, g.inH);
      for (let ow = 0; ow < g.outW; ow++) {
        const xs = ow * g.strideW - g.padLeft;
        const x0 = max(xs, 0), x1 = min(xs + g.poolW, g.inW);
        const count = max(y1 - y0, 0) * max(x1 - x0, 0);
        const scale: f32 = count > 0 ? <f32>1 / <f32>count : 0;
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let acc = f32x4.splat(0);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              acc = f32x4.add(acc, v128.load(x + (<usize>(((n * g.inH + iy) * g.inW + ix) * C + c) << 2)));
            }
          }
          v128.store(o + (<usize>c << 2), f32x4.mul(acc, f32x4.splat(scale)));
        }
        for (; c < C; c++) {
          let acc: f32 = 0;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) acc += f(x, ((n * g.inH + iy) * g.inW + ix) * C + c);
          }
          setf(o, c, acc * scale);
        }
        o += <usize>C << 2;
      }
    }
  }
}

export function avgPool2dBackprop(dy: usize, dx: usize, geometry: usize): void {
  const g = read(geometry);
  const C = g.C;
  memory.fill(dx, 0, <usize>(g.batch * g.inH * g.inW * C) << 2);
  let o = dy;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const ys = oh * g.strideH - g.padTop;
      const y0 = max(ys, 0), y1 = min(ys + g.poolH, g.inH);
      for (let ow = 0; ow < g.outW; ow++, o += <usize>C << 2) {
        const xs = ow * g.strideW - g.padLeft;
        const x0 = max(xs, 0), x1 = min(xs + g.poolW, g.inW);
        const count = max(y1 - y0, 0) * max(x1 - x0, 0);
        if (count == 0) continue;
        const scale: f32 = <f32>1 / <f32>count;
        const vs = f32x4.splat(scale);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const d = dx + (<usize>(((n * g.inH + iy) * g.inW + ix) * C) << 2);
            let c = 0;
            for (; c + 4 <= C; c += 4) {
              const k = <usize>c << 2;
              v128.store(d + k, f32x4.add(v128.load(d + k), f32x4.mul(v128.load(o + k), vs)));
            }
            for (; c < C; c++) setf(d, c, f(d, c) + f(o, c) * scale);
          }
        }
      }
    }
  }
}
