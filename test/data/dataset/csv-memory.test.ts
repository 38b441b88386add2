// A CSV file several times the memory budget streams through data.csv and fitDataset: in a process whose heap
// is capped below the file's size, one epoch trains on every row, and the live heap (measured after full GCs
// during training) grows by a small fraction of the file. Reading the file whole, or keeping its rows, would
// run out of heap.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-csv-memory-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 150_000;
const HEAP_LIMIT_MB = 32;
/** The live heap may grow by at most this while the file streams: less than half the file. */
const BUDGET_BYTES = 5e6;

/** ten numeric feature columns and a target, about 100 bytes a row */
function writeTable(path: string): void {
  const fd = openSync(path, 'w');
  writeSync(fd, `${Array.from({ length: 10 }, (_, i) => `x${i}`).join(',')},y\n`);
  let chunk = '';
  for (let r = 0; r < ROWS; r++) {
    const xs = Array.from({ length: 10 }, (_, i) => (((r * 7919 + i * 104729) % 10007) / 1000.5).toFixed(4));
    chunk += `${xs.join(',')},${(r % 97) / 10}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

test(`a CSV larger than the heap (capped at ${HEAP_LIMIT_MB} MB) trains in bounded memory`, () => {
  const path = join(dir, 'big.csv');
  writeTable(path);
  const bytes = statSync(path).size;
  assert.ok(bytes > 2 * BUDGET_BYTES, `the file is ${bytes} bytes`);
  const child = fileURLToPath(new URL('./csv-memory-child.ts', import.meta.url));
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--expose-gc', '--import', 'tsx', child, path], {
    encoding: 'utf8',
    // generous: the run takes a few seconds; this only guards against a hang
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const { rows, baseline, peak } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(rows, ROWS);
  const growth = peak - baseline;
  assert.ok(growth < BUDGET_BYTES, `live heap grew by ${(growth / 1e6).toFixed(1)} MB while streaming a ${(bytes / 1e6).toFixed(1)} MB file`);
});
