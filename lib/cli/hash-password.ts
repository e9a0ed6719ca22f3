import { StringDecoder } from 'node:string_decoder';
import { hashPassword } from '../acl/hash-password.js';
import { SHA2_MAX_PASSWORD_LENGTH } from '../protocol/auth/sha256-crypt.js';

/** The stdin the command reads: a pipe, or a terminal it can put in raw mode. */
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Where the command reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  stdin: CliInput;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Help text of `nestjs-mysql-rpc hash-password`. */
export const HASH_PASSWORD_USAGE = `Usage: nestjs-mysql-rpc hash-password [--json]

Hashes a password into the verifiers an account can hold instead of the
password itself, and prints them:

  mysql_native_password  *<40 hex digits>     (option nativePasswordHash)
  caching_sha2_password  $A$005$<salt><hash>  (option cachingSha2PasswordHash)

The password is read from stdin when stdin is not a terminal (one trailing
newline is dropped), or else typed twice at a prompt that does not echo it.
It is never taken from the command line, where ps and shell history keep it.

Options:
  --json   print one JSON object {"nativePasswordHash", "cachingSha2PasswordHash"}
  --help   print this help
`;

/** Exit status of a wrong command line, as most Unix tools use. */
export const EXIT_USAGE = 2;
/** Exit status after Ctrl-C at the prompt: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** A refusal whose message is safe to print: it never contains the password. */
class Refused extends Error {}

const NAME = 'nestjs-mysql-rpc hash-password';
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const CTRL_U = 0x15;
const ESC = 0x1b;
const DEL = 0x7f;

/** Drops one trailing "\n" or "\r\n", what `echo` or a heredoc adds; nothing else. */
function dropNewline(bytes: Buffer): Buffer {
  const n = bytes.length;
  if (n >= 2 && bytes[n - 2] === 0x0d && bytes[n - 1] === 0x0a) return bytes.subarray(0, n - 2);
  if (n >= 1 && bytes[n - 1] === 0x0a) return bytes.subarray(0, n - 1);
  return bytes;
}

async function readPiped(stdin: CliInput): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    size += bytes.length;
    // Two bytes of slack for the newline; past that it can only be refused.
    if (size > SHA2_MAX_PASSWORD_LENGTH + 2) {
      throw new Refused(`the password is longer than ${SHA2_MAX_PASSWORD_LENGTH} bytes`);
    }
    chunks.push(bytes);
  }
  return dropNewline(Buffer.concat(chunks, size));
}

function decodePassword(bytes: Buffer): string {
  if (bytes.length === 0) {
    throw new Refused('empty password (an account without a password needs no verifier)');
  }
  if (bytes.length > SHA2_MAX_PASSWORD_LENGTH) {
    throw new Refused(`the password is longer than ${SHA2_MAX_PASSWORD_LENGTH} bytes`);
  }
  // A client sends the password NUL-terminated on the full path, so a NUL
  // inside it could never be sent whole.
  if (bytes.includes(0)) throw new Refused('the password contains a NUL byte');
  try {
    // Both verifiers must hash the same bytes: no silent U+FFFD replacement.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Refused('the password is not valid UTF-8');
  }
}

type Typed = { kind: 'lines'; lines: string[] } | { kind: 'interrupted' } | { kind: 'eof' };

/**
 * Reads one line per label from a terminal in raw mode, so nothing is
 * echoed: Enter (or Ctrl-D) ends a line, Backspace drops the last character,
 * Ctrl-U clears the line, Ctrl-C gives up, escape sequences (arrows and
 * other keys) and other control characters are ignored. Text typed ahead of
 * a prompt is kept for it.
 */
function readHidden(io: CliIo, labels: readonly string[]): Promise<Typed> {
  const stdin = io.stdin;
  return new Promise((resolve) => {
    const lines: string[] = [];
    const decoder = new StringDecoder('utf8');
    let current = '';
    let afterCr = false;
    const done = (result: Typed): void => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.setRawMode!(false);
      stdin.pause();
      current = '';
      resolve(result);
    };
    const onEnd = (): void => {
      io.stderr.write('\n');
      done({ kind: 'eof' });
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (bytes[0] === ESC) return;
      for (const ch of decoder.write(bytes)) {
        const code = ch.codePointAt(0)!;
        const wasCr = afterCr;
        afterCr = ch === '\r';
        if (code === CTRL_C) {
          io.stderr.write('\n');
          return done({ kind: 'interrupted' });
        }
        if (ch === '\n' && wasCr) continue;
        if (ch === '\r' || ch === '\n' || code === CTRL_D) {
          io.stderr.write('\n');
          lines.push(current);
          current = '';
          if (lines.length === labels.length) return done({ kind: 'lines', lines });
          io.stderr.write(labels[lines.length]!);
        } else if (code === DEL || code === BACKSPACE) {
          current = Array.from(current).slice(0, -1).join('');
        } else if (code === CTRL_U) {
          current = '';
        } else if (code >= 0x20) {
          current += ch;
        }
      }
    };
    // Raw mode first: a key pressed as soon as the prompt shows is not echoed.
    stdin.setRawMode!(true);
    io.stderr.write(labels[0]!);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

async function readPassword(io: CliIo): Promise<string | number> {
  if (!io.stdin.isTTY) return decodePassword(await readPiped(io.stdin));
  if (typeof io.stdin.setRawMode !== 'function') {
    throw new Refused('cannot turn off echo on this terminal; pipe the password on stdin instead');
  }
  const typed = await readHidden(io, ['Password: ', 'Again: ']);
  if (typed.kind === 'interrupted') return EXIT_INTERRUPTED;
  if (typed.kind === 'eof') throw new Refused('stdin closed before the password was typed');
  const [first, second] = typed.lines;
  if (first !== second) throw new Refused('the two passwords do not match');
  return decodePassword(Buffer.from(first!, 'utf8'));
}

/**
 * `nestjs-mysql-rpc hash-password [--json]`: reads a password from a pipe or
 * an echo-free prompt and prints its two verifiers. Resolves to the exit
 * status: 0, 1 (refused), 2 (usage) or 130 (Ctrl-C).
 */
export async function hashPasswordCommand(args: readonly string[], io: CliIo): Promise<number> {
  let json = false;
  let help = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else {
      // Not quoted back: the stray argument may well be the password.
      io.stderr.write(
        `${NAME}: unexpected argument. The password is never read from the command line: ` +
          `pipe it on stdin or type it at the prompt.\n\n${HASH_PASSWORD_USAGE}`,
      );
      return EXIT_USAGE;
    }
  }
  if (help) {
    io.stdout.write(HASH_PASSWORD_USAGE);
    return 0;
  }
  let password: string | number;
  try {
    password = await readPassword(io);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    io.stderr.write(`${NAME}: ${err.message}\n`);
    return 1;
  }
  if (typeof password === 'number') return password;
  const v = hashPassword(password);
  io.stdout.write(
    json
      ? JSON.stringify(v) + '\n'
      : `mysql_native_password  ${v.nativePasswordHash}\n` +
          `caching_sha2_password  ${v.cachingSha2PasswordHash}\n`,
  );
  return 0;
}
