/** Kinds of token the lexer reports. */
export const Tok = {
  /** End of input. */
  Eof: 0,
  /** Unquoted identifier or keyword. */
  Word: 1,
  /** `back-quoted` identifier. */
  QuotedIdent: 2,
  /** 'single' or "double" quoted string. */
  String: 3,
  /** N'national' string. */
  NString: 4,
  /** X'hex' string. */
  HexString: 5,
  /** b'bits' string. */
  BitString: 6,
  /** 0x hex number. */
  HexNumber: 7,
  /** 0b bit number. */
  BitNumber: 8,
  /** Unsigned decimal integer. */
  Integer: 9,
  /** Fixed-point number such as 1.5 or .5. */
  Decimal: 10,
  /** Number with an exponent such as 1e5. */
  Float: 11,
  /** \N, MySQL's shorthand for NULL. */
  NullEscape: 12,
  /** Any other single character. */
  Punct: 13,
} as const;

/** One of the values of `Tok`. */
export type TokenType = (typeof Tok)[keyof typeof Tok];
