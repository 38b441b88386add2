// Bytes of a table file to text, chunk by chunk. UTF-8 is checked: a file in another encoding (Latin-1,
// Windows-1252, UTF-16) must not be read silently with replacement characters in place of its letters, so an
// invalid byte is an error naming its line, and `encoding: 'latin1'` reads such files.
import { TableError } from './errors.js';

export type TextEncoding = 'utf8' | 'latin1';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf8', 'latin1'];

/** Decodes a byte stream in chunks; `line` counts the line breaks seen so far, for messages. */
export class ChunkDecoder {
  private readonly utf8: TextDecoder | null;
  private line = 1;
  private offset = 0;
  private first = true;

  constructor(
    readonly encoding: TextEncoding,
    private readonly source: string,
  ) {
    if (encoding !== 'utf8' && encoding !== 'latin1') throw new TableError(`encoding must be 'utf8' or 'latin1', got ${JSON.stringify(encoding)}.`);
    this.utf8 = encoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true }) : null;
  }

  /** The text of the next chunk (a character split across chunks comes out whole with the next one). */
  decode(bytes: Uint8Array): string {
    if (this.first && bytes.length > 0) {
      this.first = false;
      if (this.encoding === 'utf8') checkNotUtf16(bytes, this.source);
    }
    let text: string;
    if (this.utf8) {
      try {
        text = this.utf8.decode(bytes, { stream: true });
      } catch {
        throw this.invalid(bytes);
      }
    } else {
      text = latin1(bytes);
    }
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) this.line++;
    this.offset += bytes.length;
    return text;
  }

  /** The end of the input: a character cut off by the end of the file is an error too. */
  end(): string {
    if (!this.utf8) return '';
    try {
      return this.utf8.decode();
    } catch {
      throw new TableError(
        `${this.source}, line ${this.line}: the file ends inside a UTF-8 character (is it truncated, or not UTF-8? pass --encoding latin1 for a Latin-1 file).`,
      );
    }
  }

  private invalid(bytes: Uint8Array): TableError {
    const at = firstInvalidUtf8(bytes);
    let line = this.line;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    const shown = Array.from(bytes.subarray(at, Math.min(at + 2, bytes.length)), (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    return new TableError(
      `${this.source}, line ${line}: the file is not valid UTF-8 (byte ${shown} at byte ${this.offset + at + 1}); it is probably Latin-1 or Windows-1252: pass --encoding latin1 (or save it as UTF-8).`,
    );
  }
}

/** ISO-8859-1: each byte is the code point of the same number (in slices: `fromCharCode` takes its bytes as arguments). */
function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]));
  return parts.join('');
}

function checkNotUtf16(bytes: Uint8Array, source: string): void {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new TableError(`${source} is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 (or Latin-1 with --encoding latin1).`);
  }
}

/**
 * The index of the first byte that does not belong to a valid UTF-8 sequence (the WHATWG rules: no overlong
 * forms, no surrogates, nothing above U+10FFFF). A sequence cut off by the end of `bytes` counts as valid (the
 * next chunk may complete it). Returns `bytes.length` when all is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return n;
      const c = bytes[i + k];
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}
