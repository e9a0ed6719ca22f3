/** One text-protocol cell: its text or bytes, a finite number the writer formats in place, or NULL. */
export type Cell = string | Buffer | number | null;

/** How a column's values become text, chosen once per column. */
export type CellFormat = 'text' | 'binary' | 'json' | 'datetime' | 'date';

/** Options that change how values are written. */
export interface EncodeOptions {
  /** Write dates in UTC (true) or in the server's local time zone (false). */
  readonly utc: boolean;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad3 = (n: number): string => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));
const pad4 = (n: number): string =>
  n < 0 ? '-' + pad4(-n) : n < 1000 ? ('000' + n).slice(-4) : String(n);

/** `YYYY-MM-DD`, or null for an invalid date. */
export function formatDate(d: Date, utc: boolean): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  return utc
    ? `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
    : `${pad4(d.getFullYear())}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

const MS_PER_DAY = 86_400_000;

/** The last day formatted in each zone: the dates of one result set mostly share their day. */
const lastDay = { utc: { day: Number.NaN, text: '' }, local: { day: Number.NaN, text: '' } };

/**
 * `YYYY-MM-DD HH:MM:SS.mmm` (DATETIME(3)), or null for an invalid date. The
 * time of day is computed from the instant and its zone offset rather than
 * through six Date getters, which cost more than the rest of a row.
 */
export function formatDateTime(d: Date, utc: boolean): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  // Wall-clock milliseconds in the zone; the offset is this instant's, so DST is honoured.
  const wall = utc ? t : t - d.getTimezoneOffset() * 60_000;
  const day = Math.floor(wall / MS_PER_DAY);
  let rest = Math.round(wall - day * MS_PER_DAY);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  // Old local-mean-time offsets have seconds, which getTimezoneOffset()
  // rounds away: the getters are then the only exact source.
  if (!utc && seconds !== d.getSeconds()) return formatWithGetters(d);
  const cached = utc ? lastDay.utc : lastDay.local;
  if (cached.day !== day) {
    cached.text = formatDate(d, utc)!;
    cached.day = day;
  }
  return `${cached.text} ${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}`;
}

function formatWithGetters(d: Date): string {
  return `${formatDate(d, false)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
}

/**
 * JSON text that keeps bigints exact (JSON.stringify refuses them). Follows
 * JSON.stringify otherwise: toJSON() is honoured, undefined, functions and
 * symbols are dropped from objects and become null in arrays, and a cycle
 * throws a TypeError.
 */
export function toJsonText(value: unknown): string | null {
  return writeJson(value, '', new Set<object>()) ?? null;
}

function writeJson(value: unknown, key: string, stack: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (stack.has(value)) throw new TypeError('Converting circular structure to JSON');
      stack.add(value);
      const parts: string[] = [];
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
          parts.push(writeJson(value[i], String(i), stack) ?? 'null');
        stack.delete(value);
        return '[' + parts.join(',') + ']';
      }
      for (const k of Object.keys(value)) {
        const v = writeJson((value as Record<string, unknown>)[k], k, stack);
        if (v !== undefined) parts.push(JSON.stringify(k) + ':' + v);
      }
      stack.delete(value);
      return '{' + parts.join(',') + '}';
    }
    default:
      return undefined;
  }
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/** The text form of any value, as a VARCHAR column shows it. */
export function toText(value: unknown, options: EncodeOptions): Cell {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // Written by the packet writer, integers without building a string at all.
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '0';
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return formatDateTime(value, options.utc);
      if (isBytes(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return toJsonText(value);
    default:
      // functions and symbols have no SQL value
      return null;
  }
}

/** Encodes one value for a column of the given format. */
export function encodeCell(value: unknown, format: CellFormat, options: EncodeOptions): Cell {
  if (value === null || value === undefined) return null;
  switch (format) {
    case 'text':
      return toText(value, options);
    case 'json':
      return toJsonText(value);
    case 'datetime':
      return value instanceof Date ? formatDateTime(value, options.utc) : toText(value, options);
    case 'date':
      return value instanceof Date ? formatDate(value, options.utc) : toText(value, options);
    case 'binary':
      return typeof value === 'string' ? Buffer.from(value, 'utf8') : toText(value, options);
  }
}
