/**
 * The server's prepared-statement count against the harness's connections
 * (the count oracle), and the limits checked beside the campaign.
 *
 * Every Session keeps the ids of the statements its replies say it holds
 * (PREPARE_OK adds, COM_STMT_CLOSE, COM_RESET_CONNECTION and a successful
 * COM_CHANGE_USER remove, a closed connection holds none). Between inputs
 * nothing else runs on the campaign's server, so its count
 * (`max_prepared_stmt_count`'s budget, read over IPC) must equal the sum over
 * the open sessions; a connection just closed may take the server a moment
 * to notice, so the check waits up to `settleMs` for the two to agree.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Violation } from './replies.mjs';
import { Session } from './session.mjs';
import { COM, command, frame } from './wire.mjs';

/** What the harness's open connections hold. */
export function heldStatements(env) {
  let n = 0;
  for (const s of env.sessions ?? []) n += s.openStatements;
  return n;
}

/** null when the server's count equals the harness's (or the server cannot say), else the problem. */
export async function checkStatementCount(env, settleMs = 1500) {
  if (!env.preparedCount) return null;
  const until = Date.now() + settleMs;
  for (;;) {
    const got = await env.preparedCount();
    if (!got) return null;
    const held = heldStatements(env);
    if (got.count === held) return null;
    if (Date.now() > until) {
      return `the server counts ${got.count} prepared statements open; the harness's connections hold ${held}`;
    }
    await delay(25);
  }
}

const stmtClose = (id) => {
  const b = Buffer.alloc(5);
  b[0] = COM.STMT_CLOSE;
  b.writeUInt32LE(id, 1);
  return frame(0, b);
};

/**
 * Beside the campaign (when the `prepared` kind runs), on logged-in
 * connections of the campaign's server:
 *  - max_prepared_stmt_count: one connection prepares until ERR 1461 (with
 *    the text MySQL gives), which must come when the server's count reaches
 *    the limit and not before; then it closes a statement and prepares one
 *    more; after it closes the connection the count is back;
 *  - long data past max_allowed_packet: pieces summing to one byte more
 *    than the limit get no reply; the next execute is ERR 1153 and the
 *    connection still answers.
 * Returns { problems: [..], notes: [..] }.
 */
export async function preparedLimits(env, caps, { longData = true } = {}) {
  const problems = [];
  const notes = [];
  // Connections closed just before may not have been noticed yet: wait until the counts agree.
  const settled = await checkStatementCount(env, 5000);
  if (settled) return { problems: [`before the limits check: ${settled}`], notes };
  const budget = env.preparedCount ? await env.preparedCount() : null;
  if (!budget) return { problems, notes: ['no prepared-statement count from the server (IPC)'] };
  let s = await Session.open(env);
  try {
    await s.login(caps);
    const before = budget.count;
    const room = budget.limit - before;
    // Prepared in batches of one write each; every reply read and checked.
    const batch = 512;
    let prepared = 0;
    let refused = null;
    const prep = command(COM.STMT_PREPARE, 'CALL myadd(?, ?)');
    while (refused === null && prepared <= budget.limit) {
      const n = Math.max(1, Math.min(batch, room + 1 - prepared));
      const out = await s.play(Buffer.concat(Array.from({ length: n }, () => prep)), {
        ping: false,
      });
      for (const r of out.replies) {
        if (r.r.end === 'prepared') prepared++;
        else if (r.r.end === 'err') refused ??= r.r.err;
      }
      if (out.closed) throw new Violation('limits', 'the connection closed while preparing');
    }
    const want = `Can't create more than max_prepared_stmt_count statements (current value: ${budget.limit})`;
    if (
      !refused ||
      refused.code !== 1461 ||
      refused.sqlState !== '42000' ||
      refused.message !== want
    ) {
      problems.push(
        `max_prepared_stmt_count ${budget.limit}: ${prepared} prepared, then ${refused ? `ERR ${refused.code} ${refused.sqlState} ${refused.message}` : 'no refusal'}`,
      );
    } else if (prepared !== room) {
      problems.push(
        `ERR 1461 after ${prepared} statements; ${room} were free (limit ${budget.limit}, ${before} open)`,
      );
    }
    const full = await env.preparedCount();
    if (full && full.count !== budget.limit && problems.length === 0) {
      problems.push(`at ERR 1461 the server counts ${full.count} statements, not ${budget.limit}`);
    }
    // One closed: one more can be prepared.
    const last = [...s.stmts].at(-1);
    const out = await s.play(Buffer.concat([stmtClose(last), prep]), {});
    const again = out.replies.at(-1)?.r;
    if (again?.end !== 'prepared') {
      problems.push(
        `after COM_STMT_CLOSE at the limit, PREPARE got ${again?.end} ${again?.err?.code ?? ''}`,
      );
    }
    notes.push(`max_prepared_stmt_count ${budget.limit}: ERR 1461 after ${prepared} statements`);
  } catch (e) {
    problems.push(`max_prepared_stmt_count check: ${e.message}`);
  } finally {
    s.close();
  }
  const back = await checkStatementCount(env, 5000);
  if (back) problems.push(`after the connection at the limit closed: ${back}`);

  if (!longData) return { problems, notes };
  // Long data: max_allowed_packet + 1 bytes in pieces of 8 MiB.
  s = await Session.open(env);
  try {
    await s.login(caps);
    const limit = env.maxPacket;
    const prepOut = await s.play(command(COM.STMT_PREPARE, 'CALL argtypes(?)'), { ping: false });
    const id = prepOut.replies[0]?.r.id;
    if (prepOut.replies[0]?.r.end !== 'prepared') throw new Error('PREPARE failed');
    const piece = 8 * 1024 * 1024;
    const parts = [];
    for (let sent = 0; sent <= limit;) {
      const n = Math.min(piece, limit + 1 - sent);
      const head = Buffer.alloc(7);
      head[0] = COM.STMT_SEND_LONG_DATA;
      head.writeUInt32LE(id, 1);
      head.writeUInt16LE(0, 5);
      parts.push(frame(0, Buffer.concat([head, Buffer.alloc(n, 0x61)])));
      sent += n;
    }
    const exec = Buffer.alloc(15);
    exec[0] = COM.STMT_EXECUTE;
    exec.writeUInt32LE(id, 1);
    exec.writeUInt32LE(1, 6);
    exec[10] = 0; // NULL bitmap
    exec[11] = 1; // new params bound
    exec[12] = 0xfc; // BLOB
    exec[13] = 0;
    const t0 = Date.now();
    const out = await s.play(Buffer.concat([...parts, frame(0, exec.subarray(0, 14))]), {});
    const r = out.replies.at(-1)?.r;
    if (r?.end !== 'err' || r.err.code !== 1153) {
      problems.push(
        `long data of max_allowed_packet + 1 bytes: the next execute got ${r?.end} ${r?.err ? `${r.err.code} ${r.err.message}` : ''}, not ERR 1153`,
      );
    }
    notes.push(
      `long data past max_allowed_packet: ${r?.end === 'err' ? `ERR ${r.err.code}` : r?.end} in ${Date.now() - t0} ms${out.closed ? ', connection closed' : ', connection kept'}`,
    );
  } catch (e) {
    problems.push(`long data past max_allowed_packet: ${e.message}`);
  } finally {
    s.close();
  }
  const after = await checkStatementCount(env, 5000);
  if (after) problems.push(`after the long-data check: ${after}`);
  return { problems, notes };
}
