// Creating a folder and its missing parents without `fs.mkdir(dir, { recursive: true })`: on Linux that call
// never returns for a path inside /proc (mkdir there says ENOENT although the parent exists, and Node retries
// forever). Here the missing levels are found by walking up a bounded number of times, then created one at a
// time, each with a plain mkdir whose error is final. Node.js only.

/** A folder that could not be created: `code` is the errno code of the level that failed. */
export class MakeFolderError extends Error {
  constructor(
    message: string,
    /** The errno code (ENOTDIR, EEXIST, EACCES, EROFS, EPERM, ENOENT...) or 'PSEUDO_FS' for /proc and /sys. */
    readonly code: string,
    /** The path that failed: the level that could not be created, or the file in the way. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** Kernel file systems that look like folders but cannot hold files. */
const PSEUDO_ROOTS = ['/proc', '/sys'];

function insidePseudoFs(path: string): string | null {
  return PSEUDO_ROOTS.find((root) => path === root || path.startsWith(`${root}/`)) ?? null;
}

/** Why a level could not be created, in words a person can act on. */
function describe(code: string | undefined, path: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied to create ${path}`;
    case 'EROFS':
      return `${path} is on a read-only file system`;
    case 'ENOSPC':
      return `no space left on the device to create ${path}`;
    case 'ENAMETOOLONG':
      return `the path ${path} is too long`;
    default:
      return `cannot create ${path} (${code ?? 'unknown error'})`;
  }
}

/**
 * Creates the folder `dir` and any missing parents; succeeds when it already exists. Throws a
 * `MakeFolderError` naming the file in the way (ENOTDIR / EEXIST), the level the system refused, or the
 * kernel file system (/proc, /sys) that cannot hold it. Returns the folders it created, outermost first.
 *
 *     await makeFolder('./models/run-1');
 */
export async function makeFolder(dir: string): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const { dirname, resolve } = await import('node:path');
  const target = resolve(dir);
  const missing: string[] = [];
  let level = target;
  // NOTE: bounded by the number of path segments: dirname of a root is the root itself
  for (;;) {
    const info = await fs.stat(level).catch((error: NodeJS.ErrnoException) => error);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) {
        const what = level === target ? `${level} exists and is not a folder` : `${level} is a file, so the folder ${target} cannot be created inside it`;
        throw new MakeFolderError(`${what}; choose another folder or move the file away.`, level === target ? 'EEXIST' : 'ENOTDIR', level);
      }
      break;
    }
    if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR')
      throw new MakeFolderError(`cannot use ${target}: ${describe(info.code, level)}.`, info.code ?? 'EIO', level);
    missing.push(level);
    const parent = dirname(level);
    if (parent === level) break;
    level = parent;
  }
  if (missing.length === 0) return [];
  // the deepest existing level: a path inside /proc or /sys (also through a link) can never hold our files
  const real = await fs.realpath(level).catch(() => level);
  const pseudo = insidePseudoFs(real) ?? insidePseudoFs(target);
  if (pseudo)
    throw new MakeFolderError(`${target} is inside ${pseudo}, a kernel file system that cannot hold files; choose a folder on disk.`, 'PSEUDO_FS', target);
  for (const path of missing.reverse()) {
    try {
      await fs.mkdir(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // another process created it meanwhile: fine if it is a folder
      if (
        code === 'EEXIST' &&
        (await fs.stat(path).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        continue;
      throw new MakeFolderError(`cannot create the folder ${target}: ${describe(code, path)}.`, code ?? 'EIO', path);
    }
  }
  return missing;
}
