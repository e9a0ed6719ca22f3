/*
 * Packets captured from MariaDB 10.11.19 on loopback (a logging proxy between
 * the server and a client), for use as golden data: what a real server sends
 * and what a real client sends, not what this codebase thinks they should be.
 *
 * SERVER_ROWS: the same SELECT answered once as text rows (COM_QUERY) and once
 * as binary rows (COM_STMT_EXECUTE), with the column definitions of the
 * binary reply (connection charset utf8mb4_general_ci, time_zone +00:00). The
 * table behind "SELECT * FROM t" holds min/max integers of every width,
 * floats, decimals, zero and edge dates, negative and fractional times,
 * BIT, text, BLOB, JSON, ENUM and SET values.
 *
 * CONNECTOR_PACKETS: COM_STMT_EXECUTE and COM_STMT_BULK_EXECUTE payloads as
 * the mariadb npm connector (3.5.4) sent them for the values in the tests
 * (timezone Z); "bulk" is conn.batch() of three rows into (BIGINT, VARCHAR,
 * BLOB, DATETIME(6), DOUBLE), which the connector split into two packets.
 */

/** One column definition, as captured. */
export interface CapturedColumn {
  name: string;
  type: number;
  charset: number;
  length: number;
  flags: number;
  decimals: number;
}

/** A SELECT answered in both protocols. */
export interface CapturedResult {
  sql: string;
  columns: CapturedColumn[];
  textRows: string[];
  binaryRows: string[];
}

export const SERVER_ROWS: CapturedResult[] = [
  {
    sql: 'SELECT * FROM t',
    columns: [
      {
        name: 'ti',
        type: 1,
        charset: 63,
        length: 4,
        flags: 0,
        decimals: 0,
      },
      {
        name: 'tu',
        type: 1,
        charset: 63,
        length: 3,
        flags: 32,
        decimals: 0,
      },
      {
        name: 'si',
        type: 2,
        charset: 63,
        length: 6,
        flags: 0,
        decimals: 0,
      },
      {
        name: 'su',
        type: 2,
        charset: 63,
        length: 5,
        flags: 32,
        decimals: 0,
      },
      {
        name: 'mi',
        type: 9,
        charset: 63,
        length: 9,
        flags: 0,
        decimals: 0,
      },
      {
        name: 'mu',
        type: 9,
        charset: 63,
        length: 8,
        flags: 32,
        decimals: 0,
      },
      {
        name: 'i',
        type: 3,
        charset: 63,
        length: 11,
        flags: 0,
        decimals: 0,
      },
      {
        name: 'iu',
        type: 3,
        charset: 63,
        length: 10,
        flags: 32,
        decimals: 0,
      },
      {
        name: 'bi',
        type: 8,
        charset: 63,
        length: 20,
        flags: 0,
        decimals: 0,
      },
      {
        name: 'bu',
        type: 8,
        charset: 63,
        length: 20,
        flags: 32,
        decimals: 0,
      },
      {
        name: 'f',
        type: 4,
        charset: 63,
        length: 12,
        flags: 0,
        decimals: 31,
      },
      {
        name: 'd',
        type: 5,
        charset: 63,
        length: 22,
        flags: 0,
        decimals: 31,
      },
      {
        name: 'de',
        type: 246,
        charset: 63,
        length: 14,
        flags: 0,
        decimals: 3,
      },
      {
        name: 'da',
        type: 10,
        charset: 63,
        length: 10,
        flags: 128,
        decimals: 0,
      },
      {
        name: 'dt',
        type: 12,
        charset: 63,
        length: 19,
        flags: 128,
        decimals: 0,
      },
      {
        name: 'dt6',
        type: 12,
        charset: 63,
        length: 26,
        flags: 128,
        decimals: 6,
      },
      {
        name: 'ts3',
        type: 7,
        charset: 63,
        length: 23,
        flags: 160,
        decimals: 3,
      },
      {
        name: 'tm',
        type: 11,
        charset: 63,
        length: 10,
        flags: 128,
        decimals: 0,
      },
      {
        name: 'tm6',
        type: 11,
        charset: 63,
        length: 17,
        flags: 128,
        decimals: 6,
      },
      {
        name: 'y',
        type: 13,
        charset: 63,
        length: 4,
        flags: 96,
        decimals: 0,
      },
      {
        name: 'b',
        type: 16,
        charset: 63,
        length: 10,
        flags: 32,
        decimals: 0,
      },
      {
        name: 'vc',
        type: 253,
        charset: 45,
        length: 80,
        flags: 0,
        decimals: 0,
      },
      {
        name: 'bl',
        type: 252,
        charset: 63,
        length: 65535,
        flags: 144,
        decimals: 0,
      },
      {
        name: 'tx',
        type: 252,
        charset: 45,
        length: 262140,
        flags: 16,
        decimals: 0,
      },
      {
        name: 'js',
        type: 252,
        charset: 45,
        length: 4294967295,
        flags: 144,
        decimals: 0,
      },
      {
        name: 'en',
        type: 254,
        charset: 45,
        length: 8,
        flags: 256,
        decimals: 0,
      },
      {
        name: 'st',
        type: 254,
        charset: 45,
        length: 12,
        flags: 2048,
        decimals: 0,
      },
    ],
    textRows: [
      '042d31323803323535062d3332373638053635353335082d383338383630380831363737373231350b2d323134373438333634380a34323934393637323935142d3932323333373230333638353437373538303814313834343637343430373337303935353136313503312e3503302e310e2d3132333435363738392e3132350a323032342d30312d303213323032342d30312d30322030333a30343a30351a323032342d30312d30322030333a30343a30352e31323334353617323032342d30322d32392032333a35393a35392e3939390a2d3833383a35393a3539103833383a35393a35392e30303030303104323135350202aa0a68c3a96c6c6ff09f98800300ff1004746578740f7b2261223a205b312c20322e355d7d0362c3a903782c79',
      '0331323701300533323736370130073833383836303701300a32313437343833363437013013393232333337323033363835343737353830370130052d302e3235182d312e32333435363738393031323334353638652d33303005302e3030300a303030302d30302d303013303030302d30302d30302030303a30303a30301a323032342d30312d30322030303a30303a30302e30303030303017313939392d31322d33312030303a30303a30302e3030300830303a30303a3030102d30303a30303a30302e3530303030300430303030020000000000046e756c6c016100',
      '01300131022d310131022d310131022d310131022d310131013005316533303805312e3530300a393939392d31322d333113323032342d30312d30322030303a30303a30301a313030302d30312d30312030303a30303a30312e303030303031fb093130303a30303a3030102d30313a30323a30332e34303030303004313930310203fffbfbfbfbfbfb',
      'fbfbfbfbfbfbfbfbfbfbfbfbfbfb13323032342d30312d30322030333a30343a3030fbfb0830303a30303a30310f32343a30303a30302e303030303030fbfbfbfbfbfbfbfb',
    ],
    binaryRows: [
      '000000000080ff0080ffff000080ffffffff0000000080ffffffff0000000000000080ffffffffffffffff0000c03f9a9999999999b93f0e2d3132333435363738392e31323504e807010207e80701020304050be807010203040540e201000be807021d173b3b583e0f00080122000000163b3b0c0022000000163b3b010000006b080202aa0a68c3a96c6c6ff09f98800300ff1004746578740f7b2261223a205b312c20322e355d7d0362c3a903782c79',
      '00000000007f00ff7f0000ffff7f0000000000ffffff7f00000000ffffffffffffff7f0000000000000000000080be08891e1cfe74aa8105302e303030000004e807010204cf070c1f000c010000000000000020a107000000020000000000046e756c6c016100',
      '000000841f0001ffff0100ffffffff01000000ffffffff01000000ffffffffffffffff010000000000000000000000a0c8eb85f3cce17f05312e353030040f270c1f04e80701020be8030101000001010000000800040000000400000c0100000000010203801a06006d070203ff',
      '00fcffe61f07e8070102030400080000000000000001080001000000000000',
    ],
  },
  {
    sql: "SELECT NULL AS n, 1 AS one, -1.5 AS de, 'x' AS s, CAST(-7 AS SIGNED) AS bs, 2.5e0 AS dbl, CAST('12:34:56.789' AS TIME(3)) AS t3, CAST('2024-06-30 12:00:00.5' AS DATETIME(1)) AS dt1, DATE '2000-02-29' AS d",
    columns: [
      {
        name: 'n',
        type: 6,
        charset: 63,
        length: 0,
        flags: 128,
        decimals: 0,
      },
      {
        name: 'one',
        type: 3,
        charset: 63,
        length: 1,
        flags: 129,
        decimals: 0,
      },
      {
        name: 'de',
        type: 246,
        charset: 63,
        length: 4,
        flags: 129,
        decimals: 1,
      },
      {
        name: 's',
        type: 253,
        charset: 45,
        length: 4,
        flags: 1,
        decimals: 39,
      },
      {
        name: 'bs',
        type: 3,
        charset: 63,
        length: 2,
        flags: 129,
        decimals: 0,
      },
      {
        name: 'dbl',
        type: 5,
        charset: 63,
        length: 5,
        flags: 129,
        decimals: 31,
      },
      {
        name: 't3',
        type: 11,
        charset: 63,
        length: 14,
        flags: 128,
        decimals: 3,
      },
      {
        name: 'dt1',
        type: 12,
        charset: 63,
        length: 21,
        flags: 128,
        decimals: 1,
      },
      {
        name: 'd',
        type: 10,
        charset: 63,
        length: 10,
        flags: 129,
        decimals: 0,
      },
    ],
    textRows: [
      'fb0131042d312e350178022d3703322e350c31323a33343a35362e37383915323032342d30362d33302031323a30303a30302e350a323030302d30322d3239',
    ],
    binaryRows: [
      '00040001000000042d312e350178f9ffffff00000000000004400c00000000000c2238080a0c000be807061e0c000020a1070004d007021d',
    ],
  },
];

export const CONNECTOR_PACKETS: Record<string, string[]> = {
  scalars: [
    '17ffffffff0001000000800001030003000500050005000100fd00fd00080001000000000000800000c0ffffffdf41000000000000f83f9a9999999999b9bf010a68c3a96c6c6ff09f98800100000000002000',
  ],
  bigger: [
    '17ffffffff0001000000000105000800fc000c00000000000000e04100000000000000800300ff100be807010203040570580a00',
  ],
  bulk: [
    'fa0400000080000300fd00fc000c000500000100000000016100027879000be807010203040520a1070000000000000000044000fbffffff01010101',
    'fa0400000080000800fd00fc000c000500000000000000000040000762c3a9f09f988000000007cf070c1f000000009c7500883ce437fe',
  ],
};
