// "Categorical data": an editable table with a nominal column (colour) and an ordinal column (size), and the
// numbers a network receives for each row, from dendrite's OneHotEncoder and OrdinalEncoder.
import * as dd from 'dendrite';
import { addCard, el } from '../card.js';

const SIZES = ['S', 'M', 'L'] as const;
const START: [string, (typeof SIZES)[number]][] = [
  ['red', 'S'],
  ['green', 'M'],
  ['blue', 'L'],
  ['red', 'L'],
];

export function setupCategorical(): void {
  const card = addCard({
    id: 'categorical',
    title: 'Categorical data: one-hot and ordinal codes',
    lead: "A network multiplies numbers, so words must become numbers first, and how matters. A <em>nominal</em> column such as colour has no order: coding red, green, blue as 0, 1, 2 would tell the network that green lies between red and blue. One-hot coding gives each colour its own input instead, 1 for the row's colour and 0 for the others. An <em>ordinal</em> column such as size has an order, S &lt; M &lt; L, and one number keeps it: 0, 1, 2. Edit the table (type any colour) and watch the codes. (<code>dendrite train data.csv --target … --ordinal size=S,M,L</code> codes a table's columns this way, and also rescales the ordinal codes.)",
    before: 'cnn',
  });
  const toolbar = el('div', 'toolbar');
  const add = el('button', '', 'Add a row');
  add.type = 'button';
  add.id = 'cat-add';
  toolbar.append(add);
  const scroll = el('div', 'table-scroll');
  const table = el('table', 'concept-table');
  table.id = 'cat-table';
  const caption = el('caption', '', 'Your data, and what the network receives');
  const head = el('thead');
  const body = el('tbody');
  table.append(caption, head, body);
  scroll.append(table);
  const note = el('p', 'hint');
  note.id = 'cat-note';
  card.append(toolbar, scroll, note);

  const rows = START.map(([colour, size]) => ({ colour, size: size as string }));
  const sizes = new dd.OrdinalEncoder({ categories: [...SIZES] });

  function render(focus?: { row: number; field: 'colour' | 'size' }): void {
    const colours = rows.map((r) => r.colour.trim() || '(empty)');
    const oneHot = new dd.OneHotEncoder().fit(colours);
    const names = oneHot.featureNames('colour');
    const hot = oneHot.transform(colours).dataSync();
    const codes = sizes.transform(rows.map((r) => r.size)).dataSync();
    const k = names.length;

    const tr = el('tr');
    for (const [text, cls] of [
      ['colour (nominal)', ''],
      ['size (ordinal)', ''],
      ...names.map((n) => [n, 'code'] as const),
      ['size code', 'code'],
      ['the network receives', 'code'],
    ])
      tr.append(Object.assign(el('th', cls, text), { scope: 'col' }));
    head.replaceChildren(tr);

    // rows are added by the learner: appended one by one, never spread into one call
    const made = rows.map((r, i) => {
      const row = el('tr');
      row.dataset.row = String(i);
      const colourCell = el('td');
      const input = el('input');
      input.type = 'text';
      input.value = r.colour;
      input.size = 8;
      input.className = 'cat-colour';
      input.setAttribute('aria-label', `Colour of row ${i + 1}`);
      input.addEventListener('input', () => {
        r.colour = input.value;
        render({ row: i, field: 'colour' });
      });
      colourCell.append(input);
      const sizeCell = el('td');
      const select = el('select');
      select.className = 'cat-size';
      select.setAttribute('aria-label', `Size of row ${i + 1}`);
      for (const s of SIZES) select.append(new Option(s, s, s === r.size, s === r.size));
      select.addEventListener('change', () => {
        r.size = select.value;
        render({ row: i, field: 'size' });
      });
      sizeCell.append(select);
      row.append(colourCell, sizeCell);
      const vector: number[] = [];
      for (let j = 0; j < k; j++) {
        const v = hot[i * k + j];
        vector.push(v);
        row.append(Object.assign(el('td', v === 1 ? 'code hot onehot' : 'code onehot', String(v)), { title: names[j] }));
      }
      vector.push(codes[i]);
      row.append(el('td', 'code ordinal', String(codes[i])));
      row.append(el('td', 'code vector', `[${vector.join(', ')}]`));
      return row;
    });
    body.replaceChildren();
    for (const row of made) body.append(row);
    note.textContent = `${k} colour${k === 1 ? '' : 's'} seen, so ${k} one-hot input${k === 1 ? '' : 's'}; sizes ${SIZES.map((s, j) => `${s} = ${j}`).join(', ')}; each row is ${k + 1} numbers.`;
    if (focus) {
      const target = body.querySelector<HTMLInputElement | HTMLSelectElement>(`tr[data-row="${focus.row}"] .cat-${focus.field}`);
      if (target) {
        target.focus();
        if (target instanceof HTMLInputElement) target.setSelectionRange(target.value.length, target.value.length);
      }
    }
  }

  add.addEventListener('click', () => {
    rows.push({ colour: 'green', size: 'S' });
    render({ row: rows.length - 1, field: 'colour' });
  });
  render();
}
