import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, type MicroserviceOptions } from '@nestjs/microservices';
import {
  MysqlProcedure,
  MysqlRpcServer,
  type MysqlProcedureSignature,
} from '../../../lib/index.js';
import { parseSignature } from '../../../lib/signature/parse-signature.js';
import { SignatureError } from '../../../lib/signature/sql-type.js';

describe('parseSignature', () => {
  it('reads parameters written as SQL', () => {
    const s = parseSignature({
      params: [
        'IN a INT',
        'out total DECIMAL(10,2)',
        'INOUT counter BIGINT UNSIGNED',
        'b VARCHAR(64)',
        '`my param` DATE',
        '  `we``ird`   JSON  ',
        'input TEXT',
        'é_1$ BIT(3)',
      ],
    });
    expect(s.params!.map((p) => [p.mode, p.name, p.type.dtd])).toEqual([
      ['IN', 'a', 'int'],
      ['OUT', 'total', 'decimal(10,2)'],
      ['INOUT', 'counter', 'bigint unsigned'],
      ['IN', 'b', 'varchar(64)'],
      ['IN', 'my param', 'date'],
      ['IN', 'we`ird', 'json'],
      ['IN', 'input', 'text'],
      ['IN', 'é_1$', 'bit(3)'],
    ]);
  });

  it('reads parameters spelled out', () => {
    const s = parseSignature({
      params: [
        { name: 'a', type: 'INT' },
        { name: 'o', type: 'DOUBLE', mode: 'OUT' },
      ],
    });
    expect(s.params!.map((p) => [p.mode, p.name, p.type.kind])).toEqual([
      ['IN', 'a', 'integer'],
      ['OUT', 'o', 'double'],
    ]);
  });

  it('leaves arguments unchecked when no parameter list is declared', () => {
    expect(parseSignature({ comment: 'x' }).params).toBeNull();
    expect(parseSignature({ params: [] }).params).toEqual([]);
  });

  it.each<[MysqlProcedureSignature, string]>([
    [{ params: ['IN a'] }, 'parameter 1: expected "[IN|OUT|INOUT] name TYPE", got "IN a"'],
    [{ params: ['a'] }, 'parameter 1: expected "[IN|OUT|INOUT] name TYPE"'],
    [{ params: ['IN INT'] }, 'expected "[IN|OUT|INOUT] name TYPE"'],
    [
      { params: ['a INT', 'b VARCHAR'] },
      'parameter 2 (b): VARCHAR needs a length in type "VARCHAR"',
    ],
    [{ params: ['a NOPE'] }, 'parameter 1 (a): unknown type "NOPE"'],
    [{ params: ['OUTPUT a INT'] }, 'unknown type "A"'],
    [{ params: ['12 INT'] }, 'parameter 1: expected a parameter name'],
    [{ params: ['`a INT'] }, 'unterminated `'],
    [{ params: ['`` INT'] }, 'a parameter name needs 1..64 characters'],
    [{ params: [`${'x'.repeat(65)} INT`] }, 'a parameter name needs 1..64 characters'],
    [{ params: ['a INT', 'A BIGINT'] }, 'duplicate parameter: A'],
    [
      { params: [{ name: 'a', type: 'INT', mode: 'BOTH' as 'IN' }] },
      'mode must be IN, OUT or INOUT',
    ],
    [{ params: [42 as unknown as string] }, 'expected a string or an object'],
    [{ params: 'a INT' as unknown as string[] }, 'params must be an array'],
    [{ payload: 'named' }, "payload 'named' needs params"],
    [{ payload: 'keyed' as 'named', params: [] }, "payload must be 'positional' or 'named'"],
    [{ columns: [] }, 'columns must list at least one column'],
    [{ columns: [{ name: 'a', type: 'MONEY' as 'INT' }] }, 'column a: unknown type "MONEY"'],
    [{ comment: 5 as unknown as string }, 'comment must be a string'],
  ])('refuses %j', (signature, why) => {
    expect(() => parseSignature(signature)).toThrow(SignatureError);
    expect(() => parseSignature(signature)).toThrow(why);
  });

  it('checks one signature object once', () => {
    const signature = { params: ['a INT'] };
    expect(parseSignature(signature)).toBe(parseSignature(signature));
  });
});

describe('@MysqlProcedure', () => {
  it('names the handler and its procedure when the declaration is wrong', () => {
    expect(() => {
      class Broken {
        @MysqlProcedure({ params: ['a NOPE'] })
        @MessagePattern('broken_proc')
        broken() {}
      }
      return Broken;
    }).toThrow(
      '@MysqlProcedure on Broken.broken (procedure broken_proc): parameter 1 (a): unknown type "NOPE"',
    );
  });

  async function start(module: new () => object) {
    const strategy = new MysqlRpcServer({ port: 0, users: {}, tls: false });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
      strategy,
      logger: false,
    });
    return { app, strategy };
  }

  it('stops the app at start for a bad declaration in the pattern extras, naming the procedure', async () => {
    @Controller()
    class C {
      @MessagePattern('bad_extras', { mysql: { params: ['IN a VARCHAR(99999)'] } })
      bad() {}
    }
    @Module({ controllers: [C] })
    class M {}
    const { app } = await start(M);
    await expect(app.listen()).rejects.toThrow(
      'MysqlRpcServer: procedure "bad_extras": parameter 1 (a): VARCHAR length 99999 is above 16383',
    );
    await app.close().catch(() => undefined);
  });

  it('refuses OUT parameters on an event handler', async () => {
    @Controller()
    class C {
      @MysqlProcedure({ params: ['OUT a INT'] })
      @EventPattern('bad_event')
      bad() {}
    }
    @Module({ controllers: [C] })
    class M {}
    const { app } = await start(M);
    await expect(app.listen()).rejects.toThrow(
      'procedure "bad_event": an event handler cannot have OUT or INOUT parameters',
    );
    await app.close().catch(() => undefined);
  });

  it('puts the signature in the catalog, in either decorator order', async () => {
    @Controller()
    class C {
      @MysqlProcedure({ params: ['a INT'], comment: 'above' })
      @MessagePattern('above')
      above() {}

      @MessagePattern('below')
      @MysqlProcedure({ params: ['OUT b DATE'], columns: [{ name: 'x', type: 'INT' }] })
      below() {}

      @MessagePattern('plain')
      plain() {}
    }
    @Module({ controllers: [C] })
    class M {}
    const { app, strategy } = await start(M);
    await app.listen();
    try {
      expect(strategy.procedure('above')).toMatchObject({ comment: 'above', columns: null });
      expect(strategy.procedure('above')!.params!.map((p) => p.name)).toEqual(['a']);
      expect(strategy.procedure('BELOW')!.params![0]).toMatchObject({
        position: 1,
        name: 'b',
        mode: 'OUT',
        dataType: 'date',
        dtdIdentifier: 'date',
      });
      expect(strategy.procedure('below')!.columns).toEqual([
        expect.objectContaining({ name: 'x' }),
      ]);
      expect(strategy.procedure('plain')).toMatchObject({
        params: null,
        columns: null,
        comment: '',
      });
    } finally {
      await app.close();
    }
  });
});
