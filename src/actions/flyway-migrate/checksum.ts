/**
 * Flyway's checksum: CRC32 over the UTF-8 bytes of each line without its terminator, i.e. over the file
 * with one leading BOM removed and every CR and LF byte dropped, as a signed 32-bit integer.
 * Node's zlib.crc32 is the same CRC-32 (IEEE) as java.util.zip.CRC32.
 */
import { crc32 } from 'node:zlib';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Throws when the bytes are not valid UTF-8, as Flyway's REPORTing decoder does. */
export function assertUtf8(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error(
      `Unable to calculate checksum of ${file}\nPlease ensure you have configured the correct file encoding with 'flyway.encoding' or enable 'flyway.detectEncoding' to let Flyway detect it for you`
    );
  }
}

/** The checksum of raw file bytes (validated as UTF-8 first). */
export function checksumBytes(bytes: Uint8Array, file = '<input>'): number {
  assertUtf8(bytes, file);
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const kept = Buffer.allocUnsafe(bytes.length - start);
  let n = 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b !== 0x0d && b !== 0x0a) kept[n++] = b;
  }
  return crc32(kept.subarray(0, n)) | 0;
}

/** The checksum of text (e.g. after placeholder replacement), computed as Flyway does on its lines. */
export function checksumText(text: string): number {
  return checksumBytes(Buffer.from(text, 'utf8'));
}
