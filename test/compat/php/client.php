<?php
// PHP's two MySQL APIs on mysqlnd, as applications use them:
//   pdo_emulated  PDO, ATTR_EMULATE_PREPARES true (the default): PDO writes
//                 the values into the SQL text, COM_QUERY
//   pdo_native    PDO, ATTR_EMULATE_PREPARES false: COM_STMT_PREPARE/EXECUTE
//   mysqli        mysqli::real_query, values escaped with real_escape_string
//   mysqli_stmt   mysqli::prepare + bind_param ('i', 'd', 's', and 'b' with
//                 send_long_data for bytes and the large argument)
// Usage: php client.php [host port user password] (or COMPAT_* variables,
// see ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
// result or {error: {code, sqlState, message}}.
// Values: PHP strings are bytes: valid UTF-8 stays a string, anything else
// is {hex}; integers beyond 2^53 are {bigint}.

$host = $argv[1] ?? getenv('COMPAT_HOST') ?: '127.0.0.1';
$port = (int) ($argv[2] ?? getenv('COMPAT_PORT') ?: 3308);
$user = $argv[3] ?? getenv('COMPAT_USER') ?: 'testuser';
$password = $argv[4] ?? getenv('COMPAT_PASSWORD') ?: 'testpass';
$tlsUser = getenv('COMPAT_TLS_USER') ?: 'secure';
$tlsPassword = getenv('COMPAT_TLS_PASSWORD') ?: 'securepass';
// Only these checks (by name) when set; login_full_path runs only when named here.
$only = getenv('COMPAT_ONLY') ? explode(',', getenv('COMPAT_ONLY')) : null;
// login_full_path: accounts "<prefix>pdo" and "<prefix>mysqli" known only by their caching_sha2 verifier.
$fullPrefix = getenv('COMPAT_FULL_PATH_PREFIX') ?: 'full_';
$fullPassword = getenv('COMPAT_FULL_PATH_PASSWORD') ?: 'sha2pass';
$large = str_repeat('x', (int) (getenv('COMPAT_LARGE_LENGTH') ?: 1572864));
const UNICODE = 'ünï 😀 €𝄞 中文';
// A reply the server never sends fails that check after 10 s, not the run.
ini_set('mysqlnd.net_read_timeout', '10');
ini_set('default_socket_timeout', '10');

// The argtypes arguments (ARGS in ../harness/checks.ts): [value, bind_param type].
$ARGS = [
    [7, 'i'],
    [-7, 'i'],
    [9007199254740993, 'i'],
    [1.5, 'd'],
    ['12.50', 's'],
    ['it\'s "q" \\ x', 's'],
    ['héllo 😀 中', 's'],
    [null, 's'],
    ["\x00\xff'\\", 'b'],
    ['2026-01-02', 's'],
    ['2026-01-02 03:04:05', 's'],
];

function encode($v)
{
    if (is_array($v)) {
        return array_map('encode', $v);
    }
    if (is_int($v) && abs($v) > 9007199254740991) {
        return ['bigint' => (string) $v];
    }
    if (is_string($v) && !preg_match('//u', $v)) {
        return ['hex' => bin2hex($v)];
    }
    return $v;
}

function failure($code, $sqlState, $message)
{
    return ['error' => ['code' => $code, 'sqlState' => $sqlState, 'message' => $message]];
}

function describe(Throwable $e)
{
    if ($e instanceof PDOException) {
        $info = $e->errorInfo;
        if (is_array($info) && isset($info[1]) && $info[1] !== null) {
            return failure((int) $info[1], $info[0], $info[2]);
        }
        // Connection errors: "SQLSTATE[28000] [1045] Access denied ..."
        if (preg_match('/^SQLSTATE\[(\w+)\] \[(\d+)\] (.*)$/s', $e->getMessage(), $m)) {
            return failure((int) $m[2], $m[1], $m[3]);
        }
    }
    if ($e instanceof mysqli_sql_exception && $e->getCode() > 0) {
        return failure($e->getCode(), $e->getSqlState(), $e->getMessage());
    }
    return failure(get_class($e), null, $e->getMessage());
}

// ---- PDO

function pdoConnect($emulate, $who, $tls = false)
{
    global $host, $port;
    $options = [
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_EMULATE_PREPARES => $emulate,
    ];
    if ($tls) {
        // Any SSL attribute turns TLS on in mysqlnd; the certificate is the server's own, unchecked.
        $options[PDO::MYSQL_ATTR_SSL_CAPATH] = '/etc/ssl/certs';
        $options[PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] = false;
    }
    return new PDO("mysql:host=$host;port=$port;charset=utf8mb4", $who[0], $who[1], $options);
}

function pdoSets(PDOStatement $stmt)
{
    $sets = [];
    do {
        if ($stmt->columnCount() > 0) {
            $sets[] = encode($stmt->fetchAll(PDO::FETCH_ASSOC));
        }
    } while ($stmt->nextRowset());
    return $sets;
}

function pdoRun(PDO $db, $sql, $values = null)
{
    if ($values === null) {
        return pdoSets($db->query($sql));
    }
    $stmt = $db->prepare($sql);
    foreach ($values as $i => [$v, $type]) {
        $pdoType = $v === null ? PDO::PARAM_NULL : ($type === 'i' ? PDO::PARAM_INT : ($type === 'b' ? PDO::PARAM_LOB : PDO::PARAM_STR));
        $stmt->bindValue($i + 1, $v, $pdoType);
    }
    $stmt->execute();
    return pdoSets($stmt);
}

// ---- mysqli

function mysqliConnect($who, $tls = false)
{
    global $host, $port;
    mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
    $m = mysqli_init();
    $flags = 0;
    if ($tls) {
        $m->ssl_set(null, null, null, null, null);
        $flags = MYSQLI_CLIENT_SSL | MYSQLI_CLIENT_SSL_DONT_VERIFY_SERVER_CERT;
    }
    $m->real_connect($host, $who[0], $who[1], null, $port, null, $flags);
    $m->set_charset('utf8mb4');
    return $m;
}

function mysqliSets(mysqli $m)
{
    $sets = [];
    do {
        $result = $m->store_result();
        if ($result) {
            $sets[] = encode($result->fetch_all(MYSQLI_ASSOC));
            $result->free();
        }
    } while ($m->more_results() && $m->next_result());
    return $sets;
}

/** mysqli without statements: the values are written into the SQL, as real_escape_string allows. */
function mysqliRun(mysqli $m, $sql, $values = null)
{
    if ($values !== null) {
        $parts = explode('?', $sql);
        $sql = array_shift($parts);
        foreach ($values as $i => [$v, $type]) {
            if ($v === null) {
                $literal = 'NULL';
            } elseif ($type === 'i' || $type === 'd') {
                $literal = (string) $v;
            } else {
                $literal = "'" . $m->real_escape_string($v) . "'";
            }
            $sql .= $literal . $parts[$i];
        }
    }
    $m->real_query($sql);
    return mysqliSets($m);
}

function stmtSets(mysqli_stmt $stmt)
{
    $sets = [];
    do {
        $result = $stmt->get_result();
        if ($result) {
            $sets[] = encode($result->fetch_all(MYSQLI_ASSOC));
            $result->free();
        }
    } while ($stmt->more_results() && $stmt->next_result());
    return $sets;
}

function stmtRun(mysqli $m, $sql, $values = null)
{
    $stmt = $m->prepare($sql);
    if ($values) {
        $types = '';
        $refs = [];
        foreach ($values as $i => [$v, $type]) {
            $types .= $type;
            $refs[$i] = $type === 'b' ? null : $v;
        }
        $args = [$types];
        foreach ($refs as $i => $_) {
            $args[] = &$refs[$i];
        }
        $stmt->bind_param(...$args);
        foreach ($values as $i => [$v, $type]) {
            if ($type === 'b' && $v !== null) {
                foreach (str_split($v, 512 * 1024) as $chunk) {
                    $stmt->send_long_data($i, $chunk);
                }
            }
        }
    }
    $stmt->execute();
    $sets = stmtSets($stmt);
    $stmt->close();
    return $sets;
}

// ---- the checks

$variants = [
    'pdo_emulated' => ['connect' => fn ($who, $tls = false) => pdoConnect(true, $who, $tls), 'run' => 'pdoRun', 'prepared' => false, 'family' => 'pdo'],
    'pdo_native' => ['connect' => fn ($who, $tls = false) => pdoConnect(false, $who, $tls), 'run' => 'pdoRun', 'prepared' => true],
    'mysqli' => ['connect' => 'mysqliConnect', 'run' => 'mysqliRun', 'prepared' => false, 'family' => 'mysqli'],
    'mysqli_stmt' => ['connect' => 'mysqliConnect', 'run' => 'stmtRun', 'prepared' => true],
];

$placeholders = implode(', ', array_fill(0, count($ARGS), '?'));
$checks = [
    'login' => fn ($run, $c) => $run($c, 'CALL whoami()'),
    'myadd' => fn ($run, $c) => $run($c, 'CALL myadd(3, 4)'),
    'myadd_bound' => fn ($run, $c) => $run($c, 'CALL myadd(?, ?)', [[3, 'i'], [4, 'i']]),
    'argtypes' => fn ($run, $c) => $run($c, "CALL argtypes($placeholders)", $ARGS),
    'series' => fn ($run, $c) => $run($c, 'CALL series(3)'),
    'stats' => fn ($run, $c) => $run($c, 'CALL stats()'),
    'unicode' => fn ($run, $c) => $run($c, 'CALL echo(?)', [[UNICODE, 's']]),
    'null' => fn ($run, $c) => $run($c, 'CALL echo(NULL)'),
    'large' => function ($run, $c) use ($large) {
        // mysqli_stmt sends it with COM_STMT_SEND_LONG_DATA ('b'), the others inline.
        $sets = $run($c, 'CALL echo(?)', [[$large, 'b']]);
        $v = $sets[0][0]['v'] ?? null;
        return [[['length' => is_string($v) ? strlen($v) : null, 'same' => $v === $large]]];
    },
    'out_param' => fn ($run, $c) => [
        'call' => $run($c, 'CALL myadd_out(3, 4, @s)'),
        'select' => $run($c, 'SELECT @s'),
    ],
    'error_unknown' => fn ($run, $c) => $run($c, 'CALL nosuch()'),
    'error_denied' => fn ($run, $c) => $run($c, 'CALL secret()'),
    'error_failing' => fn ($run, $c) => $run($c, "CALL fail('dup')"),
];

// Past this many seconds the remaining checks are reported as not run (a server that never answers).
$budget = getenv('COMPAT_BUDGET_SECONDS') !== false ? (float) getenv('COMPAT_BUDGET_SECONDS') : 90.0;
$started = microtime(true);

$report = [];
foreach ($variants as $name => $variant) {
    $connect = $variant['connect'];
    $run = $variant['run'];
    $results = [];
    $attempt = function ($fn) use ($budget, $started) {
        if (microtime(true) - $started > $budget) {
            return failure('NotRun', null, "not run: the $budget s budget was spent");
        }
        try {
            return $fn();
        } catch (Throwable $e) {
            return describe($e);
        }
    };
    $selected = fn ($check) => $only === null ? $check !== 'login_full_path' : in_array($check, $only, true);
    foreach ($checks as $check => $fn) {
        if ($check === 'login' && $variant['prepared']) {
            continue; // the login is the same in both modes of an API
        }
        if ($selected($check)) {
            $results[$check] = $attempt(fn () => $fn($run, $connect([$GLOBALS['user'], $GLOBALS['password']])));
        }
        if ($check === 'login') {
            if ($selected('login_tls')) {
                $results['login_tls'] = $attempt(fn () => $run($connect([$GLOBALS['tlsUser'], $GLOBALS['tlsPassword']], true), 'CALL whoami()'));
            }
            if ($selected('login_wrong_password')) {
                $results['login_wrong_password'] = $attempt(function () use ($connect) {
                    $connect([$GLOBALS['user'], 'wrong']);
                    return 'logged in';
                });
            }
            // A first login of an account with no cached digest, without TLS: mysqlnd asks for
            // the server's RSA key and sends the encrypted password.
            if ($selected('login_full_path')) {
                $results['login_full_path'] = $attempt(fn () => $run($connect([$GLOBALS['fullPrefix'] . $variant['family'], $GLOBALS['fullPassword']]), 'CALL myadd(1, 2)'));
            }
        }
    }
    if ($variant['prepared'] && $name === 'mysqli_stmt' && $selected('out_param_bound')) {
        // A placeholder as OUT argument. mysqlnd does not set CLIENT_PS_MULTI_RESULTS, so (as
        // MySQL) the server answers with the OK alone, no OUT result set.
        $results['out_param_bound'] = $attempt(fn () => stmtRun($connect([$user, $password]), 'CALL myadd_out(?, ?, ?)', [[3, 'i'], [4, 'i'], [null, 'i']]));
    }
    foreach ($results as $check => $result) {
        $report["$name.$check"] = $result;
    }
}
echo json_encode($report, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION), "\n";
