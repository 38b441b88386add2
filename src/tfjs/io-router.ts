// Which handler a URL names, for `model.save(url)` and `tf.loadLayersModel(url)` (TF.js' IORouterRegistry in a
// few lines): `localstorage://`, `indexeddb://`, `downloads://` (save only), `http(s)://`; `file://` is left to
// the caller, which saves and loads folders in Node.js. And TF.js' model management over the stores a page has
// (`tf.io.listModels`, `removeModel`, `copyModel`, `moveModel`).
import { browserDownloads, DOWNLOADS_SCHEME } from './io-downloads.js';
import { http } from './io-http.js';
import { browserIndexedDB, hasIndexedDB, INDEXED_DB_SCHEME, listIndexedDBModels, removeIndexedDBModel } from './io-indexed-db.js';
import { browserLocalStorage, hasLocalStorage, LOCAL_STORAGE_SCHEME, listLocalStorageModels, removeLocalStorageModel } from './io-local-storage.js';
import type { IOHandler, ModelArtifactsInfo, SaveResult } from './io-types.js';

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** The handler a URL names, or null for a `file://` URL in Node.js (a folder, which the caller saves and loads). */
export function handlerFor(url: string, purpose: 'save' | 'load', what: string): IOHandler | null {
  if (/^file:\/\//i.test(url)) {
    if (isNode) return null;
    throw new Error(
      `${what}('${url}'): file:// URLs name folders, which only Node.js reads and writes; in a browser use localstorage://, indexeddb://, downloads:// or http(s)://.`,
    );
  }
  const name = (scheme: string) => url.slice(scheme.length);
  const made = (make: () => IOHandler): IOHandler => {
    try {
      return make();
    } catch (error) {
      const hint = isNode ? ' In Node.js, dendrite/tfjs saves to and loads from file:// URLs, http(s):// URLs and IOHandlers.' : '';
      throw new Error(`${what}('${url}'): ${(error as Error).message}${hint}`);
    }
  };
  if (/^https?:\/\//i.test(url)) return http(url);
  if (url.startsWith(LOCAL_STORAGE_SCHEME)) return made(() => browserLocalStorage(name(LOCAL_STORAGE_SCHEME)));
  if (url.startsWith(INDEXED_DB_SCHEME)) return made(() => browserIndexedDB(name(INDEXED_DB_SCHEME)));
  if (url.startsWith(DOWNLOADS_SCHEME)) {
    if (purpose === 'load') {
      throw new Error(`${what}('${url}'): downloads:// only saves (the browser downloads the files); serve them and load the model.json's http(s):// URL.`);
    }
    return made(() => browserDownloads(name(DOWNLOADS_SCHEME)));
  }
  throw new Error(
    `${what}('${url}'): dendrite/tfjs ${purpose === 'save' ? 'saves to' : 'loads from'} file:// (Node.js), localstorage://, indexeddb://, ` +
      `${purpose === 'save' ? 'downloads://, ' : ''}http(s):// URLs and IOHandlers; this URL names none of them.`,
  );
}

/** The model stores of this environment, by TF.js' scheme name (none in Node.js). */
function managers(): Map<string, { list: () => Promise<Record<string, ModelArtifactsInfo>>; remove: (path: string) => Promise<ModelArtifactsInfo> }> {
  const out = new Map<string, { list: () => Promise<Record<string, ModelArtifactsInfo>>; remove: (path: string) => Promise<ModelArtifactsInfo> }>();
  if (hasLocalStorage()) out.set('localstorage', { list: listLocalStorageModels, remove: removeLocalStorageModel });
  if (hasIndexedDB()) out.set('indexeddb', { list: listIndexedDBModels, remove: removeIndexedDBModel });
  return out;
}

function parse(url: string): { scheme: string; path: string } {
  const at = url.indexOf('://');
  if (at === -1) throw new Error(`The url string provided does not contain a scheme. Supported schemes are: ${[...managers().keys()].join(',')}`);
  return { scheme: url.slice(0, at), path: url.slice(at + 3) };
}

function manager(scheme: string) {
  const found = managers().get(scheme);
  if (!found) throw new Error(`Cannot find model manager for scheme '${scheme}'`);
  return found;
}

/** tf.io.listModels(): every model in localStorage and IndexedDB, by URL (`localstorage://name`), with its info. */
export async function listModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const [scheme, m] of managers()) {
    for (const [path, info] of Object.entries(await m.list())) out[`${scheme}://${path}`] = info;
  }
  return out;
}

/** tf.io.removeModel(url): deletes a stored model and returns its info. */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const { scheme, path } = parse(url);
  return manager(scheme).remove(path);
}

async function copy(sourceURL: string, destURL: string, move: boolean): Promise<ModelArtifactsInfo> {
  if (sourceURL === destURL) throw new Error(`Old path and new path are the same: '${sourceURL}'`);
  const what = move ? 'moveModel' : 'copyModel';
  const source = handlerFor(sourceURL, 'load', what);
  const dest = handlerFor(destURL, 'save', what);
  if (!source?.load) throw new Error(`Copying failed because no load handler is found for source URL ${sourceURL}.`);
  if (!dest?.save) throw new Error(`Copying failed because no save handler is found for destination URL ${destURL}.`);
  const from = parse(sourceURL).scheme;
  // the source must be removable before anything is read or written
  const sourceManager = move ? manager(from) : null;
  const artifacts = await source.load();
  // within one store the old copy goes first, so that both need not fit at once (as TF.js means to), and comes
  // back if the new one fails; across stores it goes only once the new one is saved
  const sameStore = from === parse(destURL).scheme;
  if (!sourceManager) return (await dest.save(artifacts)).modelArtifactsInfo;
  let result: SaveResult;
  if (sameStore) {
    await sourceManager.remove(parse(sourceURL).path);
    try {
      result = await dest.save(artifacts);
    } catch (error) {
      await source.save?.(artifacts);
      throw error;
    }
  } else {
    result = await dest.save(artifacts);
    await sourceManager.remove(parse(sourceURL).path);
  }
  return result.modelArtifactsInfo;
}

/** tf.io.copyModel(sourceURL, destURL): copies a model between stores (or within one); returns the copy's info. */
export function copyModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return copy(sourceURL, destURL, false);
}

/** tf.io.moveModel(sourceURL, destURL): copies a model, then deletes the source; returns the copy's info. */
export function moveModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return copy(sourceURL, destURL, true);
}
