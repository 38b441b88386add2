// downloads://name: the browser downloads the model as two files, as TF.js' handler does: `name.json` (the
// model.json, whose manifest names `./name.weights.bin`) and `name.weights.bin` (all the weights). Save only;
// pages only (it clicks download links). `name` defaults to `model`.
import { artifactsInfo } from './artifacts.js';
import { joinWeightData, modelJsonFor } from './io-encoding.js';
import type { IOHandler, ModelArtifacts, SaveResult } from './io-types.js';

export const DOWNLOADS_SCHEME = 'downloads://';

/** Runs `f` on a later turn of the event loop: browsers may keep only the last of downloads started together. */
function later(f: () => void): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve)).then(f);
}

/** Starts the download of `url` as `fileName`, by a click on a link that is never put in the page. */
function download(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.download = fileName;
  link.href = url;
  link.dispatchEvent(new MouseEvent('click'));
  // the download has its bytes once started; the page need not hold them for good (TF.js never lets them go)
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

class BrowserDownloads implements IOHandler {
  private readonly jsonFileName: string;
  private readonly weightsFileName: string;

  constructor(fileNamePrefix = 'model') {
    if (typeof window === 'undefined' || typeof document === 'undefined') {
      throw new Error('browserDownloads() cannot proceed because the current environment is not a browser.');
    }
    let prefix = fileNamePrefix.startsWith(DOWNLOADS_SCHEME) ? fileNamePrefix.slice(DOWNLOADS_SCHEME.length) : fileNamePrefix;
    if (prefix.length === 0) prefix = 'model';
    this.jsonFileName = `${prefix}.json`;
    this.weightsFileName = `${prefix}.weights.bin`;
  }

  async save(artifacts: ModelArtifacts): Promise<SaveResult> {
    if (typeof document === 'undefined') throw new Error('Browser downloads are not supported in this environment since `document` is not present');
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('BrowserDownloads.save() does not support saving model topology in binary formats yet.');
    }
    const json = modelJsonFor(artifacts, [`./${this.weightsFileName}`]);
    const jsonUrl = URL.createObjectURL(new Blob([JSON.stringify(json)], { type: 'application/json' }));
    await later(() => download(jsonUrl, this.jsonFileName));
    if (artifacts.weightData != null) {
      const weightsUrl = URL.createObjectURL(new Blob([joinWeightData(artifacts.weightData)], { type: 'application/octet-stream' }));
      await later(() => download(weightsUrl, this.weightsFileName));
    }
    return { modelArtifactsInfo: artifactsInfo(artifacts) };
  }
}

/** tf.io.browserDownloads(fileNamePrefix = 'model'): a handler whose save downloads `prefix.json` and `prefix.weights.bin`. */
export function browserDownloads(fileNamePrefix = 'model'): IOHandler {
  return new BrowserDownloads(fileNamePrefix);
}
