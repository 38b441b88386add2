// A Node.js stand-in for the part of @tensorflow/tfjs-vis that the ported browser examples call. tfjs-vis draws
// charts and tables in the page; here each call prints what it would show, as text. It works on the tensors of
// either library (it reads them with dataSync()), so a program prints the same lines on dendrite and on TF.js.

function format(value) {
  return typeof value === 'number' ? value.toFixed(4) : String(value);
}

export const show = {
  /** Plots the history of `metrics` over the epochs; here, the latest epoch's values. */
  history(container, history, metrics) {
    const logs = history[history.length - 1];
    const values = metrics.map((m) => `${m}=${format(logs[m])}`).join(' ');
    console.log(`${container}: epoch ${history.length} ${values}`);
  },
};

export const metrics = {
  /**
   * The confusion matrix of integer labels and predictions: rows are labels, columns predictions. Like
   * tfjs-vis, it reads the tensors before its first await, so a caller's enclosing tf.tidy may dispose them
   * right after the call.
   */
  async confusionMatrix(labels, predictions, numClasses) {
    const truth = Array.from(labels.dataSync());
    const predicted = Array.from(predictions.dataSync());
    let n = numClasses ?? 0;
    if (numClasses === undefined) {
      for (let i = 0; i < truth.length; i++) n = Math.max(n, truth[i] + 1, predicted[i] + 1);
    }
    const matrix = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let i = 0; i < truth.length; i++) matrix[truth[i]][predicted[i]]++;
    return matrix;
  },
};

export const render = {
  /** Draws a confusion matrix; here, one row per class. */
  confusionMatrix(container, data) {
    const rows = data.values.map((row, i) => `  ${data.labels?.[i] ?? i}: ${row.join(' ')}`);
    console.log(`${container}: confusion matrix (rows: true class, columns: predicted)\n${rows.join('\n')}`);
  },
  /** Draws a line chart; here, the latest point of each series. */
  linechart(container, data) {
    const name = container.name ?? container;
    console.log(`${name}: ${JSON.stringify(data.values[data.values.length - 1])}`);
  },
};
