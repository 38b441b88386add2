import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFans, getInitializer, initializers, serializeInitializer, type Initializer, type InitializerName } from '../../src/nn/initializers.js';
import { setSeed } from '../../src/tensor/rng.js';

function moments(v: Float32Array): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    s += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length), min, max };
}

/** Asserts |a - b| <= tol * |b|. */
function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.abs(expected), `${what}: got ${actual}, expected ${expected} within ${tol * 100}%`);
}

describe('computeFans (Keras compute_fans)', () => {
  test('dense, conv, vector and scalar shapes', () => {
    assert.deepEqual(computeFans([784, 128]), { fanIn: 784, fanOut: 128 });
    assert.deepEqual(computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
    assert.deepEqual(computeFans([5, 8, 4]), { fanIn: 40, fanOut: 20 });
    assert.deepEqual(computeFans([7]), { fanIn: 7, fanOut: 7 });
    assert.deepEqual(computeFans([]), { fanIn: 1, fanOut: 1 });
  });
});

describe('constant initializers', () => {
  test('zeros, ones and constant fill the shape', () => {
    assert.deepEqual([...initializers.zeros().generate([2, 3])], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...initializers.ones().generate([4])], [1, 1, 1, 1]);
    assert.deepEqual([...initializers.constant({ value: 0.5 }).generate([3])], [0.5, 0.5, 0.5]);
    assert.deepEqual([...initializers.constant().generate([2])], [0, 0]);
    assert.equal(initializers.zeros().generate([]).length, 1);
  });

  test('bad shapes are reported', () => {
    assert.throws(() => initializers.ones().generate([2, -1]), /Ones: .*non-negative integer.*\[2, -1\]/);
    assert.throws(() => initializers.zeros().generate([1.5]), /\[1\.5\]/);
  });
});

describe('random initializers', () => {
  test('randomNormal defaults to mean 0, stddev 0.05', () => {
    setSeed(1);
    const m = moments(initializers.randomNormal().generate([200, 500]));
    assert.ok(Math.abs(m.mean) < 1e-3, `mean ${m.mean}`);
    near(m.std, 0.05, 0.02, 'std');
    const shifted = moments(initializers.randomNormal({ mean: 3, stddev: 2 }).generate([100000]));
    near(shifted.mean, 3, 0.01, 'mean');
    near(shifted.std, 2, 0.02, 'std');
  });

  test('randomUniform defaults to [-0.05, 0.05)', () => {
    setSeed(2);
    const m = moments(initializers.randomUniform().generate([100000]));
    assert.ok(m.min >= -0.05 && m.max < 0.05, `range [${m.min}, ${m.max}]`);
    assert.ok(m.min < -0.049 && m.max > 0.049, 'fills the range');
    near(m.std, 0.1 / Math.sqrt(12), 0.02, 'std');
    const r = moments(initializers.randomUniform({ minval: 2, maxval: 3 }).generate([10000]));
    assert.ok(r.min >= 2 && r.max < 3);
  });

  test('truncatedNormal redraws beyond 2 stddev', () => {
    setSeed(3);
    const m = moments(initializers.truncatedNormal({ mean: 1, stddev: 0.5 }).generate([100000]));
    assert.ok(m.min >= 0 && m.max <= 2, `range [${m.min}, ${m.max}]`);
    assert.ok(m.min < 0.02 && m.max > 1.98, 'reaches the cut');
    near(m.mean, 1, 0.01, 'mean');
    // a unit normal cut at ±2 has standard deviation 0.8796
    near(m.std, 0.5 * 0.87962566103423978, 0.02, 'std');
  });

  test('invalid arguments throw', () => {
    assert.throws(() => initializers.randomUniform({ minval: 1, maxval: 0 }), /maxval \(0\) must be >= minval \(1\)/);
    assert.throws(() => initializers.randomNormal({ stddev: -1 }), /stddev must be >= 0/);
    assert.throws(() => initializers.truncatedNormal({ mean: NaN }), /mean must be a finite number/);
    assert.throws(() => initializers.constant({ value: Infinity }), /value must be a finite number/);
    assert.throws(() => initializers.varianceScaling({ scale: 0 }), /scale must be positive/);
    assert.throws(() => initializers.varianceScaling({ mode: 'fan_in' as never }), /Unknown mode 'fan_in' — did you mean 'fanIn'\?/);
    assert.throws(() => initializers.varianceScaling({ distribution: 'normal' as never }), /Unknown distribution 'normal'.*'truncatedNormal'/);
  });
});

describe('variance-scaling initializers (Keras formulas)', () => {
  const fanIn = 400;
  const fanOut = 250;
  const shape = [fanIn, fanOut];

  test('glorotUniform: uniform within sqrt(6 / (fanIn + fanOut))', () => {
    setSeed(10);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const m = moments(initializers.glorotUniform().generate(shape));
    assert.ok(m.min >= -limit && m.max <= limit, `range [${m.min}, ${m.max}] vs ±${limit}`);
    assert.ok(m.max > 0.99 * limit && m.min < -0.99 * limit, 'fills the range');
    assert.ok(Math.abs(m.mean) < 1e-3);
    near(m.std ** 2, 2 / (fanIn + fanOut), 0.02, 'variance');
  });

  test('glorotNormal: truncated normal with variance 2 / (fanIn + fanOut)', () => {
    setSeed(11);
    const std = Math.sqrt(2 / (fanIn + fanOut));
    const m = moments(initializers.glorotNormal().generate(shape));
    near(m.std, std, 0.02, 'std');
    const cut = (2 * std) / 0.87962566103423978;
    assert.ok(m.max <= cut * (1 + 1e-6) && m.min >= -cut * (1 + 1e-6), `truncated at ±${cut}: [${m.min}, ${m.max}]`);
    assert.ok(m.max > 0.98 * cut, 'reaches the cut');
  });

  test('heNormal: truncated normal with stddev sqrt(2 / fanIn)', () => {
    setSeed(12);
    const m = moments(initializers.heNormal().generate(shape));
    near(m.std, Math.sqrt(2 / fanIn), 0.02, 'std');
    const cut = (2 * Math.sqrt(2 / fanIn)) / 0.87962566103423978;
    assert.ok(Math.max(m.max, -m.min) <= cut * (1 + 1e-6), 'truncated');
  });

  test('heUniform, lecunUniform: limits sqrt(6 / fanIn), sqrt(3 / fanIn)', () => {
    setSeed(13);
    const he = moments(initializers.heUniform().generate(shape));
    const heLimit = Math.sqrt(6 / fanIn);
    assert.ok(he.min >= -heLimit && he.max <= heLimit && he.max > 0.99 * heLimit);
    near(he.std, heLimit / Math.sqrt(3), 0.02, 'he std');
    const lecun = moments(initializers.lecunUniform().generate(shape));
    const lecunLimit = Math.sqrt(3 / fanIn);
    assert.ok(lecun.min >= -lecunLimit && lecun.max <= lecunLimit && lecun.max > 0.99 * lecunLimit);
  });

  test('lecunNormal: stddev sqrt(1 / fanIn)', () => {
    setSeed(14);
    near(moments(initializers.lecunNormal().generate(shape)).std, Math.sqrt(1 / fanIn), 0.02, 'std');
  });

  test('conv kernels count the receptive field in the fans', () => {
    setSeed(15);
    // [3, 3, 32, 64]: fanIn = 9 * 32 = 288
    const m = moments(initializers.heNormal().generate([3, 3, 32, 64]));
    near(m.std, Math.sqrt(2 / 288), 0.03, 'std');
    const g = moments(initializers.glorotUniform().generate([3, 3, 32, 64]));
    const limit = Math.sqrt(6 / (288 + 576));
    assert.ok(g.max <= limit && g.max > 0.99 * limit);
  });

  test('varianceScaling with an untruncated normal', () => {
    setSeed(16);
    const m = moments(initializers.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'untruncatedNormal' }).generate(shape));
    near(m.std, Math.sqrt(3 / fanOut), 0.02, 'std');
    assert.ok(m.max > 2.5 * Math.sqrt(3 / fanOut), 'not truncated');
  });
});

describe('orthogonal', () => {
  /** The Gram matrix of the rows (or the columns) of a [rows, cols] matrix. */
  function gram(w: Float32Array, rows: number, cols: number, ofRows: boolean): number[][] {
    const n = ofRows ? rows : cols;
    const len = ofRows ? cols : rows;
    const at = (i: number, k: number) => (ofRows ? w[i * cols + k] : w[k * cols + i]);
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
        return s;
      }),
    );
  }

  test('a wide kernel [units, 4 units] has orthonormal rows, a tall one orthonormal columns, times gain', () => {
    setSeed(3);
    for (const [rows, cols, gain] of [
      [5, 20, 1],
      [12, 4, 2],
      [6, 6, 0.5],
    ]) {
      const w = initializers.orthogonal({ gain }).generate([rows, cols]);
      const g = gram(w, rows, cols, rows <= cols);
      g.forEach((row, i) => {
        row.forEach((v, j) => {
          assert.ok(Math.abs(v - (i === j ? gain * gain : 0)) < 1e-5, `[${rows}, ${cols}] gram ${i},${j}: ${v}`);
        });
      });
    }
    // rank > 2 flattens all axes but the last into rows
    const w = initializers.orthogonal().generate([2, 3, 4]);
    gram(w, 6, 4, false).forEach((row, i) => {
      row.forEach((v, j) => {
        assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-5, `rank 3 gram ${i},${j}: ${v}`);
      });
    });
    assert.throws(() => initializers.orthogonal().generate([4]), /Orthogonal: needs a weight of rank >= 2, got shape \[4\]/);
    assert.deepEqual(serializeInitializer(initializers.orthogonal({ gain: 2 })), { className: 'Orthogonal', config: { gain: 2 } });
  });
});

describe('reproducibility', () => {
  test('setSeed reproduces every random initializer', () => {
    const names: InitializerName[] = [
      'randomNormal',
      'randomUniform',
      'truncatedNormal',
      'glorotUniform',
      'glorotNormal',
      'heNormal',
      'heUniform',
      'lecunNormal',
      'lecunUniform',
      'orthogonal',
    ];
    for (const name of names) {
      setSeed(123);
      const a = getInitializer(name).generate([20, 30]);
      setSeed(123);
      const b = getInitializer(name).generate([20, 30]);
      setSeed(124);
      const c = getInitializer(name).generate([20, 30]);
      assert.deepEqual([...a], [...b], name);
      assert.notDeepEqual([...a], [...c], name);
    }
  });
});

describe('getInitializer', () => {
  test('resolves names to the right class', () => {
    const expected: Record<InitializerName, string> = {
      zeros: 'Zeros',
      ones: 'Ones',
      constant: 'Constant',
      randomNormal: 'RandomNormal',
      randomUniform: 'RandomUniform',
      truncatedNormal: 'TruncatedNormal',
      glorotUniform: 'GlorotUniform',
      glorotNormal: 'GlorotNormal',
      heNormal: 'HeNormal',
      heUniform: 'HeUniform',
      lecunNormal: 'LecunNormal',
      lecunUniform: 'LecunUniform',
      orthogonal: 'Orthogonal',
    };
    for (const [name, className] of Object.entries(expected)) assert.equal(getInitializer(name as InitializerName).className, className);
  });

  test('accepts Keras snake_case and class names', () => {
    assert.equal(getInitializer('glorot_uniform' as InitializerName).className, 'GlorotUniform');
    assert.equal(getInitializer('HeNormal' as InitializerName).className, 'HeNormal');
    assert.equal(getInitializer('random_normal' as InitializerName).className, 'RandomNormal');
  });

  test('passes objects through', () => {
    const custom: Initializer = { className: 'Custom', generate: (s) => new Float32Array(s.reduce((a, b) => a * b, 1)).fill(7), getConfig: () => ({}) };
    assert.equal(getInitializer(custom), custom);
  });

  test('an unknown name suggests the closest and lists the valid names', () => {
    assert.throws(
      () => getInitializer('glorotUnifrom' as InitializerName),
      (e: Error) => {
        assert.match(e.message, /Unknown initializer 'glorotUnifrom' — did you mean 'glorotUniform'\?/);
        assert.match(e.message, /'heNormal'/);
        return true;
      },
    );
    assert.throws(() => getInitializer('xavier' as InitializerName), /Unknown initializer 'xavier'\. Valid initializers: 'zeros'/);
    assert.throws(() => getInitializer(42 as never), /must be a name or an Initializer/);
  });

  test('configs use Keras argument names', () => {
    assert.deepEqual(serializeInitializer(initializers.randomNormal({ stddev: 0.1 })), { className: 'RandomNormal', config: { mean: 0, stddev: 0.1 } });
    assert.deepEqual(serializeInitializer(initializers.glorotUniform()), {
      className: 'GlorotUniform',
      config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
    });
    assert.deepEqual(initializers.heNormal().getConfig(), { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' });
    assert.deepEqual(initializers.randomUniform().getConfig(), { minval: -0.05, maxval: 0.05 });
    assert.deepEqual(initializers.constant({ value: 2 }).getConfig(), { value: 2 });
    assert.deepEqual(initializers.zeros().getConfig(), {});
  });
});
