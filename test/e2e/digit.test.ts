// The playground's MNIST-style preprocessing of a drawing (web/src/digit.ts), checked without a browser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SIDE, toMnist } from '../../web/src/digit.js';

/** A 280x280 drawing with a filled rectangle of ink. */
function rectangle(x0: number, y0: number, x1: number, y1: number, size = 280): Float32Array {
  const ink = new Float32Array(size * size);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * size + x] = 1;
  return ink;
}

function stats(img: Float32Array): { rows: number[]; cols: number[]; cx: number; cy: number; mass: number } {
  const rows: number[] = [];
  const cols: number[] = [];
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = img[y * SIDE + x];
      if (v > 0.01) {
        rows.push(y);
        cols.push(x);
      }
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  return { rows, cols, cx: cx / mass, cy: cy / mass, mass };
}

describe('toMnist', () => {
  test('an empty drawing gives no image', () => {
    assert.equal(toMnist(new Float32Array(280 * 280), 280, 280), null);
  });

  test('a tall stroke in a corner becomes 20 pixels tall, centred by mass in 28x28', () => {
    const img = toMnist(rectangle(10, 30, 32, 230), 280, 280)!;
    assert.equal(img.length, SIDE * SIDE);
    const s = stats(img);
    assert.equal(Math.max(...s.rows) - Math.min(...s.rows) + 1, 20, 'the longer side fills the 20-pixel box');
    assert.ok(Math.max(...s.cols) - Math.min(...s.cols) + 1 <= 4, 'the aspect ratio is kept');
    assert.ok(Math.abs(s.cx - 14) <= 0.5 && Math.abs(s.cy - 14) <= 0.5, `centre of mass at (${s.cx}, ${s.cy})`);
    assert.ok(img.every((v) => v >= 0 && v <= 1));
  });

  test('area averaging keeps the amount of ink in proportion', () => {
    // a 200x200 square of full ink scales to a 20x20 square of full ink: mass 400
    const s = stats(toMnist(rectangle(40, 40, 240, 240), 280, 280)!);
    assert.ok(Math.abs(s.mass - 400) < 1e-3, `mass ${s.mass}`);
  });
});
