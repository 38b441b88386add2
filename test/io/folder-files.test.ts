import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FolderFileError, readFileInFolder, readRegularFile } from '../../src/io/folder-files.js';

const base = mkdtempSync(join(tmpdir(), 'dendrite-folder-files-'));
after(() => rmSync(base, { recursive: true, force: true }));
const folder = join(base, 'model');
mkdirSync(join(folder, 'shards'), { recursive: true });
writeFileSync(join(folder, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
writeFileSync(join(folder, 'shards', 'part.bin'), Buffer.from([5, 6]));
writeFileSync(join(base, 'secret.txt'), 'outside the model folder');
symlinkSync(join(base, 'secret.txt'), join(folder, 'link-out.bin'));
symlinkSync(join(folder, 'weights.bin'), join(folder, 'link-in.bin'));
symlinkSync('/dev/zero', join(folder, 'zero.bin'));
symlinkSync('/', join(folder, 'root'));
execFileSync('mkfifo', [join(folder, 'pipe.bin')]);

const opts = { namedBy: "model.json's weightsManifest" };

async function refused(name: unknown, reason: FolderFileError['reason'], pattern: RegExp): Promise<void> {
  await assert.rejects(readFileInFolder(folder, name, opts), (error: unknown) => {
    assert.ok(error instanceof FolderFileError, String(error));
    assert.equal(error.reason, reason, error.message);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /outside the model folder\b.*bytes|\b25 bytes/); // never the outside file's size
    return true;
  });
}

describe('readFileInFolder', () => {
  test('reads files inside the folder, in subfolders and through links that stay inside', async () => {
    assert.deepEqual([...(await readFileInFolder(folder, 'weights.bin', opts))], [1, 2, 3, 4]);
    assert.deepEqual([...(await readFileInFolder(folder, './shards/part.bin', opts))], [5, 6]);
    assert.deepEqual([...(await readFileInFolder(folder, 'link-in.bin', opts))], [1, 2, 3, 4]);
  });

  test('refuses names that leave the folder: .., absolute paths, URLs, backslashes', async () => {
    await refused('../secret.txt', 'outside', /leads out of the model folder/);
    await refused('shards/../../secret.txt', 'outside', /leads out/);
    await refused(join(base, 'secret.txt'), 'outside', /not a path relative/);
    await refused('file:///etc/passwd', 'outside', /not a path relative/);
    await refused('..\\secret.txt', 'outside', /not a path relative/);
    await refused('C:/x.bin', 'outside', /not a path relative/);
  });

  test('refuses a symbolic link leading out, and a link to / followed by a path', async () => {
    await refused('link-out.bin', 'outside', /symbolic link/);
    await refused('root/etc/passwd', 'outside', /symbolic link/);
  });

  test('refuses what is not a regular file: a named pipe (no hang), a device, a folder', async () => {
    await refused('pipe.bin', 'not-a-file', /named pipe/);
    // /dev/zero is outside too; the containment check comes first
    await refused('zero.bin', 'outside', /symbolic link/);
    await refused('shards', 'not-a-file', /a folder/);
    await assert.rejects(readRegularFile('/dev/zero', {}), /a device, not a regular file/);
  });

  test('refuses names that are not strings, empty names and the folder itself', async () => {
    await refused({ toString: () => '../secret.txt' }, 'outside', /not a file name/);
    await refused(42, 'outside', /not a file name/);
    await refused('', 'outside', /empty or invalid/);
    await refused('a\0b', 'outside', /empty or invalid/);
    await refused('.', 'not-a-file', /the folder itself/);
  });

  test('a missing file is named; sizes are checked before reading', async () => {
    await refused('nope.bin', 'missing', /nope\.bin is missing \(model\.json's weightsManifest lists it\)/);
    await assert.rejects(readFileInFolder(folder, 'weights.bin', { ...opts, maxBytes: 3 }), /has 4 bytes, more than the 3 allowed/);
    await assert.rejects(readFileInFolder(folder, 'weights.bin', { ...opts, exactBytes: 8 }), /has 4 bytes, but 8 are expected/);
  });
});
