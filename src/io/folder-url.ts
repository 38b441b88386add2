// A model folder as a path or, as TF.js programs write it, a `file://` URL (`model.save('file:///tmp/m')`,
// `loadModel('file://./m')`). Without this a URL is taken as a relative path, and the model lands in a folder
// literally named `file:`. Other schemes (TF.js' `localstorage://`, `indexeddb://`, `downloads://`,
// `http://`) name browser storage or servers, which Node.js cannot save to or read as a folder: a clear error.
// Node.js only.

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The folder path `pathOrUrl` names; `what` (e.g. "model.save") leads the error for a scheme other than file://. */
export async function folderPath(pathOrUrl: string, what: string): Promise<string> {
  const scheme = SCHEME.exec(pathOrUrl)?.[1]?.toLowerCase();
  if (scheme === undefined) return pathOrUrl;
  if (scheme !== 'file') {
    throw new Error(
      `${what}: '${pathOrUrl}' is a ${scheme}:// URL; in Node.js dendrite saves and loads folders, given as a path or a file:// URL (e.g. 'file:///tmp/my-model').`,
    );
  }
  const { fileURLToPath } = await import('node:url');
  // TF.js accepts `file://./model` and `file://model` (a relative path after the scheme); a URL parser would
  // take `.` or `model` for a host name
  const rest = pathOrUrl.slice('file://'.length);
  if (!rest.startsWith('/')) return decodeURIComponent(rest);
  try {
    return fileURLToPath(`file://${rest}`);
  } catch (error) {
    throw new Error(`${what}: '${pathOrUrl}' is not a file:// URL of this machine: ${(error as Error).message}`);
  }
}
