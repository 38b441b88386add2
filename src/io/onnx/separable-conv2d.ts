// SeparableConv2D as two Conv nodes on NCHW tensors: the depthwise step (one group per input channel, as
// DepthwiseConv2D exports) and the 1x1 pointwise step with the bias, then the activation.
import type { SeparableConv2D } from '../../nn/layers/separable-conv2d.js';
import { emitActivation } from './activations.js';
import { permute, type GraphBuilder } from './graph.js';
import { windowPads } from './image-layers.js';
import { toNchw, type Value } from './layout.js';

/** depthwise_kernel [kh, kw, C, M] -> [C*M, 1, kh, kw] (group C); pointwise_kernel [1, 1, C*M, F] -> [F, C*M, 1, 1]. */
export function exportSeparableConv2D(g: GraphBuilder, layer: SeparableConv2D, x: Value): Value {
  const base = layer.name;
  const input = toNchw(g, x, base);
  const dk = layer.depthwiseKernel!;
  const [kh, kw, c, m] = dk.shape;
  const depthwiseKernel = permute(dk.values, dk.shape, [2, 3, 0, 1]);
  const depthwise = g.node('Conv', [input.name, g.floatTensor(`${base}/depthwise_kernel`, depthwiseKernel.values, [c * m, 1, kh, kw])], `${base}/depthwise`, {
    kernel_shape: [...layer.kernelSize],
    strides: [...layer.strides],
    dilations: [...layer.dilationRate],
    group: c,
    ...windowPads(x, layer.kernelSize, layer.strides, layer.dilationRate, layer.padding),
  });
  const pk = layer.pointwiseKernel!;
  const pointwiseKernel = permute(pk.values, pk.shape, [3, 2, 0, 1]);
  const inputs = [depthwise, g.floatTensor(`${base}/pointwise_kernel`, pointwiseKernel.values, pointwiseKernel.shape)];
  if (layer.bias) inputs.push(g.floatTensor(`${base}/bias`, layer.bias.values, layer.bias.shape));
  const y = g.node('Conv', inputs, `${base}/pointwise`, { kernel_shape: [1, 1] });
  return emitActivation(g, { name: y, shape: layer.computeOutputShape(x.shape), layout: 'nchw' }, layer.activation.name, base);
}
