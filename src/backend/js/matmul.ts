import type { MatmulArgs } from '../backend.js';

/**
 * Reference batched GEMM. The loop order i-p-j walks `b` and `out` rows contiguously (the plain
 * i-j-p order strides down a column of `b` and is several times slower).
 */
export function matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void {
  const { m, k, n, transposeA, transposeB, aOffsets, bOffsets } = args;
  // element strides of op(a)[i, p] and op(b)[p, j]
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  const bRow = transposeB ? 1 : n;
  const bCol = transposeB ? k : 1;
  const row = new Float64Array(n);
  for (let batch = 0; batch < aOffsets.length; batch++) {
    const ao = aOffsets[batch];
    const bo = bOffsets[batch];
    const oo = batch * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[ao + i * aRow + p * aCol];
        const bBase = bo + p * bRow;
        if (bCol === 1) for (let j = 0; j < n; j++) row[j] += av * b[bBase + j];
        else for (let j = 0; j < n; j++) row[j] += av * b[bBase + j * bCol];
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j];
    }
  }
}
