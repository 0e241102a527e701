import { describe, expect, it } from '@jest/globals';
import { crc32 } from 'node:zlib';
import { checksumBytes, checksumText } from '../../../src/actions/flyway-migrate/checksum.js';

const b = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));
const BOM = [0xef, 0xbb, 0xbf];

describe('checksum (Flyway §3: CRC32 of the lines without terminators, signed)', () => {
  it('matches java.util.zip.CRC32 on known values', () => {
    // CRC32("abc") = 0x352441C2; CRC32("123456789") = 0xCBF43926 → negative as a Java int.
    expect(checksumBytes(b('abc'))).toBe(0x352441c2);
    expect(checksumBytes(b('123456789'))).toBe(0xcbf43926 | 0);
    expect(checksumBytes(b('123456789'))).toBe(-873187034);
  });

  it.each([
    ['LF', 'CREATE TABLE a (id INT);\nINSERT INTO a VALUES (1);\n'],
    ['CRLF', 'CREATE TABLE a (id INT);\r\nINSERT INTO a VALUES (1);\r\n'],
    ['CR', 'CREATE TABLE a (id INT);\rINSERT INTO a VALUES (1);\r'],
    ['no final newline', 'CREATE TABLE a (id INT);\nINSERT INTO a VALUES (1);'],
    ['blank lines', '\n\nCREATE TABLE a (id INT);\n\n\r\nINSERT INTO a VALUES (1);\n\n'],
    ['joined lines', 'CREATE TABLE a (id INT);INSERT INTO a VALUES (1);']
  ])('%s gives the same value', (_name, text) => {
    expect(checksumBytes(b(text))).toBe(
      checksumBytes(b('CREATE TABLE a (id INT);INSERT INTO a VALUES (1);'))
    );
  });

  it('spaces and tabs matter', () => {
    expect(checksumBytes(b('a b'))).not.toBe(checksumBytes(b('ab')));
    expect(checksumBytes(b('a\tb'))).not.toBe(checksumBytes(b('a b')));
    expect(checksumBytes(b('a \n'))).not.toBe(checksumBytes(b('a\n')));
  });

  it.each([
    ['empty', []],
    ['BOM only', BOM],
    ['newlines only', [0x0a, 0x0d, 0x0a, 0x0d]],
    ['BOM and CRLF', [...BOM, 0x0d, 0x0a]]
  ])('%s file gives 0', (_name, bytes) => {
    expect(checksumBytes(b(bytes))).toBe(0);
  });

  it('drops one leading BOM only', () => {
    expect(checksumBytes(b([...BOM, ...b('x')]))).toBe(checksumBytes(b('x')));
    // The second BOM is data: hashed as its bytes (what CRC32 of BOM+"x" is without any stripping).
    expect(checksumBytes(b([...BOM, ...BOM, ...b('x')]))).toBe(crc32(b([...BOM, ...b('x')])) | 0);
    expect(checksumBytes(b([...BOM, ...BOM, ...b('x')]))).not.toBe(checksumBytes(b('x')));
    expect(checksumBytes(b([...b('x'), ...BOM]))).not.toBe(checksumBytes(b('x')));
  });

  it('hashes Korean text as UTF-8 bytes', () => {
    const korean = "INSERT INTO t VALUES ('한국어');\n";
    expect(checksumBytes(b(korean))).toBe(checksumBytes(b(korean.replace('\n', '\r\n'))));
    expect(checksumBytes(b(korean))).toBe(checksumBytes(Buffer.from("INSERT INTO t VALUES ('한국어');")));
    expect(checksumBytes(b(korean))).not.toBe(checksumBytes(b("INSERT INTO t VALUES ('???');\n")));
  });

  it.each([
    ['U+2028', '\u2028'],
    ['U+0085', '\u0085'],
    ['form feed', '\f']
  ])('%s is not a line break', (_name, ch) => {
    expect(checksumBytes(b(`a${ch}b`))).not.toBe(checksumBytes(b('ab')));
  });

  it("rejects bytes that are not UTF-8 with Flyway's message", () => {
    expect(() => checksumBytes(b([0x61, 0xff]), 'V1__x.sql')).toThrow(
      /^Unable to calculate checksum of V1__x.sql\nPlease ensure/
    );
  });

  it('checksumText equals checksumBytes of the UTF-8 text, BOM included', () => {
    expect(checksumText('\uFEFFa\r\nb')).toBe(checksumBytes(b('ab')));
    expect(checksumText('')).toBe(0);
  });
});
