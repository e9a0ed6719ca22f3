"""The MariaDB command-line tools (mariadb-client 10.11, on libmariadb):
the mariadb CLI in batch mode and interactively under a pseudo-terminal,
mysqladmin and mariadb-slap.

Usage: python3 client.py [host port user password] (or COMPAT_* variables,
see ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
result. A batch run's result is {code, stdout, stderr}; an interactive
step's is the text the terminal showed (carriage returns and terminal
escapes removed, the BEL of a failed completion kept as \\u0007, timings
written "(N sec)").

Every tool runs with --no-defaults (no option file of this machine) and
with its default TLS (the MariaDB tools use TLS when the server offers it).
"""
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

HOST = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('COMPAT_HOST', '127.0.0.1')
PORT = sys.argv[2] if len(sys.argv) > 2 else os.environ.get('COMPAT_PORT', '3308')
USER = sys.argv[3] if len(sys.argv) > 3 else os.environ.get('COMPAT_USER', 'testuser')
PASSWORD = sys.argv[4] if len(sys.argv) > 4 else os.environ.get('COMPAT_PASSWORD', 'testpass')
LARGE_LENGTH = int(os.environ.get('COMPAT_LARGE_LENGTH', '1572864'))
UNICODE = 'ünï 😀 €𝄞 中文'

MARIADB = '/usr/bin/mariadb'
MYSQLADMIN = '/usr/bin/mysqladmin'
SLAP = '/usr/bin/mariadb-slap'
LOGIN = ['--no-defaults', '-h' + HOST, '-P' + str(PORT), '-u' + USER, '--password=' + PASSWORD]
ENV = dict(os.environ, MYSQL_HISTFILE='/dev/null', TERM='dumb', LC_ALL='C.UTF-8')

TIMING = re.compile(r'\(\d+\.\d+ sec\)')
# A tool that never ends (a reply the server never sends) fails its check after this many seconds.
TIMEOUT = 20


# Past this many seconds the remaining tools are reported as not run (a server that never answers).
BUDGET = float(os.environ.get('COMPAT_BUDGET_SECONDS', '90'))
STARTED = time.monotonic()


def tool(program, args, stdin=None):
    if time.monotonic() - STARTED > BUDGET:
        return {'code': 'not run', 'stdout': '', 'stderr': 'the %g s budget was spent' % BUDGET}
    try:
        done = subprocess.run([program] + args, input=stdin, capture_output=True, env=ENV,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return {'code': 'timeout', 'stdout': (e.stdout or b'').decode('utf-8', 'replace'),
                'stderr': 'no end within %d s' % TIMEOUT}
    return {
        'code': done.returncode,
        'stdout': TIMING.sub('(N sec)', done.stdout.decode('utf-8', 'replace')),
        'stderr': done.stderr.decode('utf-8', 'replace'),
    }


def batch(sql, *flags):
    return tool(MARIADB, LOGIN + ['--batch'] + list(flags) + ['-e', sql])


def batch_large():
    # Too long for an argument (a single argv string is capped at 128 KiB): the SQL goes to stdin.
    text = 'x' * LARGE_LENGTH
    done = tool(MARIADB, LOGIN + ['--batch', '--skip-column-names'],
                ("CALL echo('%s');\n" % text).encode())
    out = done['stdout'].rstrip('\n')
    return {'code': done['code'], 'length': len(out), 'same': out == text, 'stderr': done['stderr']}


class Terminal:
    """The mariadb CLI on a pseudo-terminal (TERM=dumb): keystrokes in, the screen's lines out.

    Each step's text starts at the prompt line its keys were typed on and ends
    with the next prompt, as the screen shows them: a carriage return (the
    line editor redrawing the line after a completion) overwrites the line
    from its start, bells and terminal escapes are dropped, and timings are
    written "(N sec)".
    """

    PROMPT = re.compile(r'(MySQL|MariaDB) \[[^\]]*\]> $|Bye\n$')

    def __init__(self, args):
        self.line = ''  # the screen's last, unfinished line (a prompt)
        self.stuck = None  # the step after which no prompt came back
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the CLI, with the terminal as its stdin/stdout
            os.execve(MARIADB, [MARIADB] + args, ENV)

    def _read(self, until_prompt, timeout):
        buf = b''
        end = time.time() + timeout
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.15)
            if not ready:
                # Quiet for 150 ms: done if the screen ends with a prompt.
                if until_prompt and self.PROMPT.search(self._screen(buf)):
                    break
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break  # the CLI exited
            if not chunk:
                break
            buf += chunk
        return buf

    def _screen(self, raw):
        text = raw.decode('utf-8', 'replace')
        text = re.sub(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b\([AB0]|[\x07\x0e\x0f]', '', text)
        lines, current, column = [], list(self.line), len(self.line)
        for ch in text.replace('\r\n', '\n'):
            if ch == '\n':
                lines.append(''.join(current))
                current, column = [], 0
            elif ch == '\r':
                column = 0
            else:
                if column < len(current):
                    current[column] = ch
                else:
                    current.append(ch)
                column += 1
        lines.append(''.join(current))
        return TIMING.sub('(N sec)', '\n'.join(lines))

    def step(self, *keys, timeout=10):
        """Types each string of keys in turn (waiting half a second between them) and returns the screen.

        Once a step has not come back to a prompt within `timeout`, the CLI is
        stuck (waiting for a reply): later steps are not typed, each says so.
        """
        if self.stuck is not None:
            return 'not run: no prompt came back after %r' % self.stuck
        raw = b''
        for i, k in enumerate(keys):
            os.write(self.fd, k.encode())
            raw += self._read(i == len(keys) - 1, timeout if i == len(keys) - 1 else 0.5)
        screen = self._screen(raw)
        self.line = screen.rsplit('\n', 1)[-1]
        if not self.PROMPT.search(screen):
            self.stuck = ''.join(keys)
        return screen

    def close(self):
        if self.stuck is not None:
            try:
                os.kill(self.pid, 9)  # the CLI this helper started, still waiting for the server
            except ProcessLookupError:
                pass
        try:
            os.close(self.fd)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def interactive(report, source_file):
    term = Terminal(LOGIN)
    try:
        report['interactive.startup'] = term.step('')
        report['interactive.use'] = term.step('use rpc\n')
        report['interactive.status'] = term.step('status\n')
        # TAB completion: the CLI completes database, table and column names (read with
        # SHOW DATABASES / SHOW TABLES at `use`) and its own commands; "inf" becomes
        # information_schema, and "rp" rpc again. Procedures are not among its names.
        report['interactive.completion'] = term.step('use inf\t', ';\n')
        report['interactive.completion_back'] = term.step('use rp\t', ';\n')
        report['interactive.call'] = term.step('call myadd(3,4);\n')
        report['interactive.multi_results'] = term.step('call stats();\n')
        report['interactive.error'] = term.step('call nosuch();\n')
        report['interactive.source'] = term.step('source %s\n' % source_file)
        report['interactive.quit'] = term.step('quit\n')
    finally:
        term.close()


def main():
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        source_file = os.path.join(tmp, 'calls.sql')
        with open(source_file, 'w', encoding='utf-8') as f:
            f.write("-- run with `source`\ncall myadd(1, 2);\ncall echo('%s');\ncall series(2);\n" % UNICODE)

        report['batch.login'] = batch('call whoami()')
        report['batch.myadd'] = batch('call myadd(3, 4)')
        report['batch.table'] = batch('call myadd(3, 4)', '--table')
        report['batch.series'] = batch('call series(3)')
        report['batch.stats'] = batch('call stats()')
        report['batch.unicode'] = batch("call echo('%s')" % UNICODE)
        report['batch.null'] = batch('call echo(NULL)')
        report['batch.large'] = batch_large()
        report['batch.out_param'] = batch('call myadd_out(3, 4, @s); select @s')
        report['batch.error_unknown'] = batch('call nosuch()')
        report['batch.error_denied'] = batch('call secret()')
        report['batch.error_failing'] = batch("call fail('dup')")
        report['batch.source'] = batch('source %s' % source_file)
        report['batch.use_and_status'] = batch('use rpc\nstatus')

        interactive(report, source_file)

        report['mysqladmin.ping'] = tool(MYSQLADMIN, LOGIN + ['ping'])
        report['mysqladmin.status'] = tool(MYSQLADMIN, LOGIN + ['status'])
        report['mysqladmin.processlist'] = tool(MYSQLADMIN, LOGIN + ['processlist'])

        # 8 clients at once, each running the CALLs 3 times over (24 CALLs per iteration).
        report['slap.concurrency'] = tool(SLAP, LOGIN + [
            '--create-schema=rpc', '--query=call myadd(1, 2); call series(2); call stats()',
            '--delimiter=;', '--concurrency=8', '--iterations=2', '--number-of-queries=48',
        ])
        # The temporary folder's name varies: the reports say <calls.sql>.
        report = json.loads(json.dumps(report, ensure_ascii=False).replace(source_file, '<calls.sql>'))
    print(json.dumps(report, ensure_ascii=False))


main()
