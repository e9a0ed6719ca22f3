"""PyMySQL and mysqlclient (MySQLdb, on libmariadb) as applications use them:
cursor.execute with %s parameters (both write the values into the SQL text,
COM_QUERY), every result set read with nextset(), and callproc() for OUT
values through its @_<proc>_<n> variables.

Usage: python3 client.py [host port user password] (or COMPAT_* variables,
see ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
result or {error: {code, sqlState, message}}.

Values: bytes are {hex}, integers beyond 2^53 {bigint}, Decimal its digits,
datetime "YYYY-MM-DD HH:MM:SS.mmm", date "YYYY-MM-DD".

Neither driver keeps the SQLSTATE of an ERR packet: PyMySQL's is read from
the packet as it arrives (raise_mysql_exception is wrapped), mysqlclient's
from connection.sqlstate(); a failed mysqlclient login has no connection to
ask, so its sqlState is null."""
import datetime
import decimal
import json
import os
import ssl
import sys
import time

import MySQLdb
import pymysql
import pymysql.err

HOST = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('COMPAT_HOST', '127.0.0.1')
PORT = int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get('COMPAT_PORT', '3308'))
USER = sys.argv[3] if len(sys.argv) > 3 else os.environ.get('COMPAT_USER', 'testuser')
PASSWORD = sys.argv[4] if len(sys.argv) > 4 else os.environ.get('COMPAT_PASSWORD', 'testpass')
TLS_USER = os.environ.get('COMPAT_TLS_USER', 'secure')
TLS_PASSWORD = os.environ.get('COMPAT_TLS_PASSWORD', 'securepass')
LARGE = 'x' * int(os.environ.get('COMPAT_LARGE_LENGTH', '1572864'))
UNICODE = 'ünï 😀 €𝄞 中文'

# The argtypes arguments (ARGS in ../harness/checks.ts), then 12.50 as a Decimal.
ARGS = [
    7, -7, 9007199254740993, 1.5, '12.50', 'it\'s "q" \\ x', 'héllo 😀 中', None,
    b"\x00\xff'\\", datetime.date(2026, 1, 2), datetime.datetime(2026, 1, 2, 3, 4, 5),
    decimal.Decimal('12.50'),
]

last_sqlstate = None
_raise = pymysql.err.raise_mysql_exception


def _recording(data):
    global last_sqlstate
    last_sqlstate = data[4:9].decode() if data[3:4] == b'#' else None
    _raise(data)


pymysql.err.raise_mysql_exception = _recording


def encode(v):
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {k: encode(x) for k, x in v.items()}
    if isinstance(v, bool) or v is None or isinstance(v, (float, str)):
        return v
    if isinstance(v, int):
        return {'bigint': str(v)} if abs(v) > 9007199254740991 else v
    if isinstance(v, (bytes, bytearray)):
        return {'hex': bytes(v).hex()}
    if isinstance(v, datetime.datetime):
        return v.isoformat(sep=' ', timespec='milliseconds')
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return str(v)


class Variant:
    def __init__(self, name, db):
        self.name = name
        self.db = db
        self.conn = None

    def connect(self, user, password, tls=False):
        # A reply the server never sends fails that check after 10 s, not the run.
        kw = {'host': HOST, 'port': PORT, 'user': user, 'charset': 'utf8mb4',
              'connect_timeout': 10, 'read_timeout': 10}
        if self.db is pymysql:
            kw['password'] = password
            if tls:
                kw['ssl'] = {'check_hostname': False, 'verify_mode': ssl.CERT_NONE}
        else:
            kw['passwd'] = password
            if tls:
                # Any ssl option turns TLS on in libmariadb; without a CA it checks nothing.
                kw['ssl'] = {'cipher': 'DEFAULT'}
        self.conn = self.db.connect(**kw)
        return self.conn

    def failure(self, error):
        global last_sqlstate
        args = getattr(error, 'args', ())
        if isinstance(error, self.db.MySQLError) and len(args) == 2 and isinstance(args[0], int):
            if self.db is pymysql:
                state = last_sqlstate
            else:
                try:
                    state = self.conn.sqlstate() if self.conn else None
                except Exception:
                    state = None
            last_sqlstate = None
            return {'error': {'code': args[0], 'sqlState': state, 'message': str(args[1])}}
        return {'error': {'code': type(error).__name__, 'sqlState': None,
                          'message': ' '.join(str(a) for a in args)}}


def read_sets(cur):
    names = lambda: [d[0] for d in cur.description]
    sets = []
    while True:
        if cur.description is not None:
            columns = names()
            sets.append([dict(zip(columns, encode(row))) for row in cur.fetchall()])
        if not cur.nextset():
            break
    return sets


def run(conn, sql, values=None):
    cur = conn.cursor()
    cur.execute(sql, values)
    sets = read_sets(cur)
    cur.close()
    return sets


def large(conn):
    rows = run(conn, 'CALL echo(%s)', [LARGE])
    v = rows[0][0]['v']
    return [[{'length': len(v) if v is not None else None, 'same': v == LARGE}]]


def callproc_out(conn):
    # callproc sets @_myadd_out_0.. to the arguments, calls myadd_out(@_myadd_out_0, ..) and
    # leaves the OUT value in @_myadd_out_2.
    cur = conn.cursor()
    cur.callproc('myadd_out', (3, 4, 0))
    call = read_sets(cur)
    cur.close()
    return {'call': call, 'select': run(conn, 'SELECT @_myadd_out_2')}


PLACEHOLDERS = ', '.join(['%s'] * len(ARGS))
CHECKS = {
    'myadd': lambda c: run(c, 'CALL myadd(3, 4)'),
    'myadd_bound': lambda c: run(c, 'CALL myadd(%s, %s)', [3, 4]),
    'argtypes': lambda c: run(c, 'CALL argtypes(%s)' % PLACEHOLDERS, ARGS),
    'series': lambda c: run(c, 'CALL series(3)'),
    'stats': lambda c: run(c, 'CALL stats()'),
    'unicode': lambda c: run(c, 'CALL echo(%s)', [UNICODE]),
    'null': lambda c: run(c, 'CALL echo(NULL)'),
    'large': large,
    'out_param': lambda c: {'call': run(c, 'CALL myadd_out(3, 4, @s)'), 'select': run(c, 'SELECT @s')},
    'callproc_out': callproc_out,
    'error_unknown': lambda c: run(c, 'CALL nosuch()'),
    'error_denied': lambda c: run(c, 'CALL secret()'),
    'error_failing': lambda c: run(c, "CALL fail('dup')"),
}


# Past this many seconds the remaining checks are reported as not run (a server that never answers).
BUDGET = float(os.environ.get('COMPAT_BUDGET_SECONDS', '90'))
STARTED = time.monotonic()


def attempt(variant, fn):
    if time.monotonic() - STARTED > BUDGET:
        return {'error': {'code': 'NotRun', 'sqlState': None,
                          'message': 'not run: the %g s budget was spent' % BUDGET}}
    variant.conn = None
    try:
        return fn()
    except Exception as error:  # a failed check is its result
        return variant.failure(error)
    finally:
        if variant.conn is not None:
            try:
                variant.conn.close()
            except Exception:
                pass


report = {}
for variant in (Variant('pymysql', pymysql), Variant('mysqlclient', MySQLdb)):
    v = variant
    report[v.name + '.login'] = attempt(v, lambda: run(v.connect(USER, PASSWORD), 'CALL whoami()'))
    report[v.name + '.login_tls'] = attempt(
        v, lambda: run(v.connect(TLS_USER, TLS_PASSWORD, tls=True), 'CALL whoami()'))
    report[v.name + '.login_wrong_password'] = attempt(
        v, lambda: v.connect(USER, 'wrong') and 'logged in')
    for check, fn in CHECKS.items():
        report[v.name + '.' + check] = attempt(v, lambda: fn(v.connect(USER, PASSWORD)))
print(json.dumps(report, ensure_ascii=False))
