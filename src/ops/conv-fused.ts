// Conv2D's forward in one pass: the convolution, its bias and activation, and (in inference) a max pool after it.
// A fast backend finishes each block of convolved pixels while it is in cache, instead of a pass over the whole
// output per step; the conv -> pool pair never writes the full-size convolved image at all.
import { isGradEnabled } from '../autograd/mode.js';
import type { Conv2DInfo, FusedActivation, Pool2DInfo } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dGeometry, type Conv2DOptions } from './conv.js';
import { activationGrad } from './fused.js';
import { allocate, record } from './op.js';
import { maxPool2d, poolInfo, type Pool2DOptions } from './pool.js';

function checkBias(fn: string, bias: Tensor | null, info: Conv2DInfo): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== info.outC)) {
    throw new Error(`${fn}(): bias of shape ${formatShape(bias.shape)} does not match the kernel's ${info.outC} output channels.`);
  }
}

/**
 * `activation(conv2d(x, kernel) + bias)` in one pass (Conv2D's forward). Equal to
 * `biasActivation(conv2d(x, kernel), bias, activation)`, gradient included.
 *
 *     conv2dBiasActivation(images, kernel, bias, 'relu');  // [N, 28, 28, 1] * [3, 3, 1, 32] -> [N, 26, 26, 32]
 */
export function conv2dBiasActivation(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation, options: Conv2DOptions = {}): Tensor {
  const fn = 'conv2dBiasActivation';
  const { x4, unbatch, info } = conv2dGeometry(fn, x, kernel, options);
  checkBias(fn, bias, info);
  const out = allocate([info.batch, info.outH, info.outW, info.outC], false);
  backend().conv2dFused(x4.values, kernel.values, bias ? bias.values : null, activation, out.values, info, null, null);
  const inputs = bias ? [x4, kernel, bias] : [x4, kernel];
  const y = record(out, `conv2dBiasActivation(${activation})`, inputs, (dy, needs) => {
    // NOTE: every fusable activation's derivative is a function of its output, so `out` is all it keeps
    const dz = activation === 'linear' ? dy : activationGrad(out, dy, activation);
    return [
      needs[0] ? conv2dBackpropInput(dz, kernel, info) : null,
      needs[1] ? conv2dBackpropFilter(x4, dz, info) : null,
      bias && needs[2] ? sumToShape(dz, bias.shape) : null,
    ];
  });
  return unbatch(y);
}

/** True when the windows of `pool` tile the image (a max pool the backends can fuse after a convolution). */
function poolTiles(pool: Pool2DInfo): boolean {
  return pool.strideH === pool.poolH && pool.strideW === pool.poolW && pool.padTop === 0 && pool.padLeft === 0 && pool.outH >= 1 && pool.outW >= 1;
}

/**
 * `maxPool2d(conv2dBiasActivation(x, kernel, bias, activation, convOptions), poolOptions)` in one pass when the pool's
 * windows tile the convolved image (strides equal to the pool size, `'valid'`): without a gradient to record the
 * full-size convolved image is never written; with one it is kept for the backward pass, which routes the pool's
 * gradient and applies the activation's derivative in one pass (maxPoolActivationBackward). The values, gradients
 * included, are those of the two ops one after the other, which run instead for other pools.
 *
 *     conv2dMaxPool(h, kernel, bias, 'relu', {}, { poolSize: 2 });  // [N, 26, 26, 32] * [3, 3, 32, 64] -> [N, 12, 12, 64]
 */
export function conv2dMaxPool(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  activation: FusedActivation,
  convOptions: Conv2DOptions,
  poolOptions: Pool2DOptions,
): Tensor {
  const fn = 'conv2dMaxPool';
  const { x4, unbatch, info } = conv2dGeometry(fn, x, kernel, convOptions);
  checkBias(fn, bias, info);
  const convShape = [info.batch, info.outH, info.outW, info.outC];
  const pool = poolInfo(fn, convShape, poolOptions);
  if (!poolTiles(pool)) return maxPool2d(conv2dBiasActivation(x, kernel, bias, activation, convOptions), poolOptions);
  const inputs = bias ? [x4, kernel, bias] : [x4, kernel];
  const recorded = isGradEnabled() && inputs.some((t) => t.requiresGrad);
  const out = allocate([pool.batch, pool.outH, pool.outW, pool.channels], false);
  const y = recorded ? allocate(convShape, false) : null;
  backend().conv2dFused(x4.values, kernel.values, bias ? bias.values : null, activation, out.values, info, pool, y ? y.values : null);
  if (!y) return unbatch(out);
  const pooled = record(out, `conv2dMaxPool(${activation})`, inputs, (dy, needs) => {
    const dz = allocate(convShape, false);
    // the bias's gradient summed in the same pass, image by image while in cache
    const db = bias && needs[2] ? allocate(bias.shape, false) : null;
    backend().maxPoolActivationBackward(y.values, dy.values, activation, dz.values, db ? db.values : null, pool);
    return [needs[0] ? conv2dBackpropInput(dz, kernel, info) : null, needs[1] ? conv2dBackpropFilter(x4, dz, info) : null, db];
  });
  return unbatch(pooled);
}
