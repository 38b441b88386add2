// Single-precision GEMM for WebAssembly SIMD: C = op(A) · op(B) (or C += ...), row-major.
// Goto/BLIS blocking: a KC x NC block of B is packed into NR-wide strips, an MC x KC block of A into MR-tall
// strips, and an MR x NR register tile accumulates one strip pair. With 128-bit vectors a 4 x 8 tile is
// 8 accumulators + 2 B vectors + 1 A splat. NOTE: V8 (x64) keeps xmm15 as scratch and spilled a 6 x 8 tile's
// accumulators to the stack: 4 x 8 measured 40 GFLOP/s against 6 x 8's 25; unrolling p did not help.
import { join, jobField, setJobField, start, threshold, usableThreads } from './threads';

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 512;

/** Bytes of one thread's packing buffers and edge tile (laid out by `layout` in index.ts). */
export const PACK_A_BYTES: i32 = MC * KC * 4;
export const PACK_B_BYTES: i32 = KC * NC * 4;
export const TILE_BYTES: i32 = MR * NR * 4;

// a*b + c: fused where the runtime has relaxed SIMD (its rounding may differ by an ulp), else mul + add.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** The register tile: C[0..4, 0..8] (row stride `ldc` bytes) = (accumulate ? C : 0) + A strip · B strip. */
@inline function kernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += MR * 4;
    pb += NR * 4;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + 1 * ldc)); c11 = f32x4.add(c11, v128.load(c + 1 * ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + 1 * ldc, c10); v128.store(c + 1 * ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/** Packs A[i0.., p0..] (mc x kc, element (i, p) at a + 4*(i*rs + p*cs)) into MR-tall strips, zero-padded. */
function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (cs == 1) {
      // rows of A are contiguous: walk each row, writing with stride MR
      for (let r = 0; r < rows; r++) {
        let s = a + (<usize>((i0 + ir + r) * rs + p0) << 2);
        let d = dst + (<usize>r << 2);
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(s));
          s += 4;
          d += MR * 4;
        }
      }
    } else {
      // columns of A are contiguous (A transposed): MR consecutive floats per p
      for (let p = 0; p < kc; p++) {
        const s = a + (<usize>((i0 + ir) * rs + (p0 + p) * cs) << 2);
        const d = dst + (<usize>(p * MR) << 2);
        if (rows == MR && rs == 1) {
          v128.store(d, v128.load(s));
        } else {
          for (let r = 0; r < rows; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + (<usize>(r * rs) << 2)));
        }
      }
    }
    if (rows < MR) {
      for (let p = 0; p < kc; p++) {
        for (let r = rows; r < MR; r++) store<f32>(dst + (<usize>(p * MR + r) << 2), 0);
      }
    }
    dst += <usize>(MR * kc) << 2;
  }
}

/** Packs B[p0.., j0..] (kc x nc, element (p, j) at b + 4*(p*rs + j*cs)) into NR-wide strips, zero-padded. */
function packB(b: usize, rs: i32, cs: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    if (cs == 1 && cols == NR) {
      let s = b + (<usize>(p0 * rs + j0 + jr) << 2);
      let d = dst;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += <usize>rs << 2;
        d += NR * 4;
      }
    } else if (cs == 1) {
      for (let p = 0; p < kc; p++) {
        const s = b + (<usize>((p0 + p) * rs + j0 + jr) << 2);
        const d = dst + (<usize>(p * NR) << 2);
        for (let j = 0; j < cols; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + (<usize>j << 2)));
        for (let j = cols; j < NR; j++) store<f32>(d + (<usize>j << 2), 0);
      }
    } else {
      // B transposed: each column j is contiguous over p
      for (let j = 0; j < cols; j++) {
        let s = b + (<usize>(p0 * rs + (j0 + jr + j) * cs) << 2);
        let d = dst + (<usize>j << 2);
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(s));
          s += <usize>rs << 2;
          d += NR * 4;
        }
      }
      for (let j = cols; j < NR; j++) {
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR + j) << 2), 0);
      }
    }
    dst += <usize>(NR * kc) << 2;
  }
}

/** Bytes of one thread's packing buffers and edge tile. */
export const SCRATCH_BYTES: i32 = PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES + 64;

let scratchBase: usize = 0;

export function setScratchBase(p: usize): void {
  scratchBase = p;
}

@inline function scratchFor(id: i32): usize {
  return scratchBase + <usize>id * SCRATCH_BYTES;
}

/**
 * C[m, n] (row stride ldc floats) = op(A) · op(B), or += when `accumulate`. A is [m, k] (lda = k), or stored
 * [k, m] when `transA`; B is [k, n], or stored [n, k] when `transB`. Large products are split over the
 * thread pool (threads.ts) in bands of rows (MR-aligned) or columns (NR-aligned) of C.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, ldc: i32, accumulate: bool): void {
  if (m <= 0 || n <= 0) return;
  const rsA = transA ? 1 : k, csA = transA ? m : 1;
  const rsB = transB ? 1 : n, csB = transB ? k : 1;
  const threads = usableThreads();
  if (threads > 1 && k > 0 && <i64>m * k * n >= <i64>threshold() && (m >= 2 * MR || n >= 2 * NR)) {
    setJobField(0, <i32>a); setJobField(1, rsA); setJobField(2, csA);
    setJobField(3, <i32>b); setJobField(4, rsB); setJobField(5, csB);
    setJobField(6, <i32>c); setJobField(7, ldc);
    setJobField(8, m); setJobField(9, k); setJobField(10, n);
    setJobField(11, accumulate ? 1 : 0);
    setJobField(12, n >= m || m < 2 * MR ? 1 : 0);
    setJobField(13, threads);
    start();
    runPart(0);
    join(threads);
    return;
  }
  gemmStrided(a, rsA, csA, b, rsB, csB, c, ldc, m, k, n, accumulate, scratchFor(0));
}

/** Part `id` of the job in the control block: its band of C (workers call this for each job). */
export function runPart(id: i32): void {
  const a = <usize>jobField(0), rsA = jobField(1), csA = jobField(2);
  const b = <usize>jobField(3), rsB = jobField(4), csB = jobField(5);
  const c = <usize>jobField(6), ldc = jobField(7);
  const m = jobField(8), k = jobField(9), n = jobField(10);
  const accumulate = jobField(11) != 0, byColumns = jobField(12) != 0, threads = jobField(13);
  const extent = byColumns ? n : m;
  const align = byColumns ? NR : MR;
  const per = (((extent + threads - 1) / threads + align - 1) / align) * align;
  const lo = id * per, hi = min(extent, lo + per);
  if (lo >= hi) return;
  if (byColumns) {
    gemmStrided(a, rsA, csA, b + (<usize>(lo * csB) << 2), rsB, csB, c + (<usize>lo << 2), ldc, m, k, hi - lo, accumulate, scratchFor(id));
  } else {
    gemmStrided(a + (<usize>(lo * rsA) << 2), rsA, csA, b, rsB, csB, c + (<usize>(lo * ldc) << 2), ldc, hi - lo, k, n, accumulate, scratchFor(id));
  }
}

/** The GEMM on one thread, element (i, p) of A at a + 4*(i*rsA + p*csA), (p, j) of B at b + 4*(p*rsB + j*csB). */
function gemmStrided(a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32, c: usize, ldc: i32, m: i32, k: i32, n: i32, accumulate: bool, scratch: usize): void {
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    return;
  }
  const pA = scratch;
  const pB = pA + PACK_A_BYTES;
  const tile = pB + PACK_B_BYTES;
  const ldcBytes = <usize>ldc << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const acc = accumulate || pc > 0;
      packB(b, rsB, csB, pc, kc, jc, nc, pB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, rsA, csA, ic, mc, pc, kc, pA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = pB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = pA + (<usize>(ir * kc) << 2);
            const cp = c + (<usize>(ic + ir) * ldcBytes) + (<usize>(jc + jr) << 2);
            if (rows == MR && cols == NR) {
              kernel(kc, pa, pb, cp, ldcBytes, acc);
            } else {
              kernel(kc, pa, pb, tile, NR * 4, false);
              for (let r = 0; r < rows; r++) {
                const d = cp + <usize>r * ldcBytes;
                const s = tile + (<usize>(r * NR) << 2);
                if (acc) {
                  for (let j = 0; j < cols; j++) store<f32>(d + (<usize>j << 2), load<f32>(d + (<usize>j << 2)) + load<f32>(s + (<usize>j << 2)));
                } else {
                  for (let j = 0; j < cols; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + (<usize>j << 2)));
                }
              }
            }
          }
        }
      }
    }
  }
}
