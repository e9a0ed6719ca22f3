import fc from 'fast-check';
import {
  EvaluationError,
  evaluate,
  likeMatch,
  ValueOutOfRangeError,
} from '../../../../lib/sql/expression/index.js';
import {
  EmptyQueryError,
  IllegalDoubleError,
  parseStatement,
  SqlSyntaxError,
  SqlUnsupportedError,
  TooManySelectItemsError,
} from '../../../../lib/sql/index.js';
import { context, parse } from './helpers.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integer expression and its exact value (null: out of BIGINT's range somewhere). */
type Arith = { text: string; value: bigint | null };

const leaf: fc.Arbitrary<Arith> = fc
  .bigInt({ min: -(2n ** 40n), max: 2n ** 40n })
  .map((n) => ({ text: n < 0n ? `(${n})` : `${n}`, value: n }));

const arith: fc.Arbitrary<Arith> = fc.letrec<{ e: Arith }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => {
      let value: bigint | null = null;
      if (a.value !== null && b.value !== null) {
        const v =
          op === '+' ? a.value + b.value : op === '-' ? a.value - b.value : a.value * b.value;
        value = v < INT64_MIN || v > INT64_MAX ? null : v;
      }
      return { text: `(${a.text} ${op} ${b.text})`, value };
    }),
  ),
})).e;

describe('property: integer arithmetic is exact, or ERR 1690 when it leaves BIGINT', () => {
  it('agrees with BigInt', () => {
    fc.assert(
      fc.property(arith, ({ text, value }) => {
        let got: unknown;
        try {
          got = evaluate(parse(text), context());
        } catch (error) {
          expect(error).toBeInstanceOf(ValueOutOfRangeError);
          expect(value).toBeNull();
          return;
        }
        expect(value).not.toBeNull();
        expect(BigInt(got as number | bigint)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});

/** LIKE by a regular expression, the obvious way, for short inputs. */
function likeByRegExp(text: string, pattern: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'u').test(text);
}

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('property: LIKE matches as % and _ mean', () => {
  it('agrees with a regular expression under a binary collation', () => {
    const alphabet = fc.constantFrom('a', 'b', '%', '_', '\\', 'é', '😀');
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 8 }),
        fc.string({ unit: alphabet, maxLength: 6 }),
        (text, pattern) => {
          expect(likeMatch(text, pattern, 0x5c, false, () => undefined)).toBe(
            likeByRegExp(text, pattern),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});

const PIECES = [
  '1',
  '2.5',
  '1e3',
  "'a'",
  'NULL',
  '@a',
  '@@x',
  'a',
  't.a',
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
  'DIV',
  '%',
  '=',
  '<',
  '>',
  '!',
  '<=>',
  'AND',
  'OR',
  'NOT',
  'XOR',
  'IS',
  'IN',
  'LIKE',
  'BETWEEN',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'AS',
  'SIGNED',
  'CONCAT',
  'IF',
  'COUNT',
  '*',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'LIMIT',
  'information_schema.TABLES',
  'SELECT',
  ' ',
  '?',
  ':=',
];

describe('property: a SELECT parses or fails with the parser’s own errors', () => {
  it('for strings of SQL pieces', () => {
    const sql = fc
      .array(fc.constantFrom(...PIECES), { maxLength: 30 })
      .map((p) => 'SELECT ' + p.join(' '));
    fc.assert(
      fc.property(sql, (text) => {
        try {
          const statement = parseStatement(text);
          expect(['select', 'query', 'other']).toContain(statement.kind);
          if (statement.kind === 'query') {
            // Whatever parsed evaluates or fails with one of MySQL's errors.
            try {
              for (const item of statement.query.items) {
                if (item.kind === 'expr') evaluate(item.expr, context());
              }
            } catch (error) {
              expect(error).toBeInstanceOf(EvaluationError);
            }
          }
        } catch (error) {
          const own =
            error instanceof SqlSyntaxError ||
            error instanceof SqlUnsupportedError ||
            error instanceof IllegalDoubleError ||
            error instanceof TooManySelectItemsError ||
            error instanceof EmptyQueryError;
          if (!own) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
