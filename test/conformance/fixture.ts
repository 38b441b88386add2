import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A tensor as stored in a fixture: row-major data, float64 or int32. */
export interface FixtureTensor {
  shape: number[];
  dtype: 'float64' | 'int32';
  data: number[];
}

/** The parts of a fixture's expected results that may be replaced by its `alt` block. */
export interface Expected {
  output?: FixtureTensor;
  extra_outputs?: Record<string, FixtureTensor>;
  grads?: Record<string, FixtureTensor>;
}

/** One reference case (format in test/fixtures/conformance/README.md). */
export interface Fixture {
  format_version: number;
  name: string;
  op: string;
  params: Record<string, unknown>;
  input_order: string[];
  inputs: Record<string, FixtureTensor>;
  output: FixtureTensor;
  extra_outputs?: Record<string, FixtureTensor>;
  upstream?: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  alt?: Expected & { description?: string };
  tolerance: { rtol: number; atol: number };
  /** What the case checks, for a person; never read by the runner. */
  notes?: string;
}

/** Every `*.json` fixture in `dir`, sorted by file name. */
export function loadFixtures(dir: string): { file: string; fixture: Fixture }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture }));
}
