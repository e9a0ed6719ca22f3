import { schemaTable } from '../../../../lib/session/virtual-tables/information-schema.js';
import {
  createProcedureText,
  routineBody,
} from '../../../../lib/session/virtual-tables/routines.js';
import { PROCEDURES, procedure, source } from './source.js';
import { Temporal } from '../../../../lib/sql/expression/index.js';

const byName = (name: string) => PROCEDURES.find((p) => p.name === name)!;

describe('procedures as introspection shows them', () => {
  it('writes SHOW CREATE PROCEDURE from the signature', () => {
    expect(createProcedureText(byName('add'))).toBe(
      'CREATE DEFINER=`nestjs-mysql-rpc`@`localhost` PROCEDURE `add`(IN a int, IN b int, OUT s bigint)\n' +
        "    COMMENT 'sums ''em'\n" +
        'BEGIN\n' +
        "  -- answered by the NestJS handler of @MessagePattern('add')\n" +
        'END',
    );
    expect(createProcedureText(byName('odd name'))).toBe(
      'CREATE DEFINER=`nestjs-mysql-rpc`@`localhost` PROCEDURE `odd name`(INOUT select int, IN `my arg` int)\n' +
        'BEGIN\n' +
        "  -- answered by the NestJS handler of @MessagePattern('odd name')\n" +
        'END',
    );
  });

  it('says a procedure without a signature takes any arguments, with an empty parameter list', () => {
    expect(createProcedureText(byName('free'))).toMatch(/PROCEDURE `free`\(\)\nBEGIN\n/);
    expect(routineBody(byName('free'))).toContain('no declared signature: takes any arguments');
    expect(routineBody(byName('audit'))).toBe(
      "BEGIN\n  -- answered by the NestJS handler of @EventPattern('audit')\n" +
        '  -- acknowledged at once, without a result\n  -- no declared signature: takes any arguments\nEND',
    );
    expect(routineBody(procedure("it's"))).toContain("@MessagePattern('it\\'s')");
  });

  it('fills ROUTINES: one row per procedure', () => {
    const table = schemaTable('ROUTINES')!;
    const rows = table.rows(source());
    expect(rows).toHaveLength(PROCEDURES.length);
    const add = Object.fromEntries(table.columns.map((c, i) => [c.name, rows[0]![i]]));
    expect(add).toMatchObject({
      SPECIFIC_NAME: 'add',
      ROUTINE_CATALOG: 'def',
      ROUTINE_SCHEMA: 'rpc',
      ROUTINE_TYPE: 'PROCEDURE',
      DATA_TYPE: '',
      DTD_IDENTIFIER: null,
      ROUTINE_BODY: 'SQL',
      EXTERNAL_LANGUAGE: 'SQL',
      PARAMETER_STYLE: 'SQL',
      IS_DETERMINISTIC: 'NO',
      SQL_DATA_ACCESS: 'CONTAINS SQL',
      SECURITY_TYPE: 'DEFINER',
      SQL_MODE: 'STRICT_TRANS_TABLES',
      ROUTINE_COMMENT: "sums 'em",
      DEFINER: 'nestjs-mysql-rpc@localhost',
      CHARACTER_SET_CLIENT: 'utf8mb4',
      COLLATION_CONNECTION: 'utf8mb4_general_ci',
      DATABASE_COLLATION: 'utf8mb4_general_ci',
    });
    expect(add.CREATED).toEqual(new Temporal('DATETIME', '2026-01-02 03:04:05'));
  });

  it('fills PARAMETERS from signatures only: a procedure without one has no rows', () => {
    const table = schemaTable('PARAMETERS')!;
    const rows = table
      .rows(source())
      .map((r) => Object.fromEntries(table.columns.map((c, i) => [c.name, r[i]])));
    expect(
      rows.map((r) => [
        r.SPECIFIC_NAME,
        r.ORDINAL_POSITION,
        r.PARAMETER_MODE,
        r.PARAMETER_NAME,
        r.DTD_IDENTIFIER,
      ]),
    ).toEqual([
      ['add', 1n, 'IN', 'a', 'int'],
      ['add', 2n, 'IN', 'b', 'int'],
      ['add', 3n, 'OUT', 's', 'bigint'],
      ['odd name', 1n, 'INOUT', 'select', 'int'],
      ['odd name', 2n, 'IN', 'my arg', 'int'],
    ]);
    expect(rows[0]).toMatchObject({
      SPECIFIC_CATALOG: 'def',
      SPECIFIC_SCHEMA: 'rpc',
      DATA_TYPE: 'int',
      NUMERIC_PRECISION: 10n,
      NUMERIC_SCALE: 0n,
      CHARACTER_MAXIMUM_LENGTH: null,
      ROUTINE_TYPE: 'PROCEDURE',
    });
  });
});
