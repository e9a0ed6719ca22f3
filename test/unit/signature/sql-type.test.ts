import fc from 'fast-check';
import { ColumnType, ColumnFlag, Charset } from '../../../lib/protocol/constants.js';
import { parseSqlType, SignatureError } from '../../../lib/signature/sql-type.js';
import { catalogParameter, wireColumn } from '../../../lib/signature/type-catalog.js';

describe('parseSqlType', () => {
  it.each([
    ['INT', 'integer', 'int', 'int'],
    ['integer', 'integer', 'int', 'int'],
    ['int(11) unsigned', 'integer', 'int', 'int unsigned'],
    ['TINYINT(1)', 'integer', 'tinyint', 'tinyint(1)'],
    ['tinyint(4)', 'integer', 'tinyint', 'tinyint'],
    ['SMALLINT signed', 'integer', 'smallint', 'smallint'],
    ['MEDIUMINT UNSIGNED', 'integer', 'mediumint', 'mediumint unsigned'],
    ['BIGINT UNSIGNED', 'integer', 'bigint', 'bigint unsigned'],
    ['BOOLEAN', 'boolean', 'tinyint', 'tinyint(1)'],
    ['bool', 'boolean', 'tinyint', 'tinyint(1)'],
    ['DECIMAL', 'decimal', 'decimal', 'decimal(10,0)'],
    ['DECIMAL(10,2)', 'decimal', 'decimal', 'decimal(10,2)'],
    ['numeric( 5 )', 'decimal', 'decimal', 'decimal(5,0)'],
    ['DEC(65,30) UNSIGNED', 'decimal', 'decimal', 'decimal(65,30) unsigned'],
    ['FLOAT', 'float', 'float', 'float'],
    ['FLOAT(30)', 'double', 'double', 'double'],
    ['DOUBLE PRECISION', 'double', 'double', 'double'],
    ['REAL', 'double', 'double', 'double'],
    ['CHAR', 'char', 'char', 'char(1)'],
    ['CHAR(10)', 'char', 'char', 'char(10)'],
    ['VARCHAR(64)', 'varchar', 'varchar', 'varchar(64)'],
    ['character varying(8)', 'varchar', 'varchar', 'varchar(8)'],
    ['TEXT', 'text', 'text', 'text'],
    ['LONGTEXT', 'text', 'longtext', 'longtext'],
    ['BINARY(16)', 'binary', 'binary', 'binary(16)'],
    ['VARBINARY(255)', 'varbinary', 'varbinary', 'varbinary(255)'],
    ['BLOB', 'blob', 'blob', 'blob'],
    ['MEDIUMBLOB', 'blob', 'mediumblob', 'mediumblob'],
    ['DATE', 'date', 'date', 'date'],
    ['DATETIME', 'datetime', 'datetime', 'datetime'],
    ['DATETIME(6)', 'datetime', 'datetime', 'datetime(6)'],
    ['timestamp(3)', 'timestamp', 'timestamp', 'timestamp(3)'],
    ['TIME(2)', 'time', 'time', 'time(2)'],
    ['YEAR', 'year', 'year', 'year'],
    ['YEAR(4)', 'year', 'year', 'year'],
    ['JSON', 'json', 'json', 'json'],
    ['BIT', 'bit', 'bit', 'bit(1)'],
    ['BIT(64)', 'bit', 'bit', 'bit(64)'],
  ])('reads %s', (text, kind, dataType, dtd) => {
    expect(parseSqlType(text)).toMatchObject({ kind, dataType, dtd });
  });

  it.each([
    ['', 'expected a type name'],
    ['VARCHAR', 'VARCHAR needs a length'],
    ['VARBINARY', 'VARBINARY needs a length'],
    ['VARCHAR(16384)', 'VARCHAR length 16384 is above 16383'],
    ['CHAR(256)', 'CHAR length 256 is above 255'],
    ['DECIMAL(66)', 'DECIMAL precision must be 1..65'],
    ['DECIMAL(0)', 'DECIMAL precision must be 1..65'],
    ['DECIMAL(10,31)', 'DECIMAL scale must be 0..30'],
    ['DECIMAL(5,6)', 'DECIMAL scale must not exceed its precision'],
    ['DATETIME(7)', 'fractional seconds precision 7 is above 6'],
    ['BIT(0)', 'BIT length must be 1..64'],
    ['BIT(65)', 'BIT length 65 is above 64'],
    ['FLOAT(7,2)', 'FLOAT(M,D) is not supported'],
    ['FLOAT(54)', 'FLOAT precision must be 0..53'],
    ['INT ZEROFILL', 'ZEROFILL is not supported'],
    ['INT UNSIGNED ZEROFILL', 'ZEROFILL is not supported'],
    ['INT UNSIGNED UNSIGNED', 'unexpected text at the end'],
    ['VARCHAR(10) CHARACTER SET latin1', 'unexpected text at the end'],
    ['ENUM', 'unknown type "ENUM"'],
    ['GEOMETRY', 'unknown type "GEOMETRY"'],
    ['INT;', 'unexpected ";"'],
    ['VARCHAR(10', 'expected ")"'],
    ['VARCHAR(a)', 'expected a number'],
    ['YEAR(2)', 'YEAR takes no length but 4'],
    ['TEXT(100)', 'TEXT(n) is not supported'],
    ['DECIMAL(1,2,3)', 'expected ")"'],
    ['INT(99999999999)', 'number too large'],
  ])('refuses %j: %s', (text, why) => {
    expect(() => parseSqlType(text)).toThrow(SignatureError);
    expect(() => parseSqlType(text)).toThrow(why);
  });

  it('never throws anything but a SignatureError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseSqlType(text);
        } catch (e) {
          expect(e).toBeInstanceOf(SignatureError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('catalog entries', () => {
  const param = (type: string) => catalogParameter(1, 'p', 'IN', parseSqlType(type));

  it.each([
    ['TINYINT', [3, 0], null],
    ['INT UNSIGNED', [10, 0], null],
    ['MEDIUMINT', [7, 0], null],
    ['MEDIUMINT UNSIGNED', [8, 0], null],
    ['BIGINT', [19, 0], null],
    ['BIGINT UNSIGNED', [20, 0], null],
    ['BOOLEAN', [3, 0], null],
    ['DECIMAL(10,2)', [10, 2], null],
    ['FLOAT', [12, null], null],
    ['DOUBLE', [22, null], null],
    ['BIT(8)', [8, null], null],
    ['VARCHAR(64)', [null, null], [64, 256, 'utf8mb4', 'utf8mb4_general_ci']],
    ['CHAR(3)', [null, null], [3, 12, 'utf8mb4', 'utf8mb4_general_ci']],
    ['TEXT', [null, null], [65535, 65535, 'utf8mb4', 'utf8mb4_general_ci']],
    ['VARBINARY(7)', [null, null], [7, 7, null, null]],
    ['BLOB', [null, null], [65535, 65535, null, null]],
    ['DATE', [null, null], null],
    ['JSON', [null, null], null],
  ])('%s as information_schema.PARAMETERS shows it', (type, numeric, character) => {
    const p = param(type);
    expect([p.numericPrecision, p.numericScale]).toEqual(numeric);
    const chars = [
      p.characterMaximumLength,
      p.characterOctetLength,
      p.characterSetName,
      p.collationName,
    ];
    expect(chars).toEqual(character ?? [null, null, null, null]);
  });

  it('gives temporal types their precision', () => {
    expect(param('DATETIME(3)').datetimePrecision).toBe(3);
    expect(param('TIME').datetimePrecision).toBe(0);
    expect(param('DATE').datetimePrecision).toBeNull();
  });

  it.each([
    ['INT', ColumnType.LONG, 11, 0, Charset.BINARY],
    ['INT UNSIGNED', ColumnType.LONG, 10, 0, Charset.BINARY],
    ['BIGINT', ColumnType.LONGLONG, 20, 0, Charset.BINARY],
    ['MEDIUMINT', ColumnType.INT24, 9, 0, Charset.BINARY],
    ['BOOLEAN', ColumnType.TINY, 1, 0, Charset.BINARY],
    ['DECIMAL(10,2)', ColumnType.NEWDECIMAL, 12, 2, Charset.BINARY],
    ['DECIMAL(10,2) UNSIGNED', ColumnType.NEWDECIMAL, 11, 2, Charset.BINARY],
    ['DOUBLE', ColumnType.DOUBLE, 22, 31, Charset.BINARY],
    ['VARCHAR(64)', ColumnType.VAR_STRING, 256, 0, Charset.UTF8MB4_GENERAL_CI],
    ['CHAR(2)', ColumnType.STRING, 8, 0, Charset.UTF8MB4_GENERAL_CI],
    ['VARBINARY(9)', ColumnType.VAR_STRING, 9, 0, Charset.BINARY],
    ['DATETIME(3)', ColumnType.DATETIME, 23, 3, Charset.BINARY],
    ['TIMESTAMP', ColumnType.TIMESTAMP, 19, 0, Charset.BINARY],
    ['TIME(6)', ColumnType.TIME, 17, 6, Charset.BINARY],
    ['YEAR', ColumnType.YEAR, 4, 0, Charset.BINARY],
    ['JSON', ColumnType.JSON, 0xffffffff, 0, Charset.BINARY],
    ['BIT(12)', ColumnType.BIT, 12, 0, Charset.BINARY],
  ])('%s on the wire', (type, code, length, decimals, charset) => {
    const c = wireColumn('p', parseSqlType(type));
    expect(c).toEqual({
      name: 'p',
      type: code,
      length,
      decimals,
      charset,
      flags: expect.any(Number),
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Boolean(c.flags & ColumnFlag.UNSIGNED)).toBe(/UNSIGNED|YEAR|BIT/.test(type));
  });
});
