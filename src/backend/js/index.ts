import type { Backend } from '../backend.js';
import { binary, unary, where } from './elementwise.js';
import { copyRegion, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { argReduce, reduce } from './reduce.js';

/** The portable reference backend: plain TypeScript loops, the oracle for every faster backend. */
export const jsBackend: Backend = {
  name: 'js',
  unary,
  binary,
  where,
  reduce,
  argReduce,
  matmul,
  transpose,
  copyRegion,
};
