// `dd.data`: data sets that stream, with TensorFlow.js' tf.data names and behaviour. A Dataset is read afresh each
// pass (each epoch of model.fitDataset) and transformed element by element, never held whole.
export { Dataset, datasetFromIteratorFn } from './dataset.js';
export { LazyIterator, type Next } from './iterator.js';
export type { Batched } from './batch.js';
export { array } from './array.js';
export { generator, func, type GeneratorSource } from './generator.js';
export { csv, CSVDataset, type CSVConfig, type ColumnConfig, type CsvElement, type CsvRow, type CsvValue } from './csv.js';
export { zip, type DatasetContainer, type Zipped } from './zip.js';
