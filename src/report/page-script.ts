// The script that runs in report.html: it reads the inlined data and draws the charts with the inlined
// Chart.js. Kept as plain browser JavaScript in a string (the page has no build step); `window.reportReady`
// tells tests and scripts that every chart is drawn.
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var TRAIN = '#1f77b4';
  var VALIDATION = '#ff7f0e';
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", sans-serif';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A dashed vertical line at one epoch (the best validation epoch, whose weights were kept).
  var markPlugin = {
    id: 'markEpoch',
    afterDatasetsDraw: function (chart, args, opts) {
      if (!opts || !opts.epoch) return;
      var x = chart.scales.x.getPixelForValue(opts.epoch);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#2ca02c';
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.fillStyle = '#2ca02c';
      ctx.font = '11px sans-serif';
      ctx.fillText(opts.label || '', Math.min(x + 4, area.right - 90), area.top + 12);
      ctx.restore();
    },
  };

  function curveChart(container, curve) {
    var box = el('div', { class: 'chart' });
    var canvas = el('canvas');
    box.appendChild(canvas);
    container.appendChild(box);
    var length = Math.max.apply(null, curve.series.map(function (s) { return s.values.length; }));
    var first = curve.firstEpoch || 1;
    new Chart(canvas, {
      type: 'line',
      data: {
        datasets: curve.series.map(function (s) {
          return {
            label: s.label,
            data: s.values.map(function (v, i) { return { x: first + i, y: v }; }),
            borderColor: s.role === 'train' ? TRAIN : VALIDATION,
            backgroundColor: s.role === 'train' ? TRAIN : VALIDATION,
            borderWidth: 2,
            pointRadius: length > 40 ? 0 : 2,
            spanGaps: true,
          };
        }),
      },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', min: first, max: Math.max(first + length - 1, first + 1), ticks: { precision: 0 }, title: { display: true, text: 'epoch' } } },
        plugins: { title: { display: true, text: curve.title }, markEpoch: { epoch: curve.markEpoch, label: curve.markLabel } },
      },
      plugins: [markPlugin],
    });
  }

  function scatterChart(container, scatter) {
    var box = el('div', { class: 'chart square' });
    var canvas = el('canvas');
    box.appendChild(canvas);
    container.appendChild(box);
    var all = scatter.actual.concat(scatter.predicted);
    var lo = Math.min.apply(null, all);
    var hi = Math.max.apply(null, all);
    new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'test rows', data: scatter.actual.map(function (a, i) { return { x: a, y: scatter.predicted[i] }; }), backgroundColor: 'rgba(31,119,180,0.6)', pointRadius: 3 },
          { type: 'line', label: 'predicted = actual', data: [{ x: lo, y: lo }, { x: hi, y: hi }], borderColor: '#888', borderDash: [6, 4], pointRadius: 0, borderWidth: 1 },
        ],
      },
      options: {
        scales: { x: { title: { display: true, text: 'actual ' + scatter.label } }, y: { title: { display: true, text: 'predicted ' + scatter.label } } },
        plugins: { title: { display: true, text: 'Predicted vs actual (test set)' } },
      },
    });
  }

  function confusionTable(container, confusion) {
    var table = el('table', { class: 'confusion' });
    var max = 1;
    confusion.matrix.forEach(function (row) { row.forEach(function (v) { if (v > max) max = v; }); });
    var head = el('tr');
    head.appendChild(el('th', { class: 'corner' }, 'true \\ predicted'));
    confusion.labels.forEach(function (l) { head.appendChild(el('th', {}, l)); });
    table.appendChild(head);
    confusion.matrix.forEach(function (row, i) {
      var tr = el('tr');
      tr.appendChild(el('th', {}, confusion.labels[i]));
      row.forEach(function (v, j) {
        var td = el('td', {}, String(v));
        var a = v / max;
        td.style.background = i === j ? 'rgba(44,160,44,' + (0.1 + 0.8 * a) + ')' : v > 0 ? 'rgba(214,39,40,' + (0.15 + 0.75 * a) + ')' : '';
        if (a > 0.6) td.style.color = '#fff';
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    container.appendChild(table);
  }

  function imageGrid(container, images) {
    var grid = el('div', { class: 'images' });
    images.examples.forEach(function (ex) {
      var figure = el('figure');
      var canvas = el('canvas', { width: images.width, height: images.height });
      var bytes = atob(ex.pixels);
      var ctx = canvas.getContext('2d');
      var img = ctx.createImageData(images.width, images.height);
      for (var i = 0; i < images.width * images.height; i++) {
        var v = 255 - bytes.charCodeAt(i);
        img.data[4 * i] = v;
        img.data[4 * i + 1] = v;
        img.data[4 * i + 2] = v;
        img.data[4 * i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      figure.appendChild(canvas);
      figure.appendChild(el('figcaption', {}, 'true ' + ex.label + ', predicted ' + ex.predicted + ' (' + Math.round(ex.confidence * 100) + '%)'));
      grid.appendChild(figure);
    });
    container.appendChild(grid);
  }

  var curves = document.getElementById('curves');
  data.curves.forEach(function (c) { curveChart(curves, c); });
  if (data.scatter) scatterChart(document.getElementById('scatter'), data.scatter);
  if (data.confusion) confusionTable(document.getElementById('confusion'), data.confusion);
  if (data.misclassified) imageGrid(document.getElementById('misclassified'), data.misclassified);
  window.reportReady = true;
})();
`;
