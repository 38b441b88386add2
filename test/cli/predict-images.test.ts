// Image inputs of `dendrite predict` (src/cli/predict-images.ts): a PNG's size is read from its header and
// anything but 28x28 is refused before decoding (a 48 KB PNG can declare 20000x20000 pixels, 1.6 GB decoded);
// the image data of a 28x28 PNG may not inflate beyond what 28x28 takes; files are read only when they are
// regular files under a size limit (a named pipe or /dev/zero cannot hang the read); an IDX header is
// checked against the file's length before anything is allocated for it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createDeflate } from 'node:zlib';
import { PNG } from 'pngjs';
import { UsageError } from '../../src/cli/errors.js';
import { MAX_DATA_BYTES, MAX_PNG_BYTES, pngHeader, readImages } from '../../src/cli/predict-images.js';
import { encodeIdx } from '../../src/data/idx.js';

const dir = mkdtempSync(join(tmpdir(), 'dendrite-predict-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Deflates `total` zero bytes in 1 MiB pieces (never holding them all). */
async function deflatedZeros(total: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let left = total; left > 0; left -= zeros.length) {
    if (!deflate.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(parts);
}

/** A PNG file: signature, IHDR (grey at `depth` bits unless told), the given IDAT data, IEND. */
function png(width: number, height: number, idat: Uint8Array, options: { depth?: number; colorType?: number; interlace?: number } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = options.depth ?? 8;
  ihdr[9] = options.colorType ?? 0;
  ihdr[12] = options.interlace ?? 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A file of `size` bytes that takes no room on disk. */
function sparse(name: string, size: number): string {
  const path = join(dir, name);
  closeSync(openSync(path, 'w'));
  truncateSync(path, size);
  return path;
}

/** Peak resident memory of this process so far, in bytes. */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * Expects readImages to refuse `files` with a UsageError matching `pattern`, without growing the peak memory by
 * 200 MB: the memory shows that nothing was decoded or read to the end (a wall-time limit would fail on a busy
 * machine; a read that never ends meets the suite's timeout).
 */
async function refused(files: string[], pattern: RegExp): Promise<void> {
  const peak = peakRss();
  await assert.rejects(readImages(files), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.match(error.message, pattern);
    assert.equal(error.message.split('\n').length, 1);
    return true;
  });
  const grew = peakRss() - peak;
  assert.ok(grew < 200 * 1024 * 1024, `the peak memory grew by ${(grew / 2 ** 20).toFixed(0)} MB`);
}

describe('dendrite predict: image inputs', { timeout: 60_000 }, () => {
  test('a small PNG declaring 20000x20000 pixels is refused from its header, without decoding', async () => {
    // a real image: 20000 rows of 1-bit grey zeros (2501 bytes each with the filter byte) deflate to ~50 KB
    const bomb = png(20000, 20000, await deflatedZeros(20000 * 2501), { depth: 1 });
    assert.ok(bomb.length < 100_000, `${bomb.length} bytes`);
    const path = file('bomb.png', bomb);
    await refused([path], /bomb\.png is 20000x20000 pixels; the model takes 28x28 images/);
    // the same without the .png extension: recognised by its signature
    await refused([file('bomb.img', bomb)], /bomb\.img is 20000x20000 pixels/);
    // only a header, declaring the largest size there is
    await refused([file('huge.png', png(0xffffffff, 0xffffffff, new Uint8Array(0)))], /huge\.png is 4294967295x4294967295 pixels/);
    assert.deepEqual(pngHeader(bomb, 'bomb.png'), { width: 20000, height: 20000, interlaced: false });
  });

  test('a 28x28 PNG whose image data inflates far beyond 28x28 is refused before decoding', async () => {
    // interlaced: the decoder would inflate it without a limit (200 MB of zeros deflate to ~200 KB)
    const bomb = png(28, 28, await deflatedZeros(200 * 1024 * 1024), { interlace: 1 });
    await refused([file('interlaced-bomb.png', bomb)], /interlaced-bomb\.png is not a readable PNG: its image data inflates to more than/);
    await refused([file('bomb-28.png', png(28, 28, await deflatedZeros(50 * 1024 * 1024)))], /bomb-28\.png is not a readable PNG/);
  });

  test('broken PNGs are one-line errors', async () => {
    await refused([file('empty.png', '')], /empty\.png is not a PNG file/);
    await refused([file('text.png', 'hello, world')], /text\.png is not a PNG file/);
    await refused([file('cut.png', png(28, 28, new Uint8Array(0)).subarray(0, 20))], /cut\.png is not a readable PNG: its first chunk is not a complete IHDR/);
    await refused([file('bad-data.png', png(28, 28, new Uint8Array([1, 2, 3])))], /bad-data\.png is not a readable PNG: its image data is corrupt/);
    const header = png(28, 28, new Uint8Array(0));
    await refused(
      [file('no-data.png', Buffer.concat([header.subarray(0, 33), header.subarray(-12)]))],
      /no-data\.png is not a readable PNG: it holds no image data/,
    );
  });

  test('PNG files of 28x28 pixels are still read', async () => {
    const image = new PNG({ width: 28, height: 28 });
    for (let p = 0; p < 784; p++) image.data.set([p % 28 === 14 ? 255 : 0, 0, 0, 255], 4 * p);
    const r = await readImages([file('digit.png', PNG.sync.write(image)), file('grey.png', PNG.sync.write(image, { colorType: 0 }))]);
    assert.equal(r.count, 2);
    assert.deepEqual(r.names, ['digit.png', 'grey.png']);
    assert.ok(r.pixels[14] > 0.2 && r.pixels[13] === 0);
  });

  test('files are read only when they are regular files within the size limits', async () => {
    await refused([sparse('large.png', MAX_PNG_BYTES + 1)], /large\.png is too large \(4 MiB\): dendrite predict reads PNG files of at most 4 MiB/);
    await refused(
      [sparse('large-idx3-ubyte', MAX_DATA_BYTES + 1)],
      /large-idx3-ubyte is too large \(128 MiB\): dendrite predict reads IDX files of at most 128 MiB/,
    );
    await refused([sparse('large.csv', MAX_DATA_BYTES + 1)], /large\.csv is too large .*CSV files of at most 128 MiB/);
    // a PNG without the .png extension gets the data limit when read, then the PNG limit
    const padded = Buffer.concat([png(28, 28, new Uint8Array(0)), Buffer.alloc(MAX_PNG_BYTES)]);
    await refused([file('padded.img', padded)], /padded\.img is too large \(4 MiB\): dendrite predict reads PNG files/);
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);
    await refused([join(dir, 'pipe.png')], /cannot read '.*pipe\.png': it is a named pipe, not a regular file/);
    await refused(['/dev/zero'], /cannot read '\/dev\/zero': it is a device, not a regular file/);
    mkdirSync(join(dir, 'folder.png'));
    await refused([join(dir, 'folder.png')], /cannot read '.*folder\.png': it is a folder, not a regular file/);
    await refused([join(dir, 'missing.png')], /cannot read '.*missing\.png': no such file\./);
  });

  test("an IDX header that disagrees with the file's length is refused before anything is allocated", async () => {
    // declares 4294967295 x 28 x 28 images (3.4 TB) in a 16-byte header and nothing more
    const header = Buffer.from(encodeIdx([0xffffffff, 28, 28], new Uint8Array(0)));
    await refused(
      [file('huge-idx3-ubyte', header)],
      /huge-idx3-ubyte is neither a PNG.*header says 4294967295 x 28 x 28 uint8 values .* but the file has 16 bytes/,
    );
    const floats = Buffer.from(encodeIdx([0x7fffffff, 28, 28], new Uint8Array(64)));
    floats[2] = 0x0e; // float64
    await refused([file('floats-idx3-ubyte', floats)], /floats-idx3-ubyte is neither a PNG.*float64 values/);
    const ok = await readImages([file('two-idx3-ubyte', encodeIdx([2, 28, 28], new Uint8Array(2 * 784).fill(255)))]);
    assert.equal(ok.count, 2);
    assert.equal(ok.pixels[0], 1);
  });
});
