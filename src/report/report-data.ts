/** What a training report shows; serialised into the page as JSON and drawn there with Chart.js. */
export interface ReportData {
  title: string;
  /** Facts shown at the top: data, task, rows, epochs, time... */
  facts: [string, string][];
  /** Choices made along the way (dropped columns, early stopping, a guessed task). */
  notes: string[];
  /** Learning curves by epoch (numbered from 1). */
  curves: CurveChart[];
  /** Test-set scores, in the order shown. */
  testMetrics: { name: string; value: number; percent?: boolean }[];
  /** The model summary table as text. */
  summary: string;
  /** Classification: counts of [true class][predicted class]. */
  confusion?: { labels: string[]; matrix: number[][] };
  /** Regression: predicted against actual values on the test set. */
  scatter?: { actual: number[]; predicted: number[]; label: string };
  /** Tabular models: the input columns and their encoding. */
  columns?: { name: string; kind: string; encoding: string }[];
  /** Image models: some misclassified test images. */
  misclassified?: MisclassifiedImages;
}

export interface CurveChart {
  title: string;
  /** One value per epoch; a series may be shorter (e.g. validation from a later epoch) or hold nulls. */
  series: { label: string; values: (number | null)[]; role: 'train' | 'validation' }[];
  /** The epoch (1-based) of each series' first value (default 1), e.g. 4 for a run resumed after epoch 3. */
  firstEpoch?: number;
  /** An epoch to mark (1-based), e.g. the best validation epoch whose weights were kept. */
  markEpoch?: number;
  markLabel?: string;
}

export interface MisclassifiedImages {
  width: number;
  height: number;
  /** How many test images were misclassified in all. */
  total: number;
  /** How many test images there were. */
  of: number;
  examples: { pixels: string; label: string; predicted: string; confidence: number }[];
}
