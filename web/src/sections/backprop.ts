// "Backpropagation, step by step": one gradient-descent update of a 2-2-1 sigmoid network, shown as steps
// (forward values, the loss, each parameter's gradient, the new value). Every number comes from dendrite:
// the forward pass runs on tensors and the gradients come from its autograd (valueAndGrads), not from
// formulas written here.
import * as dd from 'dendrite';
import { addCard, el } from '../card.js';

const X = [0.05, 0.1];
const TARGET = 0.01;
/** Starting parameters (as in Matt Mazur's well-known worked example): W1[i][j] joins input i to hidden j. */
const START = { W1: [0.15, 0.25, 0.2, 0.3], b1: [0.35, 0.35], W2: [0.4, 0.45], b2: [0.6] };

type Params = typeof START;
type Key = keyof Params;

/** Each parameter's name on the page, the array it lives in and its index there. */
const PARAMS: { name: string; key: Key; i: number; layer: 'hidden' | 'output' }[] = [
  { name: 'w1 (x1→h1)', key: 'W1', i: 0, layer: 'hidden' },
  { name: 'w2 (x1→h2)', key: 'W1', i: 1, layer: 'hidden' },
  { name: 'w3 (x2→h1)', key: 'W1', i: 2, layer: 'hidden' },
  { name: 'w4 (x2→h2)', key: 'W1', i: 3, layer: 'hidden' },
  { name: 'b1 (h1)', key: 'b1', i: 0, layer: 'hidden' },
  { name: 'b2 (h2)', key: 'b1', i: 1, layer: 'hidden' },
  { name: 'w5 (h1→ŷ)', key: 'W2', i: 0, layer: 'output' },
  { name: 'w6 (h2→ŷ)', key: 'W2', i: 1, layer: 'output' },
  { name: 'b3 (ŷ)', key: 'b2', i: 0, layer: 'output' },
];

const STEPS = [
  [
    'The network',
    'Two inputs x1, x2, two sigmoid hidden neurons h1, h2 and one sigmoid output ŷ. The target for this input is t. These are the weights before the update.',
  ],
  ['Forward: hidden layer', 'Each hidden neuron sums its weighted inputs and its bias, z = x1·w + x2·w + b, then squashes it: h = σ(z).'],
  ['Forward: output', 'The output neuron does the same with h1 and h2: z_out = h1·w5 + h2·w6 + b3, ŷ = σ(z_out).'],
  ['The loss', "The squared error L = (ŷ − t)² (dendrite's meanSquaredError on one value) says how wrong the output is."],
  [
    'Backward: output layer',
    "dendrite's autograd walks back from L. For the output weights: ∂L/∂w5 = 2(ŷ − t) · ŷ(1 − ŷ) · h1, and so on: the error, times the sigmoid's slope, times what came in.",
  ],
  [
    'Backward: hidden layer',
    "The error signal travels on through w5 and w6 and each hidden neuron's slope h(1 − h) to the first layer: ∂L/∂w1 = δ_out · w5 · h1(1 − h1) · x1. These gradients are much smaller.",
  ],
  ['The update', 'Gradient descent moves every parameter against its gradient: new = old − learning rate × ∂L/∂w. With the new weights the loss is lower.'],
] as const;

interface Pass {
  hidden: { z: number[]; h: number[] };
  out: { z: number; y: number };
  loss: number;
  grads: Params;
  next: Params;
  nextLoss: number;
}

function forward(p: Record<Key, dd.Tensor>, x: dd.Tensor) {
  const zh = x.matmul(p.W1).add(p.b1);
  const h = zh.sigmoid();
  const zo = h.matmul(p.W2).add(p.b2);
  const y = zo.sigmoid();
  return { zh, h, zo, y, loss: dd.losses.meanSquaredError(dd.tensor([[TARGET]]), y) };
}

function asTensors(p: Params): Record<Key, dd.Tensor> {
  return { W1: dd.tensor(p.W1, [2, 2]), b1: dd.tensor(p.b1, [2]), W2: dd.tensor(p.W2, [2, 1]), b2: dd.tensor(p.b2, [1]) };
}

/** One forward and backward pass with dendrite, and the update with learning rate `lr`. */
function computePass(params: Params, lr: number): Pass {
  const x = dd.tensor([X], [1, 2]);
  const t = asTensors(params);
  let seen: ReturnType<typeof forward> | null = null;
  const { value, grads } = dd.valueAndGrads((W1, b1, W2, b2) => {
    seen = forward({ W1, b1, W2, b2 }, x);
    return seen.loss;
  })([t.W1, t.b1, t.W2, t.b2]);
  const f = seen! as ReturnType<typeof forward>;
  const list = (g: dd.Tensor) => Array.from(g.dataSync() as Float32Array);
  const g: Params = { W1: list(grads[0]), b1: list(grads[1]), W2: list(grads[2]), b2: list(grads[3]) };
  const next = Object.fromEntries((Object.keys(params) as Key[]).map((k) => [k, params[k].map((v, i) => Math.fround(v - lr * g[k][i]))])) as Params;
  const nextLoss = dd.noGrad(() => forward(asTensors(next), x).loss.dataSync()[0]);
  return {
    hidden: { z: list(f.zh), h: list(f.h) },
    out: { z: f.zo.dataSync()[0], y: f.y.dataSync()[0] },
    loss: value.dataSync()[0],
    grads: g,
    next,
    nextLoss,
  };
}

const fmt = (v: number) => v.toFixed(4);
const fmtGrad = (v: number) => (Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4));

export function setupBackprop(): void {
  const card = addCard({
    id: 'backprop',
    title: 'Backpropagation, step by step',
    lead: "Training is many small updates. Here is one of them, on the smallest network that has a hidden layer: the forward pass, the loss, the gradient of the loss for every weight and bias (computed by dendrite's autograd, the same code that trains the networks above), and the new weights. Use <strong>Next</strong> and <strong>Previous</strong>.",
    before: 'vanishing',
  });
  const toolbar = el('div', 'toolbar');
  const prev = el('button', '', 'Previous');
  prev.type = 'button';
  prev.id = 'bp-prev';
  const next = el('button', 'primary', 'Next');
  next.type = 'button';
  next.id = 'bp-next';
  const lrLabel = el('label', 'inline-label', 'Learning rate ');
  const lrSelect = el('select');
  lrSelect.id = 'bp-lr';
  for (const v of ['0.1', '0.5', '1', '2']) lrSelect.append(new Option(v, v, v === '0.5', v === '0.5'));
  lrLabel.append(lrSelect);
  const status = el('span', 'status');
  status.id = 'bp-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  toolbar.append(prev, next, lrLabel, status);

  const explain = el('p', 'bp-explain');
  explain.id = 'bp-explain';
  const grid = el('div', 'bp-grid');
  const forwardBox = el('dl', 'bp-values');
  forwardBox.id = 'bp-forward';
  forwardBox.setAttribute('aria-label', 'Forward values and the loss');
  const table = el('table', 'bp-table');
  table.id = 'bp-params';
  table.innerHTML =
    '<caption>Parameters</caption><thead><tr><th scope="col">parameter</th><th scope="col">value</th><th scope="col">∂L/∂parameter</th><th scope="col">new value</th></tr></thead>';
  const body = el('tbody');
  table.append(body);
  const scroll = el('div', 'table-scroll');
  scroll.append(table);
  grid.append(forwardBox, scroll);
  card.append(toolbar, explain, grid);

  let params: Params = structuredClone(START);
  let update = 1;
  let step = 0;
  let pass = computePass(params, Number(lrSelect.value));

  const rows = PARAMS.map((p) => {
    const tr = el('tr');
    tr.dataset.param = p.name.split(' ')[0];
    const name = el('th', '', p.name);
    name.scope = 'row';
    const cells = [el('td', 'old'), el('td', 'grad'), el('td', 'new')];
    tr.append(name, ...cells);
    body.append(tr);
    return { p, old: cells[0], grad: cells[1], next: cells[2] };
  });

  function value(dt: string, v: number | null, key: string, precise = v): HTMLElement[] {
    const t = el('dt', '', dt);
    const d = el('dd', '', v === null ? '·' : fmt(v));
    d.dataset.key = key;
    if (precise !== null) d.dataset.value = String(precise);
    return [t, d];
  }

  function render(): void {
    const lr = Number(lrSelect.value);
    status.textContent = `Update ${update}, step ${step + 1} of ${STEPS.length}: ${STEPS[step][0]}`;
    explain.textContent = STEPS[step][1];
    prev.disabled = step === 0 && update === 1;
    next.textContent = step === STEPS.length - 1 ? 'Next update' : 'Next';
    const show = (from: number, v: number) => (step >= from ? v : null);
    forwardBox.replaceChildren(
      ...value('x1', X[0], 'x1'),
      ...value('x2', X[1], 'x2'),
      ...value('target t', TARGET, 't'),
      ...value('z_h1', show(1, pass.hidden.z[0]), 'zh1'),
      ...value('h1 = σ(z_h1)', show(1, pass.hidden.h[0]), 'h1'),
      ...value('z_h2', show(1, pass.hidden.z[1]), 'zh2'),
      ...value('h2 = σ(z_h2)', show(1, pass.hidden.h[1]), 'h2'),
      ...value('z_out', show(2, pass.out.z), 'zout'),
      ...value('ŷ = σ(z_out)', show(2, pass.out.y), 'y'),
      ...value('loss L = (ŷ − t)²', show(3, pass.loss), 'loss'),
      ...value('loss with the new weights', show(6, pass.nextLoss), 'new-loss'),
    );
    for (const r of rows) {
      const old = params[r.p.key][r.p.i];
      const g = pass.grads[r.p.key][r.p.i];
      const n = pass.next[r.p.key][r.p.i];
      const gradShown = step >= (r.p.layer === 'output' ? 4 : 5);
      r.old.textContent = fmt(old);
      r.old.dataset.value = String(old);
      r.grad.textContent = gradShown ? fmtGrad(g) : '·';
      r.grad.dataset.value = gradShown ? String(g) : '';
      r.next.textContent = step >= 6 ? fmt(n) : '·';
      r.next.dataset.value = step >= 6 ? String(n) : '';
      r.next.title = step >= 6 ? `${fmt(old)} − ${lr} × ${fmtGrad(g)}` : '';
      r.grad.parentElement!.classList.toggle('bp-active', (step === 4 && r.p.layer === 'output') || (step === 5 && r.p.layer === 'hidden') || step === 6);
    }
  }

  prev.addEventListener('click', () => {
    if (step > 0) step--;
    render();
  });
  next.addEventListener('click', () => {
    if (step < STEPS.length - 1) step++;
    else {
      params = pass.next;
      update++;
      step = 0;
      pass = computePass(params, Number(lrSelect.value));
    }
    render();
  });
  lrSelect.addEventListener('change', () => {
    pass = computePass(params, Number(lrSelect.value));
    render();
  });
  render();
}
