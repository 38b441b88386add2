import { chartJsSource } from './chart-source.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { ReportData } from './report-data.js';

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; } td, th { padding: 4px 10px; border: 1px solid #ddd; text-align: left; }
table.facts th { background: #f6f6f6; font-weight: 600; } table.metrics td.value { font-variant-numeric: tabular-nums; text-align: right; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; }
.chart { position: relative; height: 300px; } .chart.square { height: 460px; max-width: 560px; }
table.confusion td { text-align: right; min-width: 2.5em; font-variant-numeric: tabular-nums; } table.confusion th.corner { font-weight: normal; color: #666; }
pre { background: #f6f6f6; padding: 12px; overflow-x: auto; font-size: 12px; }
.images { display: flex; flex-wrap: wrap; gap: 10px; } figure { margin: 0; text-align: center; font-size: 11px; width: 96px; }
figure canvas { width: 84px; height: 84px; image-rendering: pixelated; border: 1px solid #ccc; }
ul.notes { color: #444; } .muted { color: #777; }
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a <script> element (no `</script>`, no HTML comment openers). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function formatMetric(value: number, percent?: boolean): string {
  if (!Number.isFinite(value)) return String(value);
  return percent ? `${(value * 100).toFixed(2)}%` : Math.abs(value) >= 1000 ? value.toFixed(1) : Number(value.toPrecision(4)).toString();
}

/**
 * A self-contained HTML page (Chart.js and the data inlined, no network needed) showing a training run:
 * learning curves, test scores, the model summary, and a confusion matrix, a predicted-vs-actual plot or a
 * grid of misclassified images.
 */
export async function renderReport(data: ReportData): Promise<string> {
  const chartJs = (await chartJsSource()).replace(/<\/script/gi, '<\\/script');
  const facts = data.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const metrics = data.testMetrics.map((m) => `<tr><td>${escapeHtml(m.name)}</td><td class="value">${formatMetric(m.value, m.percent)}</td></tr>`).join('');
  const sections: string[] = [];
  sections.push(
    `<h2>Learning curves</h2><p class="muted">Training values in blue, validation values in orange: a validation curve that turns up while the training curve keeps falling is overfitting.</p><div id="curves" class="charts"></div>`,
  );
  sections.push(
    data.testMetrics.length > 0
      ? `<h2>Test set</h2><table class="metrics">${metrics}</table>`
      : `<h2>Test set</h2><p class="muted">No test set was held out.</p>`,
  );
  if (data.confusion)
    sections.push(
      `<h2>Confusion matrix (test set)</h2><p class="muted">Rows: true class; columns: predicted class. The diagonal holds the correct predictions.</p><div id="confusion"></div>`,
    );
  if (data.scatter) sections.push(`<h2>Predictions (test set)</h2><div id="scatter"></div>`);
  if (data.misclassified) {
    const m = data.misclassified;
    sections.push(
      `<h2>Misclassified test images</h2><p class="muted">${m.total} of ${m.of} test images were misclassified; the first ${m.examples.length} are shown with the predicted class and its probability.</p><div id="misclassified"></div>`,
    );
  }
  if (data.columns) {
    const rows = data.columns.map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.kind)}</td><td>${escapeHtml(c.encoding)}</td></tr>`).join('');
    sections.push(`<h2>Input columns</h2><table><tr><th>column</th><th>kind</th><th>encoding</th></tr>${rows}</table>`);
  }
  sections.push(`<h2>Model</h2><pre>${escapeHtml(data.summary)}</pre>`);
  const notes = data.notes.length > 0 ? `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<table class="facts">${facts}</table>
${notes}
${sections.join('\n')}
<p class="muted">Written by dendrite.</p>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>${chartJs}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** Renders the report and writes it as `report.html` in `dir` (atomically: a reader never sees half a page). */
export async function writeReport(dir: string, data: ReportData): Promise<string> {
  const { writeFilesAtomically } = await import('../io/atomic.js');
  const { join } = await import('node:path');
  await writeFilesAtomically(dir, [['report.html', await renderReport(data)]]);
  return join(dir, 'report.html');
}
