// The CNN's insides, drawn without rebuilding the page per prediction: the filters (kernels) of each
// convolutional layer as small images, and the activations of every layer (convolution, pooling, flatten,
// dense). Canvases are made once per model and only their pixels are written on each prediction, so drawing a
// digit stays at the display's frame rate.
import type * as dd from 'dendrite';
import { addCard } from '../card.js';
import { diverging } from '../draw/colors.js';

export interface LayerOutput {
  layer: dd.Layer;
  out: dd.Tensor;
}

interface Plane {
  ctx: CanvasRenderingContext2D;
  image: ImageData;
}

interface Block {
  layer: string;
  /** One plane per channel ([1, h, w, c] outputs), or a single 1-row strip ([1, n] outputs). */
  planes: Plane[];
}

const WHAT: Record<string, string> = {
  Conv2D: 'feature maps, after ReLU',
  MaxPooling2D: 'the strongest value of each 2×2 block: half the size, same maps',
  AveragePooling2D: 'the mean of each 2×2 block',
  Flatten: "the maps laid out as one vector, the Dense layer's inputs",
  Dense: 'one value per neuron',
};

function describe(layer: dd.Layer, shape: readonly number[]): string {
  const what = WHAT[layer.className] ?? layer.className;
  if (shape.length === 4) return `${shape[3]} maps of ${shape[1]}×${shape[2]}: ${what} (deeper blue = stronger)`;
  const n = shape[shape.length - 1];
  return layer.className === 'Dense' && n === 10 ? `10 values, the digits 0 to 9: ${what} (its softmax probabilities)` : `${n} values: ${what}`;
}

/**
 * Activation views in `box`, one block per layer. `show` builds the canvases only when the layers or their
 * shapes change; otherwise it writes pixels into the canvases it has.
 */
export function activationView(
  box: HTMLElement,
  title: (layer: dd.Layer, shape: readonly number[]) => string = (l, s) => describe(l, s),
  /** Shown instead while there is no digit. */
  empty: HTMLElement | null = null,
) {
  let key = '';
  let blocks: Block[] = [];

  function build(outputs: LayerOutput[]): void {
    blocks = outputs.map(({ layer, out }) => {
      const block = document.createElement('div');
      block.dataset.layer = layer.name;
      block.className = 'layer-block';
      const h3 = document.createElement('h3');
      h3.innerHTML = `${layer.name} <span></span>`;
      h3.querySelector('span')!.textContent = title(layer, out.shape);
      const grid = document.createElement('div');
      const image = out.shape.length === 4;
      grid.className = image ? 'map-grid' : 'strip-box';
      const [h, w, count] = image ? [out.shape[1], out.shape[2], out.shape[3]] : [1, out.size, 1];
      const planes = Array.from({ length: count }, (_, k) => {
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        if (!image) canvas.className = 'vector-strip';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', image ? `${layer.name} map ${k + 1}` : `${layer.name}: ${w} values`);
        grid.append(canvas);
        const ctx = canvas.getContext('2d')!;
        return { ctx, image: ctx.createImageData(w, h) };
      });
      block.append(h3, grid);
      box.append(block);
      return { layer: layer.name, planes };
    });
  }

  return {
    show(outputs: LayerOutput[]): void {
      const next = outputs.map((o) => `${o.layer.name}:${o.out.shape.join('x')}`).join('|');
      if (next !== key) {
        box.replaceChildren();
        build(outputs);
        key = next;
      }
      outputs.forEach(({ out }, b) => {
        const values = out.dataSync();
        let max = 1e-6;
        for (const v of values) max = Math.max(max, v);
        const planes = blocks[b].planes;
        const c = planes.length;
        planes.forEach(({ ctx, image }, k) => {
          const data = image.data;
          const n = data.length / 4;
          for (let i = 0; i < n; i++) {
            const t = Math.max(0, values[i * c + k]) / max;
            // white (silent) to deep blue (strongly active)
            data[4 * i] = 255 - t * 240;
            data[4 * i + 1] = 255 - t * 213;
            data[4 * i + 2] = 255 - t * 187;
            data[4 * i + 3] = 255;
          }
          ctx.putImageData(image, 0, 0);
        });
      });
      box.hidden = false;
      if (empty) empty.hidden = true;
    },
    /** Hides the blocks (keeping their canvases for the next digit). */
    clear(): void {
      box.hidden = true;
      if (empty) empty.hidden = false;
    },
  };
}

/** Each convolutional layer's kernels as images: blue positive, orange negative, one image per (filter, input channel). */
export function showFilters(box: HTMLElement, model: dd.Model<dd.Tensor>): void {
  const blocks = model.layers
    .filter((l) => l.className === 'Conv2D')
    .map((layer) => {
      const kernel = layer.getWeights()[0];
      const [kh, kw, inputs, filters] = kernel.shape;
      const values = kernel.dataSync();
      let max = 1e-6;
      for (const v of values) max = Math.max(max, Math.abs(v));
      const block = document.createElement('div');
      block.className = 'layer-block';
      block.dataset.layer = layer.name;
      const h3 = document.createElement('h3');
      h3.innerHTML = `${layer.name} <span></span>`;
      h3.querySelector('span')!.textContent =
        inputs === 1
          ? `${filters} filters of ${kh}×${kw} (blue adds, orange subtracts)`
          : `${filters} filters, each ${kh}×${kw} on each of its ${inputs} input maps: one row per filter`;
      const grid = document.createElement('div');
      grid.className = 'filter-grid';
      grid.style.gridTemplateColumns = `repeat(${inputs === 1 ? filters : inputs}, 30px)`;
      for (let f = 0; f < filters; f++) {
        for (let c = 0; c < inputs; c++) {
          const canvas = document.createElement('canvas');
          canvas.className = 'filter';
          canvas.width = kw;
          canvas.height = kh;
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `${layer.name} filter ${f + 1}${inputs > 1 ? `, input map ${c + 1}` : ''}`);
          const ctx = canvas.getContext('2d')!;
          const image = ctx.createImageData(kw, kh);
          const weights: number[] = [];
          for (let i = 0; i < kh * kw; i++) {
            // NOTE: kernel layout [kh, kw, in, out]
            const w = values[(i * inputs + c) * filters + f];
            weights.push(w);
            const [r, g, b] = diverging(w / max);
            image.data.set([r, g, b, 255], 4 * i);
          }
          ctx.putImageData(image, 0, 0);
          canvas.dataset.weights = weights.join(',');
          canvas.dataset.scale = String(max);
          grid.append(canvas);
        }
      }
      block.append(h3, grid);
      return block;
    });
  box.replaceChildren(...blocks);
}

/**
 * A card after the CNN's for the activations of the layers other than convolutions, and for the filters (the
 * CNN card itself keeps its size, its conv feature maps stay there).
 */
export function addLayerBoxes(cnnSection: HTMLElement): { filtersBox: HTMLElement; layersBox: HTMLElement } {
  const card = addCard({
    id: 'cnn-inside',
    title: 'Inside the CNN: filters and every layer',
    lead: 'The same network and the same digit as above, layer by layer after the convolutions: pooling keeps the strongest value of each 2×2 block, Flatten lays the maps out as one vector, and the Dense layer turns it into one score per digit. Below them, the filters it learned: each is a small image of weights slid over its input.',
    before: cnnSection.nextElementSibling?.id || null,
  });
  const layersBox = document.createElement('div');
  layersBox.id = 'cnn-layers';
  layersBox.className = 'feature-maps';
  const note = document.createElement('p');
  note.className = 'hint';
  note.textContent = 'Draw a digit or load an example in the section above.';
  note.id = 'cnn-layers-empty';
  const filtersBox = document.createElement('div');
  filtersBox.id = 'cnn-filters';
  filtersBox.className = 'feature-maps';
  card.append(note, layersBox, filtersBox);
  return { filtersBox, layersBox };
}
