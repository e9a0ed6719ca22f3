import { Buffer } from 'node:buffer';
import { isDigit, isHexDigit } from '../sql/char-codes.js';

/** MySQL refuses JSON documents nested deeper than this (ER_JSON_DOCUMENT_TOO_DEEP). */
export const JSON_MAX_DEPTH = 100;

/** Why a text is not JSON, in the words MySQL 8's parser uses, and where (a byte offset). */
export interface JsonTextError {
  readonly reason: string;
  /** Byte offset into the UTF-8 text, as MySQL reports it; -1 when too deep. */
  readonly position: number;
}

/** The messages of MySQL's JSON parser. */
const REASON = {
  empty: 'The document is empty.',
  notSingular: 'The document root must not be followed by other values.',
  value: 'Invalid value.',
  missName: 'Missing a name for object member.',
  missColon: 'Missing a colon after a name of object member.',
  missCommaCurly: "Missing a comma or '}' after an object member.",
  missCommaSquare: "Missing a comma or ']' after an array element.",
  hex: 'Incorrect hex digit after \\u escape in string.',
  surrogate: 'The surrogate pair in string is invalid.',
  escape: 'Invalid escape character in string.',
  quote: 'Missing a closing quotation mark in string.',
  encoding: 'Invalid encoding in string.',
  tooBig: 'Number too big to be stored in double.',
  fraction: 'Miss fraction part in number.',
  exponent: 'Miss exponent in number.',
} as const;

class JsonSyntax {
  constructor(
    readonly reason: string,
    readonly index: number,
  ) {}
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Checks that `text` is one JSON document, the way MySQL 8 does before it
 * stores a JSON value: null when it is, else the parser's message and the
 * byte offset it stopped at. Iterative, so depth costs no stack; documents
 * nested deeper than 100 are refused like MySQL's.
 */
export function checkJsonText(text: string): JsonTextError | null {
  try {
    new JsonChecker(text).document();
    return null;
  } catch (e) {
    if (e === TOO_DEEP) return { reason: '', position: -1 };
    if (!(e instanceof JsonSyntax)) throw e;
    // MySQL counts bytes of UTF-8; only an error needs the conversion.
    return { reason: e.reason, position: Buffer.byteLength(text.slice(0, e.index), 'utf8') };
  }
}

const TOO_DEEP = Symbol('too deep');

class JsonChecker {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(reason: string, at = this.i): never {
    throw new JsonSyntax(reason, at);
  }

  private skipWs(): void {
    const s = this.s;
    while (this.i < s.length && isWs(s.charCodeAt(this.i))) this.i++;
  }

  private peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  document(): void {
    this.skipWs();
    if (this.i >= this.s.length) this.fail(REASON.empty);
    this.value();
    this.skipWs();
    if (this.i < this.s.length) this.fail(REASON.notSingular);
  }

  /** One value; containers are walked with an explicit stack of what closes them. */
  private value(): void {
    const closers: number[] = [];
    for (;;) {
      // Read a value; an opening bracket pushes and reads its first member.
      let c = this.peek();
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (closers.length >= JSON_MAX_DEPTH) throw TOO_DEEP;
        this.i++;
        this.skipWs();
        if (c === 0x7b) {
          if (this.peek() === 0x7d) {
            this.i++;
          } else {
            closers.push(0x7d);
            this.member();
            continue;
          }
        } else if (this.peek() === 0x5d) {
          this.i++;
        } else {
          closers.push(0x5d);
          continue;
        }
      } else {
        this.scalar();
      }
      // After a value: a comma continues its container, the closer ends it.
      for (;;) {
        const closer = closers[closers.length - 1];
        if (closer === undefined) return;
        this.skipWs();
        c = this.peek();
        if (c === 0x2c /* , */) {
          this.i++;
          this.skipWs();
          if (closer === 0x7d) this.member();
          break;
        }
        if (c === closer) {
          this.i++;
          closers.pop();
          continue;
        }
        this.fail(closer === 0x7d ? REASON.missCommaCurly : REASON.missCommaSquare);
      }
    }
  }

  /** `"name" :` and the whitespace before the member's value. */
  private member(): void {
    if (this.peek() !== 0x22) this.fail(REASON.missName);
    this.string();
    this.skipWs();
    if (this.peek() !== 0x3a) this.fail(REASON.missColon);
    this.i++;
    this.skipWs();
  }

  private scalar(): void {
    switch (this.peek()) {
      case 0x22:
        return this.string();
      case 0x6e:
        return this.literal('null');
      case 0x74:
        return this.literal('true');
      case 0x66:
        return this.literal('false');
      default:
        return this.number();
    }
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (this.peek() !== word.charCodeAt(k)) this.fail(REASON.value);
      this.i++;
    }
  }

  private number(): void {
    const s = this.s;
    const start = this.i;
    if (this.peek() === 0x2d) this.i++;
    const c = this.peek();
    if (c === 0x30) this.i++;
    else if (c >= 0x31 && c <= 0x39) {
      while (isDigit(this.peek())) this.i++;
    } else this.fail(REASON.value);
    if (this.peek() === 0x2e) {
      this.i++;
      if (!isDigit(this.peek())) this.fail(REASON.fraction);
      while (isDigit(this.peek())) this.i++;
    }
    if ((this.peek() | 0x20) === 0x65) {
      this.i++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.i++;
      if (!isDigit(this.peek())) this.fail(REASON.exponent);
      while (isDigit(this.peek())) this.i++;
    }
    if (!Number.isFinite(Number(s.slice(start, this.i)))) this.fail(REASON.tooBig, start);
  }

  private string(): void {
    const s = this.s;
    this.i++;
    for (;;) {
      if (this.i >= s.length) this.fail(REASON.quote);
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c === 0x5c) {
        const escapeAt = this.i;
        const e = s.charCodeAt(this.i + 1);
        if (e === 0x75 /* u */) {
          const high = this.hex4(this.i + 2, escapeAt);
          this.i += 6;
          if (high >= 0xd800 && high <= 0xdbff) {
            if (s.charCodeAt(this.i) !== 0x5c || s.charCodeAt(this.i + 1) !== 0x75) {
              this.fail(REASON.surrogate, escapeAt);
            }
            const low = this.hex4(this.i + 2, escapeAt);
            if (low < 0xdc00 || low > 0xdfff) this.fail(REASON.surrogate, escapeAt);
            this.i += 6;
          } else if (high >= 0xdc00 && high <= 0xdfff) {
            this.fail(REASON.surrogate, escapeAt);
          }
          continue;
        }
        // " \ / b f n r t
        if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          this.i += 2;
          continue;
        }
        this.fail(REASON.escape, escapeAt);
      }
      if (c < 0x20) this.fail(c === 0 ? REASON.quote : REASON.encoding);
      this.i++;
    }
  }

  private hex4(at: number, escapeAt: number): number {
    const s = this.s;
    for (let k = 0; k < 4; k++) {
      if (!isHexDigit(s.charCodeAt(at + k))) this.fail(REASON.hex, escapeAt);
    }
    return parseInt(s.slice(at, at + 4), 16);
  }
}
