import { formatTemporal } from '../../sql/expression/functions-session.js';
import type { Value } from '../../sql/expression/index.js';
import type { CatalogParameter, CatalogProcedure } from '../procedure-catalog.js';
import { variableText, type IntrospectionSource } from './introspection-source.js';

/**
 * The DEFINER shown for every procedure: they are defined by this server (the Nest app's
 * handlers), not by any account a client could log in as.
 */
export const ROUTINE_DEFINER = { user: 'nestjs-mysql-rpc', host: 'localhost' } as const;

const quoteName = (name: string): string => '`' + name.replace(/`/g, '``') + '`';

/** `user@host`, as SHOW PROCEDURE STATUS and information_schema print a definer. */
export const definerText = `${ROUTINE_DEFINER.user}@${ROUTINE_DEFINER.host}`;

/** The session settings a routine reports it was created with. */
export interface RoutineSettings {
  readonly sqlMode: string;
  readonly characterSetClient: string;
  readonly collationConnection: string;
  readonly databaseCollation: string;
}

/** The settings routines report, from the session's variables. */
export function routineSettings(source: IntrospectionSource): RoutineSettings {
  return {
    sqlMode: String(source.variables.read('sql_mode', 'global') ?? ''),
    characterSetClient: variableText(source, 'character_set_client', 'utf8mb4'),
    collationConnection: variableText(source, 'collation_connection', 'utf8mb4_general_ci'),
    databaseCollation: variableText(source, 'collation_database', 'utf8mb4_general_ci'),
  };
}

/**
 * A routine's body as ROUTINE_DEFINITION and SHOW CREATE PROCEDURE show it: no SQL runs,
 * so it only says what answers the CALL. Without a signature the parameter list is empty
 * and the comment says any arguments are taken: Connector/J, finding no parameters, then
 * describes them from the CALL itself.
 */
export function routineBody(p: CatalogProcedure): string {
  const pattern = `@${p.event ? 'EventPattern' : 'MessagePattern'}('${p.name.replace(/'/g, "\\'")}')`;
  const lines = ['BEGIN', `  -- answered by the NestJS handler of ${pattern}`];
  if (p.event) lines.push('  -- acknowledged at once, without a result');
  if (p.params === null) lines.push('  -- no declared signature: takes any arguments');
  lines.push('END');
  return lines.join('\n');
}

/** One parameter as a CREATE PROCEDURE writes it: `IN a int`. */
function parameterText(p: CatalogParameter): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(p.name);
  return `${p.mode} ${plain ? p.name : quoteName(p.name)} ${p.dtdIdentifier}`;
}

/**
 * SHOW CREATE PROCEDURE's text: `CREATE DEFINER=`nestjs-mysql-rpc`@`localhost` PROCEDURE
 * `p`(IN a int, OUT s bigint)`, the COMMENT characteristic when there is one, then the body.
 */
export function createProcedureText(p: CatalogProcedure): string {
  const definer = `${quoteName(ROUTINE_DEFINER.user)}@${quoteName(ROUTINE_DEFINER.host)}`;
  const params = (p.params ?? []).map(parameterText).join(', ');
  let text = `CREATE DEFINER=${definer} PROCEDURE ${quoteName(p.name)}(${params})\n`;
  if (p.comment !== '')
    text += `    COMMENT '${p.comment.replace(/\\/g, '\\\\').replace(/'/g, "''")}'\n`;
  return text + routineBody(p);
}

/** A timestamp as a DATETIME value. */
function timestamp(date: Date, source: IntrospectionSource): Value {
  return formatTemporal(date, 'DATETIME', 0, source.utc);
}

const int = (n: number | null): Value => (n === null ? null : BigInt(n));

/** information_schema.ROUTINES' rows: one per procedure the account may call. */
export function routineRows(source: IntrospectionSource): Value[][] {
  const s = routineSettings(source);
  return source
    .procedures()
    .map((p) => [
      p.name,
      'def',
      p.schema,
      p.name,
      'PROCEDURE',
      '',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'SQL',
      routineBody(p),
      null,
      'SQL',
      'SQL',
      'NO',
      'CONTAINS SQL',
      null,
      'DEFINER',
      timestamp(p.created, source),
      timestamp(p.created, source),
      s.sqlMode,
      p.comment,
      definerText,
      s.characterSetClient,
      s.collationConnection,
      s.databaseCollation,
    ]);
}

/**
 * information_schema.PARAMETERS' rows: one per declared parameter. A procedure without a
 * signature (`params` null) has none: it takes any arguments, which no row can describe.
 */
export function parameterRows(source: IntrospectionSource): Value[][] {
  const rows: Value[][] = [];
  for (const p of source.procedures()) {
    for (const param of p.params ?? []) {
      rows.push([
        'def',
        p.schema,
        p.name,
        int(param.position),
        param.mode,
        param.name,
        param.dataType,
        int(param.characterMaximumLength),
        int(param.characterOctetLength),
        int(param.numericPrecision),
        int(param.numericScale),
        int(param.datetimePrecision),
        param.characterSetName,
        param.collationName,
        param.dtdIdentifier,
        'PROCEDURE',
      ]);
    }
  }
  return rows;
}

/** SHOW PROCEDURE STATUS's rows. */
export function procedureStatusRows(source: IntrospectionSource): Value[][] {
  const s = routineSettings(source);
  return source
    .procedures()
    .map((p) => [
      p.schema,
      p.name,
      'PROCEDURE',
      definerText,
      timestamp(p.created, source),
      timestamp(p.created, source),
      'DEFINER',
      p.comment,
      s.characterSetClient,
      s.collationConnection,
      s.databaseCollation,
    ]);
}
