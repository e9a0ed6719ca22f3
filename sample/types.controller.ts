import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  MysqlOutParameters,
  MysqlProcedure,
  MysqlResultSet,
  MysqlRpcContext,
  type SqlValue,
} from '../lib/index.js';

/** How `argtypes` names the JS type an argument arrived as. */
function jsType(v: SqlValue): string {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return 'buffer';
  return typeof v;
}

/** How `argtypes` shows a value: its text, bytes in hex, NULL as NULL. */
function shown(v: SqlValue): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return String(v);
}

/**
 * Procedures that show how arguments arrive and how a signature types
 * them: what the cross-language compat suite calls, one per behaviour.
 */
@Controller()
export class TypesController {
  /**
   * `CALL echo(v)`: one row `{ v }`, the argument as the server decoded it
   * and written back by its JS type (no signature): a round trip for every
   * literal, unicode, NULL and large values.
   */
  @MessagePattern('echo')
  echo(@Payload() [v]: [SqlValue?]) {
    return { v: v ?? null };
  }

  /**
   * `CALL argtypes(1, 2.5, 'x', x'00ff', NULL, TRUE, 18446744073709551615)`:
   * one row per argument, `{ position, js_type, value }`: how the server
   * decoded it (js_type `number`, `bigint`, `string`, `buffer`, `null` or
   * `boolean`; value as text, bytes in hex).
   */
  @MessagePattern('argtypes')
  argtypes(@Payload() args: SqlValue[]) {
    return new MysqlResultSet(
      [
        { name: 'position', type: 'INT' },
        { name: 'js_type', type: 'VARCHAR', length: 28 },
        { name: 'value', type: 'TEXT' },
      ],
      args.map((v, i) => [i + 1, jsType(v), shown(v)]),
    );
  }

  /**
   * `CALL myadd_out(3, 4, @s); SELECT @s` gives 7: an OUT parameter set
   * through the context. The signature checks the arguments (ERR 1318 for
   * a wrong count, ERR 1366 for `'abc'`, ERR 1414 when the third is not a
   * user variable); the handler returns nothing, so the CALL answers OK.
   */
  @MysqlProcedure({
    params: ['IN a INT', 'IN b INT', 'OUT sum BIGINT'],
    comment: 'a + b into the OUT parameter sum',
  })
  @MessagePattern('myadd_out')
  addOut(@Payload() [a, b]: [number, number, null], @Ctx() ctx: MysqlRpcContext): void {
    ctx.setOutParameter('sum', a + b);
  }

  /**
   * `SET @x = 5; CALL inc_inout(@x); SELECT @x` gives 6: an INOUT
   * parameter starts with the variable's value, and the new value is
   * returned with MysqlOutParameters (NULL stays NULL, as in SQL).
   */
  @MysqlProcedure({ params: ['INOUT counter INT'], comment: 'adds one to counter' })
  @MessagePattern('inc_inout')
  incInout(@Payload() [counter]: [number | null]) {
    return new MysqlOutParameters({ counter: counter === null ? null : counter + 1 });
  }

  /**
   * `CALL greet('Ada')`: `{ greeting: 'hello Ada' }`. A named payload: the
   * handler receives `{ name }`; a name over 64 characters is ERR 1406.
   */
  @MysqlProcedure({
    params: ['IN name VARCHAR(64)'],
    columns: [{ name: 'greeting', type: 'VARCHAR', length: 280 }],
    payload: 'named',
    comment: 'says hello',
  })
  @MessagePattern('greet')
  greet(@Payload() { name }: { name: string | null }) {
    return { greeting: name === null ? null : `hello ${name}` };
  }

  /**
   * `CALL typed_echo(7, 1.005, 'héllo', '2026-1-2 3:4:5.6789', '{"a":1}', 5)`:
   * each argument as its declared type made it (`1.01`, `2026-01-02
   * 03:04:05.679`, ...), through declared columns; a value a type refuses
   * is MySQL's error for it (ERR 1264, 1292, 1366, 1406, 3140).
   */
  @MysqlProcedure({
    params: [
      'IN i INT',
      'IN d DECIMAL(10,2)',
      'IN s VARCHAR(16)',
      'IN t DATETIME(3)',
      'IN j JSON',
      'IN flag BOOLEAN',
    ],
    columns: [
      { name: 'i', type: 'INT' },
      { name: 'd', type: 'DECIMAL', length: 12, decimals: 2 },
      { name: 's', type: 'VARCHAR', length: 64 },
      { name: 't', type: 'DATETIME', decimals: 3 },
      { name: 'j', type: 'JSON' },
      { name: 'flag', type: 'TINYINT', length: 1 },
    ],
    payload: 'named',
    comment: 'each argument as its declared type made it',
  })
  @MessagePattern('typed_echo')
  typedEcho(@Payload() args: Record<string, unknown>) {
    return args;
  }
}
