# The mysql2 gem (on libmariadb) in its two modes:
#   query    Mysql2::Client#query, values escaped with Client#escape, every
#            result set read with next_result/store_result
#   prepare  Mysql2::Client#prepare + Statement#execute: COM_STMT_PREPARE/
#            EXECUTE, with Integer, Float, String, nil, Date, Time and
#            BigDecimal binds; only a CALL's first result set is readable
# Usage: ruby client.rb [host port user password] (or COMPAT_* variables, see
# ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
# result or {error: {code, sqlState, message}}.
# Values: Integer beyond 2^53 is {bigint}; a binary (ASCII-8BIT) String that
# is not ASCII is {hex}; Time is "YYYY-MM-DD HH:MM:SS.mmm" (UTC), Date
# "YYYY-MM-DD", BigDecimal its plain digits.
require 'bigdecimal'
require 'date'
require 'json'
require 'mysql2'

HOST = ARGV[0] || ENV['COMPAT_HOST'] || '127.0.0.1'
PORT = Integer(ARGV[1] || ENV['COMPAT_PORT'] || 3308)
USER = ARGV[2] || ENV['COMPAT_USER'] || 'testuser'
PASSWORD = ARGV[3] || ENV['COMPAT_PASSWORD'] || 'testpass'
TLS_USER = ENV['COMPAT_TLS_USER'] || 'secure'
TLS_PASSWORD = ENV['COMPAT_TLS_PASSWORD'] || 'securepass'
LARGE = 'x' * Integer(ENV['COMPAT_LARGE_LENGTH'] || 1_572_864)
UNICODE = 'ünï 😀 €𝄞 中文'
# Only these checks (by name) when set; login_full_path runs only when named here.
ONLY = ENV['COMPAT_ONLY']&.split(',')
# login_full_path: the account "<prefix>ruby", known only by its caching_sha2 verifier.
FULL_USER = "#{ENV['COMPAT_FULL_PATH_PREFIX'] || 'full_'}ruby"
FULL_PASSWORD = ENV['COMPAT_FULL_PATH_PASSWORD'] || 'sha2pass'

def selected?(check)
  ONLY ? ONLY.include?(check.to_s) : check.to_s != 'login_full_path'
end

# The argtypes arguments (ARGS in ../harness/checks.ts), then 12.50 as a BigDecimal.
# The query mode writes Date and Time as quoted text and BigDecimal as its
# digits; the prepare mode binds them as DATE, DATETIME and NEWDECIMAL.
ARGS = [
  7, -7, 9_007_199_254_740_993, 1.5, '12.50', 'it\'s "q" \\ x', 'héllo 😀 中', nil,
  "\x00\xff'\\".b, Date.new(2026, 1, 2), Time.utc(2026, 1, 2, 3, 4, 5), BigDecimal('12.50')
].freeze

def encode(v)
  case v
  when nil, true, false, Float then v
  when Integer then v.abs > 9_007_199_254_740_991 ? { bigint: v.to_s } : v
  when BigDecimal then v.to_s('F')
  when Time then v.utc.strftime('%Y-%m-%d %H:%M:%S.%L')
  when Date then v.strftime('%Y-%m-%d')
  when String
    if v.encoding == Encoding::BINARY && !v.ascii_only? then { hex: v.unpack1('H*') }
    else v.dup.force_encoding('UTF-8')
    end
  when Array then v.map { |x| encode(x) }
  when Hash then v.transform_values { |x| encode(x) }
  else v.to_s
  end
end

def failure(error)
  if error.is_a?(Mysql2::Error) && error.error_number.to_i.positive?
    { error: { code: error.error_number, sqlState: error.sql_state, message: error.message } }
  else
    { error: { code: error.class.name, sqlState: nil, message: error.message } }
  end
end

def connect(user, password, tls: false)
  # A reply the server never sends fails that check after 10 s, not the run.
  options = { host: HOST, port: PORT, username: user, password: password, encoding: 'utf8mb4',
              connect_timeout: 10, read_timeout: 10 }
  # Any ssl option turns TLS on in libmariadb, which checks the certificate only when given a CA
  # (the server's is its own, self-signed).
  options.merge!(sslcipher: 'DEFAULT', sslverify: false) if tls
  Mysql2::Client.new(options)
end

def literal(client, v)
  case v
  when nil then 'NULL'
  when Integer, Float then v.to_s
  when BigDecimal then v.to_s('F')
  when Time then "'#{v.utc.strftime('%Y-%m-%d %H:%M:%S')}'"
  when Date then "'#{v.strftime('%Y-%m-%d')}'"
  else "'#{client.escape(v)}'"
  end
end

# query: values written into the SQL; every result set read.
def run_query(client, sql, values = nil)
  if values
    parts = sql.split('?', -1)
    sql = parts.shift + values.each_with_index.map { |v, i| literal(client, v) + parts[i] }.join
  end
  result = client.query(sql)
  sets = []
  sets << result.to_a if result
  while client.next_result
    result = client.store_result
    sets << result.to_a if result
  end
  encode(sets)
end

# prepare: the statement's result. mysql2 0.5.3 reads one result set per
# Statement#execute (it has no Statement#next_result), so a CALL's further
# result sets stay unread: each check has a connection of its own.
def run_prepared(client, sql, values = nil)
  stmt = client.prepare(sql)
  result = stmt.execute(*(values || []))
  sets = result ? [result.to_a] : []
  stmt.close
  encode(sets)
end

PLACEHOLDERS = (['?'] * ARGS.size).join(', ')
CHECKS = {
  myadd: ->(run, c) { run.call(c, 'CALL myadd(3, 4)') },
  myadd_bound: ->(run, c) { run.call(c, 'CALL myadd(?, ?)', [3, 4]) },
  argtypes: ->(run, c) { run.call(c, "CALL argtypes(#{PLACEHOLDERS})", ARGS) },
  series: ->(run, c) { run.call(c, 'CALL series(3)') },
  stats: ->(run, c) { run.call(c, 'CALL stats()') },
  unicode: ->(run, c) { run.call(c, 'CALL echo(?)', [UNICODE]) },
  null: ->(run, c) { run.call(c, 'CALL echo(NULL)') },
  large: lambda do |run, c|
    v = run.call(c, 'CALL echo(?)', [LARGE]).dig(0, 0, 'v')
    [[{ length: v&.length, same: v == LARGE }]]
  end,
  out_param: lambda do |run, c|
    { call: run.call(c, 'CALL myadd_out(3, 4, @s)'), select: run.call(c, 'SELECT @s') }
  end,
  error_unknown: ->(run, c) { run.call(c, 'CALL nosuch()') },
  error_denied: ->(run, c) { run.call(c, 'CALL secret()') },
  error_failing: ->(run, c) { run.call(c, "CALL fail('dup')") }
}.freeze

# Past this many seconds the remaining checks are reported as not run (a server that never answers).
BUDGET = Float(ENV['COMPAT_BUDGET_SECONDS'] || 90)
STARTED = Process.clock_gettime(Process::CLOCK_MONOTONIC)

def attempt
  if Process.clock_gettime(Process::CLOCK_MONOTONIC) - STARTED > BUDGET
    return { error: { code: 'NotRun', sqlState: nil, message: "not run: the #{BUDGET} s budget was spent" } }
  end

  client = nil
  yield(->(*args, **kw) { client = connect(*args, **kw) })
rescue StandardError => e
  failure(e)
ensure
  client&.close
end

report = {}
{ 'query' => method(:run_query), 'prepare' => method(:run_prepared) }.each do |name, run|
  if name == 'query' # the login is the same in both modes
    if selected?(:login)
      report["#{name}.login"] = attempt { |open| run_query(open.call(USER, PASSWORD), 'CALL whoami()') }
    end
    if selected?(:login_tls)
      report["#{name}.login_tls"] = attempt do |open|
        run_query(open.call(TLS_USER, TLS_PASSWORD, tls: true), 'CALL whoami()')
      end
    end
    if selected?(:login_wrong_password)
      report["#{name}.login_wrong_password"] = attempt do |open|
        open.call(USER, 'wrong')
        'logged in'
      end
    end
    # A first login of an account with no cached digest, without TLS: libmariadb's
    # caching_sha2_password plugin asks for the server's RSA key.
    if selected?(:login_full_path)
      report["#{name}.login_full_path"] = attempt do |open|
        run_query(open.call(FULL_USER, FULL_PASSWORD), 'CALL myadd(1, 2)')
      end
    end
  end
  CHECKS.each do |check, fn|
    next unless selected?(check)

    report["#{name}.#{check}"] = attempt { |open| fn.call(run, open.call(USER, PASSWORD)) }
  end
end
puts JSON.generate(report)
