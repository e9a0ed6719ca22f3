/**
 * The registry of input kinds. A kind is a module whose default export has:
 *
 *   name          what `--kind` and the summary call it
 *   weight        share of the campaign's inputs
 *   capProfiles?  client flags to log in with (one picked per connection),
 *                 when the kind needs others than the campaign's standard ones
 *   session       'greeting' (each input on a fresh connection, right after
 *                 the greeting) or 'logged-in' (after the standard login, on
 *                 a connection kept while it stays usable)
 *   seeds(ctx)    initial corpus: [{ bytes, ...anything mutate() wants }]
 *   mutate(rng, entry, ctx) -> { bytes, ... }   a new input from a corpus entry
 *   wire(bytes, session)  the client packets that carry the input (framing);
 *                 may read what setup() left on the session
 *   setup?(session, ctx)   async; runs once per new connection before inputs
 *                 (e.g. COM_STMT_PREPARE for a binary-protocol kind: send it
 *                 with session.play(), read the statement id, keep it on the
 *                 session for wire() to put into each COM_STMT_EXECUTE)
 *   shapeOf?(cmd, payload) reply shape per command, when it differs from
 *                 the default table in core/replies.mjs (e.g. 'execute')
 *   check?(outcome, entry, session)  extra expectations; returns a problem or null
 *   before?(session, ctx)  async; runs before each input on its session
 *   after?(session, outcome, entry)  async; runs after each input on its
 *                 session while it is still open (e.g. SELECT CURRENT_USER()
 *                 after a login); returns a problem or null
 *   variant?(bytes, ctx)    a twin input that must get a byte-identical reply
 *                 on the same session (differential check), or null
 *
 * The shared oracle (core/session.mjs + core/replies.mjs) judges every
 * reply; a kind only says what to send and anything stricter it knows.
 */
import auth from './auth.mjs';
import changeUser from './change-user.mjs';
import command from './command.mjs';
import grants from './grants.mjs';
import login from './login.mjs';
import multi from './multi.mjs';
import prepared from './prepared.mjs';
import sql from './sql.mjs';

export const KINDS = [login, command, sql, auth, changeUser, grants, prepared, multi];
