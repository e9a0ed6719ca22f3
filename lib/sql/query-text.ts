import { Buffer, isUtf8 } from 'node:buffer';

/**
 * A query's bytes are UTF-8 text, except inside `_binary'...'` literals,
 * where clients (the mariadb connector, Go's interpolateParams, JDBC's
 * client-side prepares) send raw bytes as they are. A query that is not
 * valid UTF-8 is therefore decoded losslessly: each byte that is not part
 * of a valid sequence becomes a lone surrogate U+DC80..U+DCFF (which valid
 * UTF-8 never yields), and `binaryLiteralBytes` turns it back into that
 * byte. Valid queries, nearly all of them, take Node's own decoder.
 */
export function decodeQueryText(bytes: Uint8Array, from = 0): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + from, bytes.byteLength - from);
  if (isUtf8(view)) return view.toString('utf8');
  return decodeKeepingInvalidBytes(view);
}

const ESCAPE_BASE = 0xdc00;

function decodeKeepingInvalidBytes(b: Buffer): string {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < b.length) {
    const length = validSequenceLength(b, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (start < i) parts.push(b.toString('utf8', start, i));
    parts.push(String.fromCharCode(ESCAPE_BASE + b[i]!));
    i++;
    start = i;
  }
  if (start < b.length) parts.push(b.toString('utf8', start));
  return parts.join('');
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there does not start one. */
function validSequenceLength(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number): boolean => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1]!;
    // No overlong forms, no surrogates.
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0)) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1]!;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return 0;
    return 4;
  }
  return 0;
}

// A low surrogate that is not the second half of a pair.
const ESCAPED_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** The bytes of a `_binary` string literal's text: UTF-8, with escaped raw bytes (see decodeQueryText) restored. */
export function binaryLiteralBytes(text: string): Buffer {
  if (!ESCAPED_BYTE.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc80 || code > 0xdcff) continue;
    const before = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (before >= 0xd800 && before <= 0xdbff) continue;
    if (start < i) parts.push(Buffer.from(text.slice(start, i), 'utf8'));
    parts.push(Buffer.from([code - ESCAPE_BASE]));
    start = i + 1;
  }
  if (start < text.length) parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}
