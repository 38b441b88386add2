// Tables with words in them: encoding nominal and ordinal columns for a neural network.
//
//     node --import tsx examples/categorical.ts
//
// A network only takes numbers, and how a column becomes numbers decides what the network can learn.
//   - hours studied is numeric: standardise it (mean 0, std 1) so no feature dwarfs the others.
//   - country is *nominal*: France, Japan, Brazil, Kenya have no order. Coding them 0, 1, 2, 3 would claim
//     that Brazil lies between Japan and Kenya, so give each its own 0/1 column (one-hot).
//   - grade is *ordinal*: A > B > C > D > E > F. One number per grade, in that order, keeps what the
//     order says (and uses one column instead of six); we standardise it like a numeric column.
//
// The label is made by a known rule plus a little luck, so we know what accuracy is achievable:
//     pass if 0.5·hours + 0.5·gradeCode + countryEffect + luck > 4,   luck ~ Normal(0, 0.25)
import { pathToFileURL } from 'node:url';
import * as dd from '../src/index.js';

/** Grades from worst to best: the order OrdinalEncoder codes as 0, 1, ..., 5. */
export const GRADES = ['F', 'E', 'D', 'C', 'B', 'A'];
/** The countries, with the (made-up) effect each has on the score in the rule that makes the labels. */
export const COUNTRY_EFFECT: Record<string, number> = { France: 0, Japan: 1, Brazil: -0.5, Kenya: 0.5 };
const COUNTRIES = Object.keys(COUNTRY_EFFECT);

export interface Student {
  hours: number;
  country: string;
  grade: string;
  passed: number;
  /** Whether the rule without the luck term says pass (not a feature: the best any model could do). */
  ruleSaysPass: number;
}

/** Generates `n` students from the seeded generator (call setSeed first for a reproducible table). */
export function makeStudents(n: number): Student[] {
  const hours = dd.randomUniform([n], 0, 10).values;
  const countryDraw = dd.randomUniform([n]).values;
  const gradeDraw = dd.randomUniform([n]).values;
  const luck = dd.randomNormal([n], 0, 0.25).values;
  return Array.from({ length: n }, (_, i) => {
    const country = COUNTRIES[Math.floor(countryDraw[i] * COUNTRIES.length)];
    const gradeCode = Math.floor(gradeDraw[i] * GRADES.length);
    const score = 0.5 * hours[i] + 0.5 * gradeCode + COUNTRY_EFFECT[country];
    return { hours: hours[i], country, grade: GRADES[gradeCode], passed: score + luck[i] > 4 ? 1 : 0, ruleSaysPass: score > 4 ? 1 : 0 };
  });
}

/** Encoders fitted on the training rows only, then applied to any rows, so the test set stays unseen. */
class StudentEncoder {
  readonly country = new dd.OneHotEncoder(); // categories learned in fit, sorted: Brazil, France, Japan, Kenya
  readonly grade = new dd.OrdinalEncoder({ categories: GRADES }); // explicit order: F=0 ... A=5
  readonly scaler = new dd.StandardScaler();

  fit(rows: Student[]): this {
    this.country.fit(rows.map((r) => r.country));
    this.grade.fit(rows.map((r) => r.grade)); // with explicit categories, fit only checks for unknown grades
    this.scaler.fit(this.numeric(rows));
    return this;
  }

  /** [hours, grade code] per row, before scaling: shape [N, 2]. */
  numeric(rows: Student[]): dd.Tensor {
    const hours = dd.tensor(rows.map((r) => [r.hours]));
    const gradeCodes = dd.reshape(this.grade.transform(rows.map((r) => r.grade)), [rows.length, 1]);
    return dd.concat([hours, gradeCodes], 1);
  }

  /** The model's input: [hours (scaled), grade (scaled), one column per country], shape [N, 2 + 4]. */
  transform(rows: Student[]): dd.Tensor {
    return dd.concat([this.scaler.transform(this.numeric(rows)), this.country.transform(rows.map((r) => r.country))], 1);
  }

  get featureNames(): string[] {
    return ['hours', 'grade', ...this.country.featureNames('country')];
  }
}

export interface CategoricalOptions {
  /** Students in the table. Default 600. */
  n?: number;
  epochs?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
}

export interface CategoricalResult {
  testAccuracy: number;
  /** Test accuracy of the rule without the luck term: the ceiling for any model. */
  ruleAccuracy: number;
  /** The one-hot columns, in order. */
  countryCategories: string[];
  /** The ordinal code of each grade, e.g. { A: 5, B: 4, ... }. */
  gradeCodes: Record<string, number>;
  featureNames: string[];
  /** A few training rows, raw and encoded. */
  examples: { row: Student; gradeCode: number; encoded: number[] }[];
}

export async function run(options: CategoricalOptions = {}): Promise<CategoricalResult> {
  const { n = 600, epochs = 60, seed = 7, verbose = 0 } = options;
  dd.setSeed(seed);
  const students = makeStudents(n);
  const labels = students.map((s) => s.passed);
  const { trainIndices, testIndices } = dd.trainTestIndices(n, { testSize: 0.25, stratify: labels });
  const train = trainIndices.map((i) => students[i]);
  const test = testIndices.map((i) => students[i]);

  const encoder = new StudentEncoder().fit(train);
  const xTrain = encoder.transform(train);
  const xTest = encoder.transform(test);
  const yTrain = dd.tensor(train.map((s) => [s.passed]));
  const yTest = dd.tensor(test.map((s) => [s.passed]));

  const model = dd.sequential([
    dd.layers.dense({ units: 16, activation: 'relu', inputShape: [xTrain.shape[1]] }),
    dd.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: dd.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(xTrain, yTrain, { epochs, batchSize: 32, verbose });

  const width = xTrain.shape[1];
  const codes = encoder.grade.transform(GRADES).values;
  return {
    testAccuracy: model.evaluate(xTest, yTest).accuracy,
    ruleAccuracy: test.filter((s) => s.ruleSaysPass === s.passed).length / test.length,
    countryCategories: encoder.country.categories.map(String),
    gradeCodes: Object.fromEntries(GRADES.map((g, i) => [g, codes[i]])),
    featureNames: encoder.featureNames,
    examples: [0, 1, 2, 3, 4].map((i) => ({
      row: train[i],
      gradeCode: codes[GRADES.indexOf(train[i].grade)],
      encoded: Array.from(xTrain.values.subarray(i * width, (i + 1) * width)),
    })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run();
  console.log('Will the student pass? Numeric, nominal and ordinal columns\n');
  console.log(`one-hot country columns: ${r.countryCategories.join(', ')}`);
  console.log(
    `ordinal grade codes:     ${Object.entries(r.gradeCodes)
      .map(([g, c]) => `${g}=${c}`)
      .join(' ')}\n`,
  );
  const head = ['hours', 'country', 'grade', 'code', ...r.featureNames];
  console.log(`raw columns -> encoded columns (hours and grade standardised)`);
  console.log(head.map((h, i) => h.padStart(i < 4 ? 7 : Math.max(h.length, 6))).join(' '));
  for (const e of r.examples) {
    const raw = [e.row.hours.toFixed(1), e.row.country, e.row.grade, String(e.gradeCode)].map((s) => s.padStart(7));
    const enc = e.encoded.map((v, i) => (i < 2 ? v.toFixed(2) : v.toFixed(0)).padStart(Math.max(head[4 + i].length, 6)));
    console.log([...raw, ...enc].join(' '));
  }
  console.log(`\ntest accuracy              ${(100 * r.testAccuracy).toFixed(1)}%`);
  console.log(`the rule itself, no luck   ${(100 * r.ruleAccuracy).toFixed(1)}%   (what knowing the exact rule would score)`);
}
