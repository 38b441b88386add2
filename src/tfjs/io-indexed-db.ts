// indexeddb://name: models in IndexedDB, in TF.js' layout, so that a model TF.js saved loads here and the other
// way round. The database `tensorflowjs` (version 1) holds two object stores keyed by `modelPath`:
// `models_store` with `{ modelPath, modelArtifacts, modelArtifactsInfo }` (the artifacts as structured clones,
// the weights in one ArrayBuffer) and `model_info_store` with `{ modelPath, modelArtifactsInfo }`, so that
// listing models reads no weights. Browsers and Web Workers have IndexedDB; Node.js does not.
import { artifactsInfo } from './artifacts.js';
import { joinWeightData } from './io-encoding.js';
import type { IOHandler, ModelArtifacts, ModelArtifactsInfo, SaveResult } from './io-types.js';

export const INDEXED_DB_SCHEME = 'indexeddb://';
const DATABASE = 'tensorflowjs';
const VERSION = 1;
const MODELS = 'models_store';
const INFOS = 'model_info_store';

interface InfoRecord {
  modelPath: string;
  modelArtifactsInfo: ModelArtifactsInfo;
}
interface ModelRecord extends InfoRecord {
  modelArtifacts: ModelArtifacts;
}

/** This environment's IndexedDB, or TF.js' error where there is none. */
function factory(): IDBFactory {
  let found: IDBFactory | undefined;
  try {
    found = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  } catch {
    // storage blocked for the page
  }
  if (found == null) throw new Error('The current browser does not appear to support IndexedDB.');
  return found;
}

/** Opens TF.js' database, making its two stores the first time. */
function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory().open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(INFOS)) db.createObjectStore(INFOS, { keyPath: 'modelPath' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `work` in one transaction over `stores` and resolves with what `work` gave once the transaction has
 * committed (all of it or nothing); the database is closed either way.
 */
async function inTransaction<T>(
  stores: string[],
  mode: IDBTransactionMode,
  work: (tx: IDBTransaction, done: (value: T) => void, fail: (error: unknown) => void) => void,
): Promise<T> {
  const db = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      let result: { value: T } | null = null;
      let failure: { error: unknown } | null = null;
      tx.oncomplete = () => (failure ? reject(failure.error) : resolve(result!.value));
      tx.onerror = () => reject(failure?.error ?? tx.error);
      tx.onabort = () => reject(failure?.error ?? tx.error);
      try {
        work(
          tx,
          (value) => {
            result = { value };
          },
          (error) => {
            failure ??= { error };
            tx.abort();
          },
        );
      } catch (error) {
        // a value the structured clone cannot copy throws from put() itself
        failure ??= { error };
        tx.abort();
      }
    });
  } finally {
    db.close();
  }
}

function stripScheme(path: string): string {
  return path.startsWith(INDEXED_DB_SCHEME) ? path.slice(INDEXED_DB_SCHEME.length) : path;
}

function notFound(path: string): Error {
  return new Error(`Cannot find model with path '${path}' in IndexedDB.`);
}

class BrowserIndexedDB implements IOHandler {
  constructor(private readonly modelPath: string) {
    factory();
    if (modelPath == null || !modelPath) throw new Error('For IndexedDB, modelPath must not be null, undefined or empty.');
  }

  async save(artifacts: ModelArtifacts): Promise<SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('BrowserLocalStorage.save() does not support saving model topology in binary formats yet.');
    }
    const modelArtifacts: ModelArtifacts = { ...artifacts, weightData: joinWeightData(artifacts.weightData) };
    const modelArtifactsInfo = artifactsInfo(modelArtifacts);
    const modelPath = this.modelPath;
    await inTransaction<void>([INFOS, MODELS], 'readwrite', (tx, done) => {
      tx.objectStore(INFOS).put({ modelPath, modelArtifactsInfo } satisfies InfoRecord);
      tx.objectStore(MODELS).put({ modelPath, modelArtifacts, modelArtifactsInfo } satisfies ModelRecord);
      done();
    });
    return { modelArtifactsInfo };
  }

  async load(): Promise<ModelArtifacts> {
    const modelPath = this.modelPath;
    return inTransaction<ModelArtifacts>([MODELS], 'readonly', (tx, done, fail) => {
      const request = tx.objectStore(MODELS).get(modelPath);
      request.onsuccess = () => {
        const record = request.result as ModelRecord | undefined;
        if (record == null) fail(notFound(modelPath));
        else done(record.modelArtifacts);
      };
    });
  }
}

/** tf.io.browserIndexedDB(modelPath): a handler that saves to and loads from IndexedDB, as TF.js'. */
export function browserIndexedDB(modelPath: string): IOHandler {
  return new BrowserIndexedDB(modelPath);
}

/** Whether this environment has IndexedDB (pages and Web Workers do; Node.js does not). */
export function hasIndexedDB(): boolean {
  try {
    return factory() != null;
  } catch {
    return false;
  }
}

/** The models in IndexedDB, by name (the path after indexeddb://), with their info. */
export async function listIndexedDBModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const records = await inTransaction<InfoRecord[]>([INFOS], 'readonly', (tx, done) => {
    const request = tx.objectStore(INFOS).getAll();
    request.onsuccess = () => done(request.result as InfoRecord[]);
  });
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const r of records) out[r.modelPath] = r.modelArtifactsInfo;
  return out;
}

/** Removes a model from IndexedDB (both stores, in one transaction) and returns its info. */
export async function removeIndexedDBModel(path: string): Promise<ModelArtifactsInfo> {
  const modelPath = stripScheme(path);
  return inTransaction<ModelArtifactsInfo>([INFOS, MODELS], 'readwrite', (tx, done, fail) => {
    const request = tx.objectStore(INFOS).get(modelPath);
    request.onsuccess = () => {
      const record = request.result as InfoRecord | undefined;
      if (record == null) return fail(notFound(modelPath));
      tx.objectStore(INFOS).delete(modelPath);
      tx.objectStore(MODELS).delete(modelPath);
      done(record.modelArtifactsInfo);
    };
  });
}
