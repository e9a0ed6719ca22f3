import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { decodeQueryText } from '../sql/query-text.js';

/** Bytes decoded between two turns of the event loop. */
export const DECODE_SLICE = 1024 * 1024;

/**
 * Decodes `bytes[from..]` as decodeQueryText does, a slice at a time with a
 * turn of the event loop between slices, so that a statement of tens of MiB
 * does not hold up other connections while it is decoded. A sequence cut by
 * a slice boundary is completed from the next slice. (Text that is not valid
 * UTF-8, `_binary` literals' raw bytes, is decoded in one go.)
 */
export async function decodeUtf8InSlices(
  bytes: Buffer,
  from: number,
  slice = DECODE_SLICE,
): Promise<string> {
  if (!isUtf8(bytes.subarray(from))) return decodeQueryText(bytes, from);
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  for (let offset = from; offset < bytes.length; offset += slice) {
    if (offset > from) await new Promise<void>((resolve) => setImmediate(resolve));
    parts.push(decoder.write(bytes.subarray(offset, Math.min(bytes.length, offset + slice))));
  }
  parts.push(decoder.end());
  // join() builds one flat string, which the lexer then reads at full speed.
  return parts.join('');
}
