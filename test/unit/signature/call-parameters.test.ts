import type { SqlValue } from '../../../lib/sql/index.js';
import type { ProcedureCall } from '../../../lib/session/call-dispatcher.js';
import type { SessionInfo } from '../../../lib/session/session-info.js';
import { bindCall } from '../../../lib/signature/call-parameters.js';
import { CoercionError } from '../../../lib/signature/coercion-error.js';
import { parseSignature } from '../../../lib/signature/parse-signature.js';
import type { MysqlProcedureSignature } from '../../../lib/signature/procedure-signature.js';
import { ResolvedSignature } from '../../../lib/signature/resolved-signature.js';

const resolve = (s: MysqlProcedureSignature) =>
  new ResolvedSignature(parseSignature(s), { utc: true });

function call(
  args: SqlValue[],
  variables: (string | null)[] = [],
  placeholders: number[] = [],
): ProcedureCall {
  return {
    schema: 'rpc',
    name: 'p',
    args,
    variables,
    placeholders,
    prepared: placeholders.length > 0,
    qualified: false,
    session: {} as SessionInfo,
  };
}

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoercionError) return e.wire;
    throw e;
  }
  throw new Error('expected a CoercionError');
}

describe('bindCall', () => {
  const sig = resolve({ params: ['IN a INT', 'INOUT b DECIMAL(5,2)', 'OUT c VARCHAR(3)'] });

  it('answers ERR 1318 for a wrong argument count', () => {
    expect(errorOf(() => bindCall(sig, call([1, 2]), 'rpc.p'))).toEqual({
      code: 1318,
      sqlState: '42000',
      message: 'Incorrect number of arguments for PROCEDURE rpc.p; expected 3, got 2',
    });
  });

  it('answers ERR 1414 for an OUT or INOUT argument that is not a user variable, in order', () => {
    expect(errorOf(() => bindCall(sig, call([1, 2, 3], [null, 'b', null]), 'rpc.p'))).toEqual({
      code: 1414,
      sqlState: '42000',
      message:
        'OUT or INOUT argument 3 for routine rpc.p is not a variable or NEW pseudo-variable in BEFORE trigger',
    });
    // The first parameter's own error comes first, as MySQL checks one parameter at a time.
    expect(errorOf(() => bindCall(sig, call(['x', 2, 3]), 'rpc.p')).code).toBe(1366);
    expect(errorOf(() => bindCall(sig, call([1, 2, 3]), 'rpc.p')).message).toContain('argument 2');
  });

  it('lets a prepared CALL bind OUT parameters to placeholders', () => {
    const bound = bindCall(sig, call([1, 2, null], [], [1, 2]), 'rpc.p');
    expect(bound.payload).toEqual([1, '2.00', null]);
  });

  it('refuses a literal in an OUT position of a prepared CALL too (ERR 1414)', () => {
    expect(errorOf(() => bindCall(sig, call([1, 2, 3], [], [0]), 'rpc.p'))).toMatchObject({
      code: 1414,
    });
  });

  it('gives a positional payload with OUT positions null, and the INOUT value to the context', () => {
    const bound = bindCall(sig, call(['7', 2.345, 'ignored'], [null, 'b', 'c']), 'rpc.p');
    expect(bound.payload).toEqual([7, '2.35', null]);
    expect(bound.parameters.outValues()).toEqual({ b: '2.35', c: null });
    expect(bound.parameters.outParameters().map((p) => [p.position, p.name, p.value])).toEqual([
      [1, 'b', '2.35'],
      [2, 'c', null],
    ]);
  });

  it('gives a named payload of IN and INOUT parameters', () => {
    const named = resolve({ params: ['IN a INT', 'INOUT b JSON', 'OUT c INT'], payload: 'named' });
    const bound = bindCall(named, call([1, '{"x":[1]}', null], [null, 'b', 'c']), 'rpc.p');
    expect(bound.payload).toEqual({ a: 1, b: { x: [1] } });
    // An untouched INOUT goes back exactly as it came.
    expect(bound.parameters.outParameters().map((p) => p.value)).toEqual(['{"x":[1]}', null]);
  });

  it('keeps a parameter named __proto__ as a plain key', () => {
    const named = resolve({ params: ['`__proto__` INT'], payload: 'named' });
    const payload = bindCall(named, call([5]), 'rpc.p').payload as Record<string, unknown>;
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(Object.keys(payload)).toEqual(['__proto__']);
  });

  it('coerces the OUT values the handler set, and refuses what does not fit', () => {
    const bound = bindCall(sig, call([1, 2, null], [null, 'b', 'c']), 'rpc.p');
    bound.parameters.setOut('B', 3.14159);
    bound.parameters.setOut('c', 'abc');
    expect(bound.parameters.getOut('b')).toBe(3.14159);
    expect(bound.parameters.outParameters().map((p) => p.value)).toEqual(['3.14', 'abc']);
    bound.parameters.setOut('c', 'abcd');
    expect(errorOf(() => bound.parameters.outParameters()).code).toBe(1406);
    expect(() => bound.parameters.setOut('a', 1)).toThrow(
      'rpc.p has no OUT or INOUT parameter named "a"',
    );
    expect(() => bound.parameters.setOut('zzz', 1)).toThrow('no OUT or INOUT parameter');
  });

  it('passes arguments through untouched when no parameter list is declared', () => {
    const open = resolve({ columns: ['x'] });
    const args: SqlValue[] = ['x', 1, null];
    expect(bindCall(open, call(args), 'rpc.p').payload).toBe(args);
  });

  it('describes the OUT parameters for the reply with their wire columns', () => {
    const bound = bindCall(sig, call([1, 2, null], [null, 'b', 'c']), 'rpc.p');
    const [b, c] = bound.parameters.outParameters();
    expect(b!.column).toBe(sig.params![1]!.column);
    expect(c!.column.name).toBe('c');
  });
});
