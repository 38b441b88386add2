import type { History } from '../model/history.js';
import type { CurveChart } from './report-data.js';

const TITLES: Record<string, string> = {
  loss: 'Loss',
  accuracy: 'Accuracy',
  acc: 'Accuracy',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  f1: 'F1',
  macroF1: 'Macro F1',
};

/**
 * One chart per logged quantity of a `fit` history, training and validation (`val_` prefix) together:
 * `loss` and `val_loss` in one chart, `accuracy` and `val_accuracy` in the next, ...
 */
export function historyCurves(history: History, titles: Record<string, string> = {}): CurveChart[] {
  const names = Object.keys(history.history).filter((k) => !k.startsWith('val_'));
  const firstEpoch = (history.epoch[0] ?? 0) + 1;
  return names.map((name) => {
    const series: CurveChart['series'] = [{ label: `training ${name}`, values: history.history[name], role: 'train' }];
    const val = history.history[`val_${name}`];
    if (val) series.push({ label: `validation ${name}`, values: val, role: 'validation' });
    return { title: titles[name] ?? TITLES[name] ?? name, series, firstEpoch };
  });
}

/** A chart of one metric's training and validation values by epoch. */
export function metricCurve(name: string, train: number[], validation: number[] | null, title?: string): CurveChart {
  const series: CurveChart['series'] = [{ label: `training ${name}`, values: train, role: 'train' }];
  if (validation && validation.length > 0) series.push({ label: `validation ${name}`, values: validation, role: 'validation' });
  return { title: title ?? TITLES[name] ?? name, series };
}
