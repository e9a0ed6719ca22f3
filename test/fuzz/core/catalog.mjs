/**
 * What an ERR may say. Read at start-up from the server's error table
 * (lib/protocol/errors.ts: `spec(code, 'STATE', 'template')`, `%s` = any
 * text) and from the errors the sample's handlers raise on purpose
 * (sample/math.controller.ts: MysqlError / RpcException). Anything else
 * in an ERR, or a stack trace, path or JS-internal text anywhere in a
 * reply that the input did not put there, is a leak.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const STRING = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|\`((?:[^\`\\]|\\.)*)\`)`;

function unquote(m, i) {
  const raw = m[i] ?? m[i + 1] ?? m[i + 2] ?? '';
  return raw.replace(/\\(.)/g, '$1');
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A template with `%s` holes (or `${...}` in a template literal) as an anchored RegExp. */
export function templateRegExp(template) {
  const parts = template.split(/%s|\$\{[^}]*\}/).map(escapeRe);
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

export function loadCatalog(root) {
  const entries = [];
  const errorsTs = readFileSync(join(root, 'lib/protocol/errors.ts'), 'utf8');
  const specRe = new RegExp(
    String.raw`spec\(\s*(\d+)\s*,\s*${STRING}\s*,\s*${STRING}\s*,?\s*\)`,
    'g',
  );
  for (const m of errorsTs.matchAll(specRe)) {
    const template = unquote(m, 5);
    entries.push({
      code: Number(m[1]),
      sqlState: unquote(m, 2),
      template,
      re: templateRegExp(template),
      source: 'errors.ts',
    });
  }
  if (entries.length < 5) {
    throw new Error(`read only ${entries.length} error templates from lib/protocol/errors.ts`);
  }
  // Texts the sample's handlers throw on purpose.
  const sample = readFileSync(join(root, 'sample/math.controller.ts'), 'utf8');
  const mysqlErrRe = new RegExp(
    String.raw`new MysqlError\(\s*(\d+)\s*,\s*${STRING}(?:\s*,\s*${STRING})?\s*\)`,
    'g',
  );
  for (const m of sample.matchAll(mysqlErrRe)) {
    const template = unquote(m, 2);
    entries.push({
      code: Number(m[1]),
      sqlState: m[5] !== undefined || m[6] !== undefined || m[7] ? unquote(m, 5) : 'HY000',
      template,
      re: templateRegExp(template),
      source: 'sample',
    });
  }
  const rpcObjRe = new RegExp(String.raw`new RpcException\(\s*\{([^}]*)\}\s*\)`, 'g');
  for (const m of sample.matchAll(rpcObjRe)) {
    const body = m[1];
    const code = /code:\s*(\d+)/.exec(body);
    const state = new RegExp(String.raw`sqlState:\s*${STRING}`).exec(body);
    const msg = new RegExp(String.raw`message:\s*${STRING}`).exec(body);
    if (!code || !msg) continue;
    const template = unquote(msg, 1);
    entries.push({
      code: Number(code[1]),
      sqlState: state ? unquote(state, 1) : 'HY000',
      template,
      re: templateRegExp(template),
      source: 'sample',
    });
  }
  const rpcTextRe = new RegExp(String.raw`new RpcException\(\s*${STRING}\s*\)`, 'g');
  for (const m of sample.matchAll(rpcTextRe)) {
    const template = unquote(m, 1);
    entries.push({ code: 1644, sqlState: '45000', template, re: templateRegExp(template) });
  }
  return new Catalog(entries);
}

/** Text that means internals reached the client: in an error or info message. */
const LEAK_PATTERNS = [
  /\n\s+at .+/, // a stack frame
  /\bat .+\((?:\/|node:|file:)[^)]*\)/,
  /\b(?:Type|Range|Reference|Syntax|Eval|URI|Internal|Aggregate)Error\b/,
  /\bError:/,
  /\[object \w+\]/,
  /\bundefined\b/,
  /\bNaN\b/,
  /(?:^|[\s'"(])\/(?:work|home|root|usr|tmp|app|srv|opt|var)\/[\w./-]+/,
  /node_modules/,
  /\b[\w-]+\.(?:js|ts|mjs|cjs):\d+/,
  /node:internal/,
];

/** In result rows, which echo client data: only unmistakable internals. */
const DATA_LEAK_PATTERNS = [
  /\n\s+at .+/,
  /\bat .+\((?:\/|node:|file:)[^)]*\)/,
  /\[object \w+\]/,
  /node_modules/,
  /node:internal/,
];

const globalize = (re) => new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
const LEAK_GLOBAL = LEAK_PATTERNS.map(globalize);
const DATA_LEAK_GLOBAL = DATA_LEAK_PATTERNS.map(globalize);

/** What the client sent, decoded once on demand the ways the server may echo it. */
export class Echo {
  constructor(input) {
    this.input = input;
    this.texts = null;
  }
  includes(s) {
    if (!this.input || this.input.length === 0) return false;
    this.texts ??= [this.input.toString('utf8'), this.input.toString('latin1')];
    return this.texts.some((t) => t.includes(s));
  }
}

export class Catalog {
  constructor(entries) {
    this.entries = entries;
    this.byCode = new Map();
    for (const e of entries) {
      if (!this.byCode.has(e.code)) this.byCode.set(e.code, []);
      this.byCode.get(e.code).push(e);
    }
  }

  get size() {
    return this.entries.length;
  }

  /** Problems with one ERR; `echo` is what the client sent (echoes of it are not leaks). */
  checkError(err, echo) {
    const problems = [];
    const byCode = this.byCode.get(err.code) ?? [];
    if (byCode.length === 0) {
      problems.push(`ERR code ${err.code} is not in the server's error table`);
    } else {
      const hit = byCode.filter((e) => e.re.test(err.message));
      if (hit.length === 0) {
        problems.push(`ERR ${err.code} message matches no known template`);
      } else if (err.sqlState !== null && !hit.some((e) => e.sqlState === err.sqlState)) {
        problems.push(
          `ERR ${err.code} has SQLSTATE '${err.sqlState}', expected '${hit[0].sqlState}'`,
        );
      }
    }
    if (err.code === 1064 && !err.message.startsWith('You have an error in your SQL syntax')) {
      problems.push('ERR 1064 does not read like a MySQL syntax error');
    }
    problems.push(...this.leaks(err.message, echo));
    return problems;
  }

  /** Leak patterns in `text` that the input (an Echo) does not itself contain. */
  leaks(text, echo, dataOnly = false) {
    const out = [];
    for (const re of dataOnly ? DATA_LEAK_GLOBAL : LEAK_GLOBAL) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) {
        const found = m[0].trim();
        if (!found || echo?.includes(found)) continue;
        out.push(`leak: ${JSON.stringify(found.slice(0, 80))} (pattern ${re.source})`);
        break;
      }
    }
    return out;
  }
}
