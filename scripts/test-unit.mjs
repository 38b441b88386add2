#!/usr/bin/env node
// `npm run test:unit`: the fast tests, for the edit-test loop. Every test file except those slow by nature,
// listed below with the reason; `npm test` (and CI) runs everything. No build: the tests import the TypeScript
// sources through tsx. Arguments go to `node --test`, e.g. `npm run test:unit -- --test-name-pattern=conv2d`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Test files and folders left out, and why. */
const SLOW = [
  ['test/e2e/', 'drives Chromium over the playground page, which it builds with Vite'],
  ['test/report/render.test.ts', 'opens the reports in Chromium'],
  ['test/cli/', 'runs the compiled bin (npx tsc -p tsconfig.build.json first) and trains in child processes'],
  ['test/properties/fuzz-untrusted.test.ts', 'runs the compiled CLI on damaged tables and model folders'],
  ['test/io/save-crash.test.ts', 'kills saving processes at each step (about a minute)'],
  ['test/io/load-while-saving.test.ts', 'loads beside a process that saves in a loop'],
  ['test/io/folder-lock.test.ts', 'races processes for a lock'],
  ['test/model/determinism.test.ts', 'trains twice in child processes on each backend and thread count'],
  ['test/examples/resnet-mnist.test.ts', 'trains a residual network on 12,000 MNIST images (about 20 s)'],
  ['test/examples/unet-segmentation.test.ts', 'trains a U-Net on 3,000 canvases (about 20 s)'],
];

const files = readdirSync(join(root, 'test'), { recursive: true })
  .map((name) =>
    relative(root, join(root, 'test', String(name)))
      .split(sep)
      .join('/'),
  )
  .filter((file) => file.endsWith('.test.ts') && !SLOW.some(([path]) => file.startsWith(path)))
  .sort();

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
