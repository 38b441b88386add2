// The `.keras` archive: a zip holding config.json (the model), metadata.json (Keras' version, the date) and
// model.weights.h5 (the variables), as Keras 3's saving_lib writes it (stored, not compressed). The zip is
// untrusted: only those three members are extracted, and each one's size, as its header declares it, is checked
// before its memory is allocated; the inflater writes into a buffer of that size and no further. Browser-safe.
import { unzipSync, zipSync } from 'fflate';

export const CONFIG = 'config.json';
export const METADATA = 'metadata.json';
export const WEIGHTS = 'model.weights.h5';

/** Largest members read: the JSON files are kilobytes in practice; the weights may be large, but fit an ArrayBuffer. */
const LIMITS = new Map<string, number>([
  [CONFIG, 64 * 2 ** 20],
  [METADATA, 2 ** 20],
  [WEIGHTS, 2 ** 31 - 1],
]);

export interface KerasArchive {
  config: Uint8Array;
  metadata: Uint8Array | null;
  weights: Uint8Array;
}

/** The members of a `.keras` file's bytes; `fileName` names it in errors. */
export function readKerasArchive(bytes: Uint8Array, fileName: string): KerasArchive {
  const tooBig: string[] = [];
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter(file) {
        const limit = LIMITS.get(file.name);
        if (limit === undefined) return false;
        if (file.originalSize > limit) {
          tooBig.push(`${file.name} (${file.originalSize} bytes, at most ${limit} read)`);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw new Error(`${fileName} is not a readable zip archive (a .keras file is one): ${(error as Error).message}.`);
  }
  if (tooBig.length > 0) throw new Error(`${fileName}: ${tooBig.join(', ')} is too large.`);
  const missing = [CONFIG, WEIGHTS].filter((name) => !Object.hasOwn(members, name));
  if (missing.length > 0) {
    throw new Error(`${fileName} has no ${missing.join(' and no ')}; a Keras 3 .keras archive holds ${CONFIG}, ${METADATA} and ${WEIGHTS}.`);
  }
  return { config: members[CONFIG], metadata: Object.hasOwn(members, METADATA) ? members[METADATA] : null, weights: members[WEIGHTS] };
}

/** The bytes of a `.keras` archive (members stored uncompressed, in Keras' order). */
export function writeKerasArchive(archive: { config: string; metadata: string; weights: Uint8Array }): Uint8Array {
  const encode = (text: string) => new TextEncoder().encode(text);
  return zipSync(
    { [METADATA]: encode(archive.metadata), [CONFIG]: encode(archive.config), [WEIGHTS]: archive.weights },
    { level: 0, mtime: new Date('2000-01-01T00:00:00Z') },
  );
}
