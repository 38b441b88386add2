// The 2-D image layers as ONNX nodes on NCHW tensors: convolutions (plain, depthwise, transposed), pooling,
// global pooling, zero-padding and up-sampling. Kernels are transposed from Keras' layouts once, at export.
import { convAxis } from '../../ops/conv.js';
import type { Conv2DTranspose } from '../../nn/layers/conv2d-transpose.js';
import type { Conv2D } from '../../nn/layers/conv2d.js';
import type { DepthwiseConv2D } from '../../nn/layers/depthwise-conv2d.js';
import type { GlobalPooling2D } from '../../nn/layers/global-pooling2d.js';
import type { Pooling2D } from '../../nn/layers/pooling2d.js';
import type { UpSampling2D } from '../../nn/layers/up-sampling2d.js';
import type { ZeroPadding2D } from '../../nn/layers/zero-padding2d.js';
import { emitActivation } from './activations.js';
import { permute, type Attributes, type GraphBuilder } from './graph.js';
import { toNchw, type Value } from './layout.js';

/**
 * The padding attributes of a sliding window over `x` (NHWC shape): explicit `pads` [top, left, bottom,
 * right] by TensorFlow's 'same' rule (the odd extra cell at the bottom/right) when the image size is known,
 * else `auto_pad: 'SAME_UPPER'`, which is the same rule computed at run time.
 */
export function windowPads(
  x: Value,
  window: readonly [number, number],
  strides: readonly [number, number],
  dilation: readonly [number, number],
  padding: 'valid' | 'same',
): Attributes {
  if (padding === 'valid') return { pads: [0, 0, 0, 0] };
  const [h, w] = [x.shape[1], x.shape[2]];
  if (h === null || w === null) return { auto_pad: 'SAME_UPPER' };
  const rows = convAxis(h, window[0], strides[0], dilation[0], 'same');
  const cols = convAxis(w, window[1], strides[1], dilation[1], 'same');
  return { pads: [rows.before, cols.before, rows.after, cols.after] };
}

/** A Conv node (kernel already [out, in/group, kh, kw]) with bias and activation, NCHW in and out. */
function conv(
  g: GraphBuilder,
  x: Value,
  base: string,
  layer: Conv2D | DepthwiseConv2D,
  kernel: { values: Float32Array; shape: number[] },
  group: number,
): Value {
  const input = toNchw(g, x, base);
  const inputs = [input.name, g.floatTensor(`${base}/kernel`, kernel.values, kernel.shape)];
  if (layer.bias) inputs.push(g.floatTensor(`${base}/bias`, layer.bias.values, layer.bias.shape));
  const y = g.node('Conv', inputs, `${base}/conv`, {
    kernel_shape: [...layer.kernelSize],
    strides: [...layer.strides],
    dilations: [...layer.dilationRate],
    group,
    ...windowPads(x, layer.kernelSize, layer.strides, layer.dilationRate, layer.padding),
  });
  return emitActivation(g, { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nchw' }, layer.activation.name, base);
}

/** Conv2D: kernel [kh, kw, in, out] -> [out, in, kh, kw]. */
export function exportConv2D(g: GraphBuilder, layer: Conv2D, x: Value): Value {
  const k = layer.kernel!;
  return conv(g, x, layer.name, layer, permute(k.values, k.shape, [3, 2, 0, 1]), 1);
}

/**
 * DepthwiseConv2D as a grouped Conv with one group per input channel: kernel [kh, kw, C, M] ->
 * [C*M, 1, kh, kw], so output channel c*M + m reads input channel c, as in dendrite.
 */
export function exportDepthwiseConv2D(g: GraphBuilder, layer: DepthwiseConv2D, x: Value): Value {
  const k = layer.depthwiseKernel!;
  const [kh, kw, c, m] = k.shape;
  const t = permute(k.values, k.shape, [2, 3, 0, 1]);
  return conv(g, x, layer.name, layer, { values: t.values, shape: [c * m, 1, kh, kw] }, c);
}

/**
 * Conv2DTranspose as ConvTranspose: kernel [kh, kw, filters, in] -> [in, filters, kh, kw]. dendrite's
 * output is the input-gradient of a Conv2D over the output size, so the pads are that convolution's; when
 * the stride exceeds the kernel span the last `stride - span` rows only get the bias (`output_padding`).
 */
export function exportConv2DTranspose(g: GraphBuilder, layer: Conv2DTranspose, x: Value): Value {
  const base = layer.name;
  const k = layer.kernel!;
  const kernel = permute(k.values, k.shape, [3, 2, 0, 1]);
  const input = toNchw(g, x, base);
  const inputs = [input.name, g.floatTensor(`${base}/kernel`, kernel.values, kernel.shape)];
  if (layer.bias) inputs.push(g.floatTensor(`${base}/bias`, layer.bias.values, layer.bias.shape));
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  for (const i of [0, 1]) {
    const [kSize, s, d] = [layer.kernelSize[i], layer.strides[i], layer.dilationRate[i]];
    const span = (kSize - 1) * d + 1;
    // NOTE: ONNX's output is (in-1)*s + span - pads + output_padding, dendrite's in*s (+ max(span - s, 0) for
    // 'valid'); the difference does not depend on `in`, so this also holds for unknown image sizes.
    const total = span - s - (layer.padding === 'valid' ? Math.max(span - s, 0) : 0);
    const before = Math.floor(Math.max(total, 0) / 2);
    begin.push(before);
    end.push(Math.max(total, 0) - before);
    outputPadding.push(Math.max(-total, 0));
  }
  const y = g.node('ConvTranspose', inputs, `${base}/conv_transpose`, {
    kernel_shape: [...layer.kernelSize],
    strides: [...layer.strides],
    dilations: [...layer.dilationRate],
    pads: [...begin, ...end],
    output_padding: outputPadding.some((p) => p > 0) ? outputPadding : undefined,
  });
  return emitActivation(g, { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nchw' }, layer.activation.name, base);
}

/** MaxPooling2D / AveragePooling2D; 'same' average pooling divides by the real (unpadded) cells, as dendrite. */
export function exportPooling2D(g: GraphBuilder, layer: Pooling2D, x: Value): Value {
  const input = toNchw(g, x, layer.name);
  const max = layer.className === 'MaxPooling2D';
  const y = g.node(max ? 'MaxPool' : 'AveragePool', [input.name], `${layer.name}/${max ? 'max_pool' : 'average_pool'}`, {
    kernel_shape: [...layer.poolSize],
    strides: [...layer.strides],
    ...windowPads(x, layer.poolSize, layer.strides, [1, 1], layer.padding),
    count_include_pad: max ? undefined : 0,
  });
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nchw' };
}

/** GlobalAveragePooling2D / GlobalMaxPooling2D: [N, C, 1, 1], flattened to [N, C] unless keepDims. */
export function exportGlobalPooling2D(g: GraphBuilder, layer: GlobalPooling2D, x: Value): Value {
  const input = toNchw(g, x, layer.name);
  const avg = layer.className === 'GlobalAveragePooling2D';
  const pooled = g.node(avg ? 'GlobalAveragePool' : 'GlobalMaxPool', [input.name], `${layer.name}/${avg ? 'global_average_pool' : 'global_max_pool'}`);
  const shape = layer.computeOutputShape(x.shape);
  if (layer.keepDims) return { name: pooled, shape, layout: 'nchw' };
  return { name: g.node('Flatten', [pooled], `${layer.name}/flatten`, { axis: 1 }), shape, layout: 'nhwc' };
}

/** ZeroPadding2D as a constant Pad on the height and width axes, in whichever layout `x` is stored. */
export function exportZeroPadding2D(g: GraphBuilder, layer: ZeroPadding2D, x: Value): Value {
  const [[top, bottom], [left, right]] = layer.padding;
  const pads = x.layout === 'nchw' ? [0, 0, top, left, 0, 0, bottom, right] : [0, top, left, 0, 0, bottom, right, 0];
  const y = g.node('Pad', [x.name, g.int64Tensor(`${layer.name}/pads`, pads)], `${layer.name}/pad`, { mode: 'constant' });
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: x.layout };
}

/**
 * UpSampling2D as Resize by integer scales: nearest repeats each pixel (asymmetric coordinates, floor);
 * bilinear uses half-pixel centres, as TF 2 `tf.image.resize` and dendrite.
 */
export function exportUpSampling2D(g: GraphBuilder, layer: UpSampling2D, x: Value): Value {
  const input = toNchw(g, x, layer.name);
  const scales = g.floatTensor(`${layer.name}/scales`, new Float32Array([1, 1, ...layer.size]), [4]);
  const nearest = layer.interpolation === 'nearest';
  const y = g.node('Resize', [input.name, '', scales], `${layer.name}/resize`, {
    mode: nearest ? 'nearest' : 'linear',
    coordinate_transformation_mode: nearest ? 'asymmetric' : 'half_pixel',
    nearest_mode: nearest ? 'floor' : undefined,
  });
  return { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nchw' };
}
