/**
 * The sample's procedures as the harness needs them for prepared
 * statements: every `@MessagePattern('name')` of the sample's controllers,
 * and for those with a `@MysqlProcedure({ params: [...] })` signature the
 * direction of each parameter (IN, OUT, INOUT). Read from the sample's
 * sources (sample/*.controller.ts), not from the server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map();

/** Map name -> { name, params: null | [{ dir, name, type }] } (null: no signature, any arguments). */
export function loadProcedures(root) {
  if (cache.has(root)) return cache.get(root);
  const table = new Map();
  const dir = join(root, 'sample');
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.controller.ts'));
  } catch {
    // no sources: an empty table (the kinds fall back on weaker checks)
  }
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const re = /@MessagePattern\(\s*'([^']+)'\s*\)/g;
    let from = 0;
    for (const m of text.matchAll(re)) {
      // What lies between the previous handler's decorator and this one: its method, then
      // this handler's own decorators (the signature, if any, is the last in it).
      const between = text.slice(from, m.index);
      from = m.index + m[0].length;
      const at = between.lastIndexOf('@MysqlProcedure(');
      const sig =
        at < 0
          ? null
          : /^@MysqlProcedure\(\s*\{[\s\S]*?params:\s*\[([\s\S]*?)\]/.exec(between.slice(at));
      let params = null;
      if (sig) {
        params = [...sig[1].matchAll(/'([^']*)'/g)].map(([, p]) => {
          const words = p.trim().split(/\s+/);
          const dir = /^(IN|OUT|INOUT)$/i.test(words[0]) ? words.shift().toUpperCase() : 'IN';
          return { dir, name: words[0], type: words.slice(1).join(' ') };
        });
      }
      table.set(m[1], { name: m[1], params });
    }
  }
  cache.set(root, table);
  return table;
}

/**
 * A plain `CALL [schema.]name(args)` as the harness reads it (args: `?`,
 * numbers, quoted strings, X'..', NULL, TRUE/FALSE, @var), an optional `;`
 * and blanks around; anything else (comments, expressions, odd quoting) is
 * null: the kinds then only apply the shared oracle.
 */
export function parseSimpleCall(sql) {
  const s = sql;
  let i = 0;
  const n = s.length;
  const blank = () => {
    while (i < n && /[ \t\n\v\f\r]/.test(s[i])) i++;
  };
  const ident = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(s.slice(i, i + 80));
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  blank();
  if (s.slice(i, i + 4).toUpperCase() !== 'CALL' || !/[ \t\n\v\f\r]/.test(s[i + 4] ?? ''))
    return null;
  i += 4;
  blank();
  let schema = null;
  let name = ident();
  if (name === null) return null;
  if (s[i] === '.') {
    i++;
    schema = name;
    name = ident();
    if (name === null) return null;
  }
  blank();
  const args = [];
  if (s[i] === '(') {
    i++;
    blank();
    if (s[i] === ')') i++;
    else {
      for (;;) {
        blank();
        const arg = argument();
        if (arg === null) return null;
        args.push(arg);
        blank();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ')') {
          i++;
          break;
        }
        return null;
      }
    }
  }
  blank();
  if (s[i] === ';') i++;
  blank();
  if (i !== n) return null;
  return { schema, name, args, placeholders: args.filter((a) => a.kind === '?').length };

  function argument() {
    const rest = s.slice(i, i + 200);
    let m;
    if (s[i] === '?') {
      i++;
      return { kind: '?' };
    }
    if ((m = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(?![\w.])/.exec(rest))) {
      i += m[0].length;
      return { kind: 'literal', text: m[0] };
    }
    if ((m = /^(NULL|TRUE|FALSE)\b/i.exec(rest))) {
      i += m[0].length;
      return { kind: 'literal', text: m[0] };
    }
    if ((m = /^[xX]'([0-9a-fA-F]{2})*'/.exec(rest))) {
      i += m[0].length;
      return { kind: 'literal', text: m[0] };
    }
    if ((m = /^@[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      i += m[0].length;
      return { kind: 'variable', name: m[0].slice(1) };
    }
    if (s[i] === "'") {
      // Only strings without backslashes: their meaning does not depend on sql_mode.
      let j = i + 1;
      for (;;) {
        const k = s.indexOf("'", j);
        if (k < 0) return null;
        if (s[k + 1] === "'") {
          j = k + 2;
          continue;
        }
        const body = s.slice(i + 1, k);
        if (body.includes('\\')) return null;
        i = k + 1;
        return { kind: 'literal', text: `'${body}'` };
      }
    }
    return null;
  }
}
