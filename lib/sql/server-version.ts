import { isDigit } from './char-codes.js';

/** MYSQL_VERSION_ID of the version this server announces by default, 8.0.36. */
export const DEFAULT_SERVER_VERSION_ID = 80036;

const DOT = 0x2e;

// A server has one version string: remember the last answer so a statement costs no parsing.
let lastVersion = '';
let lastId = DEFAULT_SERVER_VERSION_ID;

/**
 * MySQL's MYSQL_VERSION_ID for a version string, major * 10000 + minor * 100 + patch,
 * from its leading `major[.minor[.patch]]` ('8.0.36-log' → 80036): what `/*!NNNNN`
 * comments are compared with. Without a leading digit: DEFAULT_SERVER_VERSION_ID.
 */
export function serverVersionId(version: string): number {
  if (version === lastVersion) return lastId;
  let id = DEFAULT_SERVER_VERSION_ID;
  if (isDigit(version.charCodeAt(0))) {
    id = 0;
    let p = 0;
    for (let scale = 10000; scale >= 1; scale /= 100) {
      let part = 0;
      // Minor and patch have two digits in the id; a longer one would spill into its neighbour.
      for (; isDigit(version.charCodeAt(p)); p++) part = part * 10 + version.charCodeAt(p) - 0x30;
      id += (scale === 10000 ? part : Math.min(part, 99)) * scale;
      if (version.charCodeAt(p) !== DOT || !isDigit(version.charCodeAt(p + 1))) break;
      p++;
    }
  }
  lastVersion = version;
  lastId = id;
  return id;
}
