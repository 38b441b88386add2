// The "28×28 = 784" section's Dense-vs-CNN comparison: a Dense network on the 784 flattened pixels and the
// live CNN section's CNN on the images, trained for the same steps on the same mini-batches of the MNIST slice
// in a Web Worker (web/src/live/compare-worker.ts); their test accuracies and parameter counts side by side.
import { el } from '../card.js';
import type { CompareResult, FromCompareWorker, ToCompareWorker } from '../live/compare.js';

const STEPS = 300;
const BATCH = 32;

/** The comparison's box: a button, and a table filled as each network finishes. */
export function setupDenseVsCnn(): HTMLElement {
  const box = el('div', 'dense-vs-cnn');
  box.id = 'fl-compare';
  const title = el('h3', '', 'Dense vs CNN on the same digits');
  const text = el(
    'p',
    '',
    `Train both for ${STEPS} steps of ${BATCH} digits (${(STEPS * BATCH).toLocaleString('en')} samples, the same ones in the same order) from the 2,000 MNIST training digits shipped with the page, then test both on its 500 test digits. It runs in a Web Worker, in your browser, now.`,
  );
  const button = el('button', '', 'Train both');
  button.type = 'button';
  button.id = 'fl-compare-run';
  const status = el('p', 'hint');
  status.id = 'fl-compare-status';
  status.setAttribute('aria-live', 'polite');
  const table = el('table', 'concept-table');
  table.id = 'fl-compare-table';
  const head = el('tr');
  for (const h of ['Network', 'Layers', 'Parameters', 'Test accuracy', 'Training time']) head.append(el('th', '', h));
  table.append(head);
  const rows = new Map<string, HTMLTableRowElement>();
  for (const [name, label] of [
    ['dense', 'Dense on 784 inputs'],
    ['cnn', 'CNN on the image'],
  ] as const) {
    const tr = el('tr');
    tr.dataset.network = name;
    tr.append(el('th', '', label));
    for (let i = 0; i < 4; i++) tr.append(el('td', '', '–'));
    rows.set(name, tr);
    table.append(tr);
  }
  const toolbar = el('div', 'toolbar');
  toolbar.append(button);
  const scroll = el('div', 'table-scroll');
  scroll.append(table);
  box.append(title, text, toolbar, status, scroll);

  function show(r: CompareResult): void {
    const tr = rows.get(r.name)!;
    tr.dataset.accuracy = String(r.testAccuracy);
    tr.dataset.params = String(r.params);
    const cells = tr.querySelectorAll('td');
    cells[0].textContent = r.layers;
    cells[1].textContent = r.params.toLocaleString('en');
    cells[2].textContent = `${(r.testAccuracy * 100).toFixed(1)}% of ${r.testSize}`;
    cells[3].textContent = `${(r.trainMs / 1000).toFixed(1)} s`;
  }

  let worker: Worker | null = null;
  button.addEventListener('click', () => {
    button.disabled = true;
    box.dataset.state = 'running';
    status.textContent = `Training the Dense network, then the CNN, ${STEPS} steps each…`;
    worker?.terminate();
    worker = new Worker(new URL('../live/compare-worker.ts', import.meta.url), { type: 'module', name: 'dense-vs-cnn' });
    worker.onmessage = (event: MessageEvent<FromCompareWorker>) => {
      const m = event.data;
      if (m.type === 'result') {
        show(m.result);
        return;
      }
      button.disabled = false;
      worker?.terminate();
      worker = null;
      if (m.type === 'error') {
        box.dataset.state = 'error';
        status.textContent = `Training failed: ${m.message}`;
        return;
      }
      box.dataset.state = 'done';
      const dense = rows.get('dense')!.dataset;
      const cnn = rows.get('cnn')!.dataset;
      const percent = (a: string | undefined) => `${(Number(a) * 100).toFixed(1)}%`;
      status.textContent = `Done, measured here: the CNN reaches ${percent(cnn.accuracy)} with ${Number(cnn.params).toLocaleString('en')} parameters, the Dense network ${percent(dense.accuracy)} with ${(Number(dense.params) / Number(cnn.params)).toFixed(1)} times as many: the CNN's filters are shared across the image and see neighbours. Press again to repeat (the same seed gives the same figures).`;
    };
    worker.postMessage({
      type: 'run',
      sliceUrl: new URL('./data/mnist-slice.bin', document.baseURI).href,
      steps: STEPS,
      batchSize: BATCH,
    } satisfies ToCompareWorker);
  });
  return box;
}
