import type { Backend, RecurrentActivation } from '../backend.js';

// The recurrent loops' gate arithmetic in plain loops, and the LSTM's loop over time (forward and backward) as the
// reference kernels `lstmForward` / `lstmBackward`: one GEMM of the state by the recurrent kernel per step (on the
// backend's own matmul, passed in), the gates computed in double through Math.exp. The native backend runs the
// same loop in C++; ops/recurrent.ts records it as one op.

type Matmul = Backend['matmul'];

/** The activations by number, for `activate` and `derivative` (a switch V8 inlines into the loops, unlike calls through a table). */
export const ACTIVATION_CODE: Record<RecurrentActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3, hardSigmoid: 4 };

/**
 * tanh through one exp, which V8 computes faster than Math.tanh (measured 12 against 18 ns); in double, its error
 * (about 1e-16 absolute) is far below float32's.
 */
function tanh(x: number): number {
  return 1 - 2 / (1 + Math.exp(2 * x));
}

/** The activation `code` at x. */
export function activate(code: number, x: number): number {
  switch (code) {
    case 2:
      return 1 / (1 + Math.exp(-x));
    case 3:
      return tanh(x);
    case 1:
      return x > 0 ? x : 0;
    case 4:
      // TF.js' (and Keras 2's) hard sigmoid, as nn/activations.ts
      return x <= -2.5 ? 0 : x >= 2.5 ? 1 : 0.2 * x + 0.5;
    default:
      return x;
  }
}

/** `out[o + j] = activation(z[zo + j] + x[xo + j])` for j < length (x may be absent); one loop per activation. */
export function activateBlock(
  code: number,
  z: Float32Array,
  zo: number,
  x: Float32Array | null,
  xo: number,
  out: Float32Array,
  oo: number,
  length: number,
): void {
  switch (code) {
    case 2:
      if (x) for (let j = 0; j < length; j++) out[oo + j] = 1 / (1 + Math.exp(-(z[zo + j] + x[xo + j])));
      else for (let j = 0; j < length; j++) out[oo + j] = 1 / (1 + Math.exp(-z[zo + j]));
      return;
    case 3:
      if (x) for (let j = 0; j < length; j++) out[oo + j] = tanh(z[zo + j] + x[xo + j]);
      else for (let j = 0; j < length; j++) out[oo + j] = tanh(z[zo + j]);
      return;
    default:
      for (let j = 0; j < length; j++) out[oo + j] = activate(code, x ? z[zo + j] + x[xo + j] : z[zo + j]);
  }
}

/** The derivative of activation `code` at the point whose output is y. */
export function derivative(code: number, y: number): number {
  switch (code) {
    case 2:
      return y * (1 - y);
    case 3:
      return 1 - y * y;
    case 1:
      return y > 0 ? 1 : 0;
    case 4:
      return y > 0 && y < 1 ? 0.2 : 0;
    default:
      return 1;
  }
}

/** `out = a . b` ([m, k] . [k, n]) on `matmul`. */
function gemm(matmul: Matmul, a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  matmul(a, b, out, { m, k, n, transposeA: false, transposeB: false, aOffsets: [0], bOffsets: [0] });
}

/** Whether sample n computes at time t (not padding). */
function keeps(mask: Float32Array | null, n: number, t: number, timesteps: number): boolean {
  return mask === null || mask[n * timesteps + t] !== 0;
}

/** The LSTM kernels of a backend whose GEMM is `matmul` (see Backend.lstmForward / lstmBackward). */
export function lstmKernels(matmul: Matmul): Pick<Backend, 'lstmForward' | 'lstmBackward'> {
  return {
    lstmForward(x, R, h0, c0, y, hIn, gates, cellOut, args) {
      const { batch: N, timesteps: T, units: u, mask, dropout } = args;
      const G = 4 * u;
      const a = ACTIVATION_CODE[args.activation];
      const ra = ACTIVATION_CODE[args.recurrentActivation];
      const z = new Float32Array(N * G);
      const hs = new Float32Array(N * u);
      for (let s = 0; s < T; s++) {
        const t = args.goBackwards ? T - 1 - s : s;
        const slot = args.kept === T ? s : 0;
        // hIn's rows of this step: (n, t), or n alone when one slot is kept
        const hInAt = (n: number) => (args.kept === T ? (n * T + t) * u : n * u);
        // where the states before step s are: the initial ones, or the output of step s - 1
        const hv = s === 0 ? h0 : y;
        const cv = s === 0 ? c0 : y;
        const hAt = (n: number) => (s === 0 ? n * u : (n * T + s - 1) * 2 * u);
        const cAt = (n: number) => (s === 0 ? n * u : (n * T + s - 1) * 2 * u + u);
        for (let n = 0; n < N; n++) {
          const from = hAt(n);
          for (let k = 0; k < u; k++) hs[n * u + k] = dropout ? hv[from + k] * dropout[n * u + k] : hv[from + k];
          hIn.set(hs.subarray(n * u, (n + 1) * u), hInAt(n));
        }
        gemm(matmul, hs, R, z, N, u, G);
        for (let n = 0; n < N; n++) {
          const xo = (n * T + t) * G;
          const go = (slot * N + n) * G;
          const yo = (n * T + s) * 2 * u;
          const ho = hAt(n);
          const co = cAt(n);
          // the gates i, f (recurrent activation), c (activation), o (recurrent activation)
          activateBlock(ra, z, n * G, x, xo, gates, go, 2 * u);
          activateBlock(a, z, n * G + 2 * u, x, xo + 2 * u, gates, go + 2 * u, u);
          activateBlock(ra, z, n * G + 3 * u, x, xo + 3 * u, gates, go + 3 * u, u);
          if (keeps(mask, n, t, T)) {
            for (let k = 0; k < u; k++) y[yo + u + k] = gates[go + u + k] * cv[co + k] + gates[go + k] * gates[go + 2 * u + k];
            const to = (slot * N + n) * u;
            activateBlock(a, y, yo + u, null, 0, cellOut, to, u);
            for (let k = 0; k < u; k++) y[yo + k] = gates[go + 3 * u + k] * cellOut[to + k];
          } else {
            for (let k = 0; k < u; k++) {
              y[yo + k] = hv[ho + k];
              y[yo + u + k] = cv[co + k];
            }
          }
        }
      }
    },

    lstmBackward(dY, R, c0, y, gates, cellOut, dz, dh, dc, args) {
      const { batch: N, timesteps: T, units: u, mask, dropout } = args;
      const G = 4 * u;
      const a = ACTIVATION_CODE[args.activation];
      const ra = ACTIVATION_CODE[args.recurrentActivation];
      const dhIn = new Float32Array(N * u);
      // the step's rows of dz
      const dzs = new Float32Array(N * G);
      // R^T [4u, u]: a GEMM with its operand transposed beforehand runs faster
      const RT = new Float32Array(G * u);
      for (let k = 0; k < u; k++) for (let j = 0; j < G; j++) RT[j * u + k] = R[k * G + j];
      for (let s = T - 1; s >= 0; s--) {
        const t = args.goBackwards ? T - 1 - s : s;
        const cv = s === 0 ? c0 : y;
        dzs.fill(0);
        for (let n = 0; n < N; n++) {
          const yo = (n * T + s) * 2 * u;
          const go = (s * N + n) * G;
          const zo = n * G;
          const co = s === 0 ? n * u : (n * T + s - 1) * 2 * u + u;
          const keep = keeps(mask, n, t, T);
          for (let k = 0; k < u; k++) {
            const gh = dh[n * u + k] + dY[yo + k];
            const gc = dc[n * u + k] + dY[yo + u + k];
            if (!keep) {
              // a padded step passed the states on: so does their gradient
              dh[n * u + k] = gh;
              dc[n * u + k] = gc;
              continue;
            }
            const i = gates[go + k];
            const f = gates[go + u + k];
            const g = gates[go + 2 * u + k];
            const og = gates[go + 3 * u + k];
            const tc = cellOut[(s * N + n) * u + k];
            const dct = gc + gh * og * derivative(a, tc);
            dzs[zo + k] = dct * g * derivative(ra, i);
            dzs[zo + u + k] = dct * cv[co + k] * derivative(ra, f);
            dzs[zo + 2 * u + k] = dct * i * derivative(a, g);
            dzs[zo + 3 * u + k] = gh * tc * derivative(ra, og);
            dc[n * u + k] = dct * f;
            dh[n * u + k] = 0;
          }
        }
        for (let n = 0; n < N; n++) dz.set(dzs.subarray(n * G, (n + 1) * G), (n * T + t) * G);
        gemm(matmul, dzs, RT, dhIn, N, G, u);
        for (let j = 0; j < N * u; j++) dh[j] += dropout ? dhIn[j] * dropout[j] : dhIn[j];
      }
    },
  };
}

/** Columns [from, from + count) of a [rows, cols] matrix, as a [rows, count] one. */
function columns(m: Float32Array, rows: number, cols: number, from: number, count: number): Float32Array {
  const out = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(m.subarray(r * cols + from, r * cols + from + count), r * count);
  return out;
}

/** The [cols, rows] transpose of a [rows, cols] matrix. */
function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/** The GRU kernels of a backend whose GEMM is `matmul` (see Backend.gruForward / gruBackward). */
export function gruKernels(matmul: Matmul): Pick<Backend, 'gruForward' | 'gruBackward'> {
  return {
    gruForward(x, R, rb, h0, y, hIn, gates, extra, args) {
      const { batch: N, timesteps: T, units: u, mask, dropout, resetAfter } = args;
      const G = 3 * u;
      const a = ACTIVATION_CODE[args.activation];
      const ra = ACTIVATION_CODE[args.recurrentActivation];
      // without resetAfter the update / reset gates and the candidate take separate products: their kernels apart
      const Rzr = resetAfter ? R : columns(R, u, G, 0, 2 * u);
      const Rh = resetAfter ? R : columns(R, u, G, 2 * u, u);
      const rec = new Float32Array(N * G);
      const q = new Float32Array(N * u);
      for (let s = 0; s < T; s++) {
        const t = args.goBackwards ? T - 1 - s : s;
        const slot = args.kept === T ? s : 0;
        const hv = s === 0 ? h0 : y;
        const hAt = (n: number) => (s === 0 ? n * u : (n * T + s - 1) * u);
        const hs = hIn.subarray(slot * N * u, (slot + 1) * N * u);
        const es = extra.subarray(slot * N * u, (slot + 1) * N * u);
        for (let n = 0; n < N; n++) {
          const from = hAt(n);
          for (let k = 0; k < u; k++) hs[n * u + k] = dropout ? hv[from + k] * dropout[n * u + k] : hv[from + k];
        }
        const recWidth = resetAfter ? G : 2 * u;
        gemm(matmul, hs, Rzr, rec, N, u, recWidth);
        for (let n = 0; n < N; n++) {
          const ro = n * recWidth;
          if (rb) for (let j = 0; j < G; j++) rec[ro + j] += rb[j];
          const xo = (n * T + t) * G;
          const go = (slot * N + n) * G;
          activateBlock(ra, rec, ro, x, xo, gates, go, 2 * u);
          if (resetAfter) for (let k = 0; k < u; k++) es[n * u + k] = rec[ro + 2 * u + k];
          else for (let k = 0; k < u; k++) es[n * u + k] = gates[go + u + k] * hs[n * u + k];
        }
        if (!resetAfter) gemm(matmul, es, Rh, q, N, u, u);
        for (let n = 0; n < N; n++) {
          const xo = (n * T + t) * G;
          const go = (slot * N + n) * G;
          const yo = (n * T + s) * u;
          const ho = hAt(n);
          for (let k = 0; k < u; k++) {
            const recurrentTerm = resetAfter ? gates[go + u + k] * es[n * u + k] : q[n * u + k];
            gates[go + 2 * u + k] = x[xo + 2 * u + k] + recurrentTerm;
          }
          activateBlock(a, gates, go + 2 * u, null, 0, gates, go + 2 * u, u);
          if (keeps(mask, n, t, T)) {
            for (let k = 0; k < u; k++) {
              const z = gates[go + k];
              y[yo + k] = z * hv[ho + k] + (1 - z) * gates[go + 2 * u + k];
            }
          } else {
            for (let k = 0; k < u; k++) y[yo + k] = hv[ho + k];
          }
        }
      }
    },

    gruBackward(dY, R, h0, y, gates, hIn, extra, dx, dRec, dCand, dh, args) {
      const { batch: N, timesteps: T, units: u, mask, dropout, resetAfter } = args;
      const G = 3 * u;
      const a = ACTIVATION_CODE[args.activation];
      const ra = ACTIVATION_CODE[args.recurrentActivation];
      const RT = resetAfter ? transposed(R, u, G) : transposed(columns(R, u, G, 0, 2 * u), u, 2 * u);
      const RhT = resetAfter ? RT : transposed(columns(R, u, G, 2 * u, u), u, u);
      const tmp = new Float32Array(N * u);
      const drh = new Float32Array(N * u);
      const recWidth = resetAfter ? G : 2 * u;
      for (let s = T - 1; s >= 0; s--) {
        const t = args.goBackwards ? T - 1 - s : s;
        const hv = s === 0 ? h0 : y;
        for (let n = 0; n < N; n++) {
          const go = (s * N + n) * G;
          const ro = (s * N + n) * recWidth;
          const yo = (n * T + s) * u;
          const ho = s === 0 ? n * u : (n * T + s - 1) * u;
          const keep = keeps(mask, n, t, T);
          for (let k = 0; k < u; k++) {
            const gh = dh[n * u + k] + dY[yo + k];
            if (!keep) {
              dh[n * u + k] = gh;
              continue;
            }
            const z = gates[go + k];
            const hh = gates[go + 2 * u + k];
            const dz = gh * (hv[ho + k] - hh) * derivative(ra, z);
            const dah = gh * (1 - z) * derivative(a, hh);
            dx[go + k] = dz;
            dx[go + 2 * u + k] = dah;
            dRec[ro + k] = dz;
            if (resetAfter) {
              const r = gates[go + u + k];
              const dr = dah * extra[(s * N + n) * u + k] * derivative(ra, r);
              dx[go + u + k] = dr;
              dRec[ro + u + k] = dr;
              dRec[ro + 2 * u + k] = dah * r;
            } else {
              dCand[(s * N + n) * u + k] = dah;
            }
            dh[n * u + k] = gh * z;
          }
        }
        if (!resetAfter) {
          // the reset gate's gradient needs the candidate product's: d(r * h) = dah . Rh^T
          gemm(matmul, dCand.subarray(s * N * u, (s + 1) * N * u), RhT, drh, N, u, u);
          for (let n = 0; n < N; n++) {
            if (!keeps(mask, n, t, T)) continue;
            const go = (s * N + n) * G;
            const ro = (s * N + n) * recWidth;
            for (let k = 0; k < u; k++) {
              const r = gates[go + u + k];
              const dr = drh[n * u + k] * hIn[(s * N + n) * u + k] * derivative(ra, r);
              dx[go + u + k] = dr;
              dRec[ro + u + k] = dr;
              drh[n * u + k] *= r;
            }
          }
        }
        gemm(matmul, dRec.subarray(s * N * recWidth, (s + 1) * N * recWidth), RT, tmp, N, recWidth, u);
        // padded rows: dRec and drh are zero there, so their gradient passes on unchanged
        for (let n = 0; n < N; n++) {
          if (!keeps(mask, n, t, T)) continue;
          for (let k = 0; k < u; k++) {
            const j = n * u + k;
            const g = resetAfter ? tmp[j] : tmp[j] + drh[j];
            dh[j] += dropout ? g * dropout[j] : g;
          }
        }
      }
    },
  };
}

/** The SimpleRNN kernels of a backend whose GEMM is `matmul` (see Backend.simpleRnnForward / simpleRnnBackward). */
export function simpleRnnKernels(matmul: Matmul): Pick<Backend, 'simpleRnnForward' | 'simpleRnnBackward'> {
  return {
    simpleRnnForward(x, R, h0, y, hIn, args) {
      const { batch: N, timesteps: T, units: u, mask, dropout } = args;
      const a = ACTIVATION_CODE[args.activation];
      const q = new Float32Array(N * u);
      for (let s = 0; s < T; s++) {
        const t = args.goBackwards ? T - 1 - s : s;
        const slot = args.kept === T ? s : 0;
        const hv = s === 0 ? h0 : y;
        const hAt = (n: number) => (s === 0 ? n * u : (n * T + s - 1) * u);
        const hs = hIn.subarray(slot * N * u, (slot + 1) * N * u);
        for (let n = 0; n < N; n++) {
          const from = hAt(n);
          for (let k = 0; k < u; k++) hs[n * u + k] = dropout ? hv[from + k] * dropout[n * u + k] : hv[from + k];
        }
        gemm(matmul, hs, R, q, N, u, u);
        for (let n = 0; n < N; n++) {
          const yo = (n * T + s) * u;
          if (keeps(mask, n, t, T)) activateBlock(a, q, n * u, x, (n * T + t) * u, y, yo, u);
          else y.set(hv.subarray(hAt(n), hAt(n) + u), yo);
        }
      }
    },

    simpleRnnBackward(dY, R, y, dA, dh, args) {
      const { batch: N, timesteps: T, units: u, mask, dropout } = args;
      const a = ACTIVATION_CODE[args.activation];
      const RT = transposed(R, u, u);
      const tmp = new Float32Array(N * u);
      for (let s = T - 1; s >= 0; s--) {
        const t = args.goBackwards ? T - 1 - s : s;
        for (let n = 0; n < N; n++) {
          const yo = (n * T + s) * u;
          const keep = keeps(mask, n, t, T);
          for (let k = 0; k < u; k++) {
            const gh = dh[n * u + k] + dY[yo + k];
            if (keep) {
              dA[(s * N + n) * u + k] = gh * derivative(a, y[yo + k]);
              dh[n * u + k] = 0;
            } else {
              dh[n * u + k] = gh;
            }
          }
        }
        gemm(matmul, dA.subarray(s * N * u, (s + 1) * N * u), RT, tmp, N, u, u);
        for (let j = 0; j < N * u; j++) dh[j] += dropout ? tmp[j] * dropout[j] : tmp[j];
      }
    },
  };
}
