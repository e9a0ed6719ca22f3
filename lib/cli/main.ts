#!/usr/bin/env node
// The package's `bin`. Built twice (dist/cjs and dist/esm), so it names no
// module-kind-specific globals (`__dirname`, `import.meta`).
import { EXIT_USAGE, hashPasswordCommand } from './hash-password.js';

const USAGE = `Usage: nestjs-mysql-rpc <command>

Commands:
  hash-password [--json]   hash a password (from stdin or a prompt) into account verifiers

Run 'nestjs-mysql-rpc hash-password --help' for its details.
`;

/** Runs one command line; resolves to the exit status. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'hash-password') {
    return hashPasswordCommand(rest, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // An unknown command is not quoted back: it may be a mistyped password.
  process.stderr.write(
    command === undefined ? USAGE : `nestjs-mysql-rpc: unknown command\n\n${USAGE}`,
  );
  return EXIT_USAGE;
}

main(process.argv.slice(2)).then(
  // exitCode, not exit(): let stdout drain into a pipe first.
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nestjs-mysql-rpc: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
