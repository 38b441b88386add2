// Reading a file that a model file (or another untrusted file) names, relative to its folder. The name is
// untrusted: it must stay inside the folder (no `..`, no absolute path, no symbolic link leading out), name
// a regular file (a named pipe would block a read forever, /dev/zero would never end it), and fit a size
// limit that is checked before any memory is allocated. Node.js only.

/** A file named by a model file that may not be read: outside its folder, not a regular file, too large, missing. */
export class FolderFileError extends Error {
  constructor(
    message: string,
    /** 'missing' for a file that does not exist (callers may word that case themselves). */
    readonly reason: 'missing' | 'outside' | 'not-a-file' | 'too-large' | 'unreadable' = 'unreadable',
  ) {
    super(message);
  }
}

export interface FolderFileOptions {
  /** What names the file, for messages: e.g. "model.json's weightsManifest". */
  namedBy: string;
  /** The most bytes the file may hold (checked with fstat, before reading). Default: no limit beyond 2 GiB. */
  maxBytes?: number;
  /** When given, the file must hold exactly this many bytes (checked before reading). */
  exactBytes?: number;
}

/** The largest file Node can read into one buffer. */
const MAX_READ = 2 ** 31 - 1;

/**
 * Checks `name` lexically: a non-empty relative path with '/' separators, no '..' segment, no NUL, no
 * backslash, no drive letter. Returns the cleaned segments.
 */
export function checkRelativeName(name: unknown, namedBy: string): string[] {
  if (typeof name !== 'string')
    throw new FolderFileError(`${namedBy} names a file with ${JSON.stringify(name) ?? String(name)}, which is not a file name (a string).`, 'outside');
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name);
  if (name === '' || name.includes('\0')) throw new FolderFileError(`${namedBy} names an empty or invalid file name ${shown}.`, 'outside');
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || /^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    throw new FolderFileError(`${namedBy} names ${shown}, which is not a path relative to the model folder; files must lie inside that folder.`, 'outside');
  }
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..'))
    throw new FolderFileError(`${namedBy} names ${shown}, which leads out of the model folder ('..'); files must lie inside that folder.`, 'outside');
  if (segments.length === 0) throw new FolderFileError(`${namedBy} names ${shown}, which is the folder itself, not a file.`, 'not-a-file');
  return segments;
}

/**
 * The real path of the file `name` inside `folder`, after checking that it stays inside (following any
 * symbolic links) and is a regular file. Does not read it.
 */
export async function resolveInFolder(folder: string, name: unknown, options: Pick<FolderFileOptions, 'namedBy'>): Promise<{ path: string; size: number }> {
  const fs = await import('node:fs/promises');
  const { join, sep } = await import('node:path');
  const segments = checkRelativeName(name, options.namedBy);
  const shown = JSON.stringify(name);
  const root = await fs.realpath(folder).catch((error: NodeJS.ErrnoException) => {
    throw new FolderFileError(
      `cannot open the folder ${folder}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}.`,
      error.code === 'ENOENT' ? 'missing' : 'unreadable',
    );
  });
  const joined = join(root, ...segments);
  const real = await fs.realpath(joined).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new FolderFileError(`${joined} is missing (${options.namedBy} lists it).`, 'missing');
    throw new FolderFileError(`cannot read ${joined} (${options.namedBy} lists it): ${error.message}`, 'unreadable');
  });
  if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new FolderFileError(
      `${options.namedBy} names ${shown}, which leads out of the model folder ${folder} through a symbolic link; files must lie inside that folder.`,
      'outside',
    );
  }
  const info = await fs.stat(real);
  if (!info.isFile()) throw new FolderFileError(`${joined} (${options.namedBy} lists it) is ${kindOf(info)}, not a regular file.`, 'not-a-file');
  return { path: real, size: info.size };
}

/**
 * Reads the file `name` inside `folder` (see `resolveInFolder`), refusing it before reading when it is
 * larger than `maxBytes` or not `exactBytes` long.
 */
export async function readFileInFolder(folder: string, name: unknown, options: FolderFileOptions): Promise<Uint8Array> {
  const { path } = await resolveInFolder(folder, name, options);
  return readRegularFile(path, { ...options, shownName: path });
}

/**
 * Reads a regular file with its size checked first: the file is opened without blocking (a named pipe
 * swapped in after the check cannot hang the read) and its size is taken from the open file itself.
 */
export async function readRegularFile(
  path: string,
  options: Omit<FolderFileOptions, 'namedBy'> & { shownName?: string; namedBy?: string },
): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const shown = options.shownName ?? path;
  const by = options.namedBy ? ` (${options.namedBy} lists it)` : '';
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FolderFileError(`${shown} does not exist${by}.`, 'missing');
    throw new FolderFileError(`cannot read ${shown}${by}: ${(error as Error).message}`, 'unreadable');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FolderFileError(`${shown}${by} is ${kindOf(info)}, not a regular file.`, 'not-a-file');
    const limit = Math.min(options.maxBytes ?? MAX_READ, MAX_READ);
    if (options.exactBytes !== undefined && info.size !== options.exactBytes) {
      throw new FolderFileError(`${shown}${by} has ${info.size} bytes, but ${options.exactBytes} are expected.`, 'too-large');
    }
    if (info.size > limit) throw new FolderFileError(`${shown}${by} has ${info.size} bytes, more than the ${limit} allowed.`, 'too-large');
    const bytes = new Uint8Array(info.size);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset);
      if (bytesRead === 0) throw new FolderFileError(`${shown}${by} became shorter while it was read (${offset} of ${bytes.length} bytes).`, 'unreadable');
      offset += bytesRead;
    }
    return bytes;
  } catch (error) {
    if (error instanceof FolderFileError) throw error;
    throw new FolderFileError(`cannot read ${shown}${by}: ${(error as Error).message}`, 'unreadable');
  } finally {
    await handle.close();
  }
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}
