"""One connection to the server through PyMySQL or MySQLdb (mysqlclient),
driven by a JSON spec on argv[1] (see PyClientSpec in ../clients.ts);
prints one JSON report. A MySQL error is reported, not raised; anything
else (PyMySQL's "Packet sequence number wrong", a TLS failure) is reported
with its exception type in place of the error number."""
import json
import ssl
import sys

spec = json.loads(sys.argv[1])
driver = spec['driver']
if driver == 'pymysql':
    import pymysql as db
else:
    import MySQLdb as db


def describe(error):
    args = getattr(error, 'args', ())
    if isinstance(error, db.MySQLError) and len(args) == 2 and isinstance(args[0], int):
        return [args[0], str(args[1])]
    return [type(error).__name__, ' '.join(str(a) for a in args)]


def connect():
    kw = {'host': '127.0.0.1', 'port': spec['port'], 'user': spec['user']}
    if driver == 'pymysql':
        kw['password'] = spec['password']
        if spec.get('tls'):
            kw['ssl'] = {'check_hostname': False, 'verify_mode': ssl.CERT_NONE}
        if spec.get('ca'):
            kw['ssl'] = {'ca': spec['ca']}  # verify_mode CERT_REQUIRED, host checked
        if spec.get('serverPublicKey'):
            kw['server_public_key'] = spec['serverPublicKey'].encode()
        if spec.get('database'):
            kw['database'] = spec['database']
    else:
        kw['passwd'] = spec['password']
        if spec.get('tls'):
            # Any ssl option turns TLS on in libmariadb; without a CA it checks nothing.
            kw['ssl'] = {'cipher': 'DEFAULT'}
        if spec.get('ca'):
            kw['ssl'] = {'ca': spec['ca']}
        if spec.get('defaultsFile'):
            kw['read_default_file'] = spec['defaultsFile']
            kw['read_default_group'] = spec['defaultsGroup']
        if spec.get('database'):
            kw['db'] = spec['database']
    return db.connect(**kw)


def run(conn, action):
    kind = action[0]
    if kind == 'query':
        cur = conn.cursor()
        cur.execute(action[1])
        sets = []
        while True:
            if cur.description is not None:
                sets.append([list(row) for row in cur.fetchall()])
            if not cur.nextset():
                break
        cur.close()
        return {'sets': sets}
    if kind == 'select_db':
        conn.select_db(action[1])
    elif kind == 'ping':
        if driver == 'pymysql':
            conn.ping(reconnect=False)
        else:
            conn.ping()
    elif kind == 'change_user':
        user, password = action[1], action[2]
        if len(action) > 3 and action[3]:
            conn.change_user(user, password, action[3])
        else:
            conn.change_user(user, password)
    else:
        raise ValueError('unknown action ' + kind)
    return {'ok': True}


try:
    conn = connect()
except Exception as error:  # a refusal is the result, whatever raised it
    print(json.dumps({'connectError': describe(error)}))
    sys.exit(0)

report = {'tls': None, 'steps': []}
if driver == 'pymysql':
    sock = conn._sock
    report['tls'] = sock.version() if isinstance(sock, ssl.SSLSocket) else None
else:
    del report['tls']  # mysqlclient does not say
for action in spec.get('actions', []):
    try:
        report['steps'].append(run(conn, action))
    except Exception as error:
        report['steps'].append({'error': describe(error)})
try:
    conn.close()
except Exception:
    pass  # already closed by the server (a refused change_user)
print(json.dumps(report, default=str, ensure_ascii=False))
