import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * MariaDB Connector/J (Debian's 2.7) as JDBC applications use it:
 *
 * <pre>
 *   statement        java.sql.Statement: literal SQL, COM_QUERY
 *   client_prepared  PreparedStatement with the driver's defaults (2.x: the
 *                    driver writes the values into the SQL text, COM_QUERY)
 *   server_prepared  PreparedStatement with useServerPrepStmts=true:
 *                    COM_STMT_PREPARE/EXECUTE
 *   callable         CallableStatement {call p(?, ?, ?)} with registerOutParameter
 *   metadata         DatabaseMetaData.getProcedures / getProcedureColumns
 * </pre>
 *
 * Usage: java -cp mariadb-java-client.jar:. Client [host port user password]
 * (or COMPAT_* variables, see ../harness/checks.ts). Prints one JSON object:
 * "variant.check" -> result or {error: {code, sqlState, message}}.
 *
 * Values: byte[] is {hex}; integers beyond 2^53 {bigint}; BigDecimal its
 * plain digits; Timestamp "yyyy-MM-dd HH:mm:ss.SSS" and Date "yyyy-MM-dd"
 * (UTC). Error messages are the server's text: the driver's "(conn=N) "
 * prefix (and, for a refused login, its "Could not connect to ..." before
 * it and its charset hint after) are taken off.
 */
public class Client {
  static final String UNICODE = "ünï 😀 €𝄞 中文";

  static String arg(String[] argv, int i, String env, String fallback) {
    if (argv.length > i) return argv[i];
    String v = System.getenv(env);
    return v != null && !v.isEmpty() ? v : fallback;
  }

  static String host, port, user, password, tlsUser, tlsPassword, large;

  interface Check {
    Object run(Connection c) throws Exception;
  }

  interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  // ---- JSON

  static final class Raw {
    final Map<String, Object> fields = new LinkedHashMap<>();

    Raw put(String k, Object v) {
      fields.put(k, v);
      return this;
    }
  }

  static Raw obj() {
    return new Raw();
  }

  static void json(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Raw) {
      json(out, ((Raw) v).fields);
    } else if (v instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) out.append(',');
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        json(out, e.getValue());
      }
      out.append('}');
    } else if (v instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object x : (List<?>) v) {
        if (!first) out.append(',');
        first = false;
        json(out, x);
      }
      out.append(']');
    } else if (v instanceof Boolean) {
      out.append(v.toString());
    } else if (v instanceof Number) {
      out.append(v.toString());
    } else {
      string(out, v.toString());
    }
  }

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (ch < 0x20) out.append(String.format("\\u%04x", (int) ch));
          else out.append(ch);
      }
    }
    out.append('"');
  }

  // ---- values

  static final long SAFE = 9007199254740991L;

  static Object encode(Object v) {
    if (v == null) return null;
    if (v instanceof byte[]) {
      StringBuilder hex = new StringBuilder();
      for (byte b : (byte[]) v) hex.append(String.format("%02x", b & 0xff));
      return obj().put("hex", hex.toString());
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      long n = ((Number) v).longValue();
      return Math.abs(n) > SAFE ? obj().put("bigint", Long.toString(n)) : (Object) n;
    }
    if (v instanceof BigInteger) {
      BigInteger n = (BigInteger) v;
      return n.abs().compareTo(BigInteger.valueOf(SAFE)) > 0 ? obj().put("bigint", n.toString()) : (Object) n.longValue();
    }
    if (v instanceof BigDecimal) return ((BigDecimal) v).toPlainString();
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
    }
    if (v instanceof Timestamp) return stamp((Timestamp) v);
    if (v instanceof java.sql.Date) return v.toString();
    return v;
  }

  static String stamp(Timestamp t) {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(t);
  }

  static List<Object> rows(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<Object> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), encode(rs.getObject(i)));
      rows.add(row);
    }
    return rows;
  }

  /** Every result set of an executed statement. */
  static List<Object> sets(Statement s, boolean isResultSet) throws SQLException {
    List<Object> sets = new ArrayList<>();
    while (true) {
      if (isResultSet) {
        try (ResultSet rs = s.getResultSet()) {
          sets.add(rows(rs));
        }
      } else if (s.getUpdateCount() == -1) {
        break;
      }
      isResultSet = s.getMoreResults();
    }
    return sets;
  }

  static Object failure(Throwable e) {
    if (e instanceof SQLException && ((SQLException) e).getErrorCode() > 0) {
      SQLException se = (SQLException) e;
      // "Could not connect to address=(..) : (conn=N) Access denied ...\nCurrent charset is ..."
      String message = se.getMessage().replaceFirst("^[\\s\\S]*?\\(conn=\\d+\\) ", "").split("\n", 2)[0];
      return obj().put("error", obj().put("code", se.getErrorCode()).put("sqlState", se.getSQLState()).put("message", message));
    }
    return obj().put("error", obj().put("code", e.getClass().getSimpleName()).put("sqlState", e instanceof SQLException ? ((SQLException) e).getSQLState() : null).put("message", String.valueOf(e.getMessage())));
  }

  // ---- connections and the variants' ways of running SQL

  /**
   * A connection with the variant's options. Reads time out after 10 s, so a reply the
   * server never sends fails that check (SQLException, "Read timed out") instead of the run.
   */
  static Connection connect(String who, String secret, String options) throws SQLException {
    String url =
        "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=10000&socketTimeout=10000"
            + (options.isEmpty() ? "" : "&" + options);
    return DriverManager.getConnection(url, who, secret);
  }

  static List<Object> statement(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return sets(s, s.execute(sql));
    }
  }

  static List<Object> prepared(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      if (binder != null) binder.bind(s);
      return sets(s, s.execute());
    }
  }

  static final Binder ARGTYPES =
      s -> {
        s.setInt(1, 7);
        s.setInt(2, -7);
        s.setLong(3, 9007199254740993L);
        s.setDouble(4, 1.5);
        s.setString(5, "12.50");
        s.setString(6, "it's \"q\" \\ x");
        s.setString(7, "héllo 😀 中");
        s.setNull(8, Types.VARCHAR);
        s.setBytes(9, new byte[] {0x00, (byte) 0xff, '\'', '\\'});
        s.setDate(10, java.sql.Date.valueOf("2026-01-02"));
        s.setTimestamp(11, Timestamp.valueOf("2026-01-02 03:04:05"));
        s.setBigDecimal(12, new BigDecimal("12.50"));
      };

  static Object large(List<Object> sets) {
    Object v = ((Map<?, ?>) ((List<?>) sets.get(0)).get(0)).get("v");
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("length", v instanceof String ? ((String) v).length() : null);
    row.put("same", large.equals(v));
    return List.of(List.of(row));
  }

  public static void main(String[] argv) throws Exception {
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    host = arg(argv, 0, "COMPAT_HOST", "127.0.0.1");
    port = arg(argv, 1, "COMPAT_PORT", "3308");
    user = arg(argv, 2, "COMPAT_USER", "testuser");
    password = arg(argv, 3, "COMPAT_PASSWORD", "testpass");
    tlsUser = arg(argv, 99, "COMPAT_TLS_USER", "secure");
    tlsPassword = arg(argv, 99, "COMPAT_TLS_PASSWORD", "securepass");
    large = "x".repeat(Integer.parseInt(arg(argv, 99, "COMPAT_LARGE_LENGTH", "1572864")));

    Map<String, Object> report = new LinkedHashMap<>();
    Map<String, Check> statementChecks = new LinkedHashMap<>();
    statementChecks.put("login", c -> statement(c, "CALL whoami()"));
    statementChecks.put("myadd", c -> statement(c, "CALL myadd(3, 4)"));
    statementChecks.put("series", c -> statement(c, "CALL series(3)"));
    statementChecks.put("stats", c -> statement(c, "CALL stats()"));
    statementChecks.put("unicode", c -> statement(c, "CALL echo('" + UNICODE + "')"));
    statementChecks.put("null", c -> statement(c, "CALL echo(NULL)"));
    statementChecks.put("large", c -> large(statement(c, "CALL echo('" + large + "')")));
    statementChecks.put("out_param", c -> obj().put("call", statement(c, "CALL myadd_out(3, 4, @s)")).put("select", statement(c, "SELECT @s")));
    statementChecks.put("error_unknown", c -> statement(c, "CALL nosuch()"));
    statementChecks.put("error_denied", c -> statement(c, "CALL secret()"));
    statementChecks.put("error_failing", c -> statement(c, "CALL fail('dup')"));

    Map<String, Check> preparedChecks = new LinkedHashMap<>();
    preparedChecks.put("myadd", c -> prepared(c, "CALL myadd(3, 4)", null));
    preparedChecks.put("myadd_bound", c -> prepared(c, "CALL myadd(?, ?)", s -> { s.setInt(1, 3); s.setInt(2, 4); }));
    preparedChecks.put("argtypes", c -> prepared(c, "CALL argtypes(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ARGTYPES));
    preparedChecks.put("series", c -> prepared(c, "CALL series(?)", s -> s.setInt(1, 3)));
    preparedChecks.put("stats", c -> prepared(c, "CALL stats()", null));
    preparedChecks.put("unicode", c -> prepared(c, "CALL echo(?)", s -> s.setString(1, UNICODE)));
    preparedChecks.put("null", c -> prepared(c, "CALL echo(?)", s -> s.setNull(1, Types.VARCHAR)));
    preparedChecks.put("large", c -> large(prepared(c, "CALL echo(?)", s -> s.setString(1, large))));
    preparedChecks.put("out_param", c -> obj().put("call", prepared(c, "CALL myadd_out(?, ?, @s)", s -> { s.setInt(1, 3); s.setInt(2, 4); })).put("select", prepared(c, "SELECT @s", null)));
    preparedChecks.put("error_unknown", c -> prepared(c, "CALL nosuch()", null));
    preparedChecks.put("error_denied", c -> prepared(c, "CALL secret()", null));
    preparedChecks.put("error_failing", c -> prepared(c, "CALL fail(?)", s -> s.setString(1, "dup")));

    Map<String, Check> callableChecks = new LinkedHashMap<>();
    callableChecks.put("myadd", c -> {
      try (CallableStatement s = c.prepareCall("{call myadd(?, ?)}")) {
        s.setInt(1, 3);
        s.setInt(2, 4);
        return sets(s, s.execute());
      }
    });
    callableChecks.put("out_param", c -> {
      try (CallableStatement s = c.prepareCall("{call myadd_out(?, ?, ?)}")) {
        s.setInt(1, 3);
        s.setInt(2, 4);
        s.registerOutParameter(3, Types.BIGINT);
        s.execute();
        return obj().put("out", s.getLong(3)).put("wasNull", s.wasNull());
      }
    });
    callableChecks.put("error_unknown", c -> {
      try (CallableStatement s = c.prepareCall("{call nosuch()}")) {
        return sets(s, s.execute());
      }
    });

    Map<String, Check> metadataChecks = new LinkedHashMap<>();
    metadataChecks.put("procedures", c -> {
      DatabaseMetaData md = c.getMetaData();
      List<Object> names = new ArrayList<>();
      try (ResultSet rs = md.getProcedures("rpc", null, "%")) {
        while (rs.next()) {
          names.add(obj().put("PROCEDURE_CAT", rs.getString("PROCEDURE_CAT")).put("PROCEDURE_NAME", rs.getString("PROCEDURE_NAME")).put("PROCEDURE_TYPE", rs.getInt("PROCEDURE_TYPE")));
        }
      }
      return names;
    });
    metadataChecks.put("procedure_columns", c -> {
      DatabaseMetaData md = c.getMetaData();
      List<Object> columns = new ArrayList<>();
      try (ResultSet rs = md.getProcedureColumns("rpc", null, "myadd_out", "%")) {
        while (rs.next()) {
          columns.add(obj().put("PROCEDURE_NAME", rs.getString("PROCEDURE_NAME")).put("COLUMN_NAME", rs.getString("COLUMN_NAME")).put("COLUMN_TYPE", rs.getInt("COLUMN_TYPE")).put("DATA_TYPE", rs.getInt("DATA_TYPE")).put("TYPE_NAME", rs.getString("TYPE_NAME")).put("ORDINAL_POSITION", rs.getInt("ORDINAL_POSITION")));
        }
      }
      return columns;
    });

    // Only these checks (by name) when set; login_full_path runs only when named here.
    String only = System.getenv("COMPAT_ONLY");
    List<String> selected = only == null || only.isEmpty() ? null : List.of(only.split(","));
    // login_full_path: the account "<prefix>java", known only by its caching_sha2 verifier.
    String fullUser = arg(argv, 99, "COMPAT_FULL_PATH_PREFIX", "full_") + "java";
    String fullPassword = arg(argv, 99, "COMPAT_FULL_PATH_PASSWORD", "sha2pass");

    Object[][] variants = {
      {"statement", "", statementChecks},
      {"client_prepared", "", preparedChecks},
      {"server_prepared", "useServerPrepStmts=true", preparedChecks},
      {"callable", "", callableChecks},
      {"metadata", "", metadataChecks},
    };
    for (Object[] variant : variants) {
      String name = (String) variant[0];
      String options = (String) variant[1];
      @SuppressWarnings("unchecked")
      Map<String, Check> checks = (Map<String, Check>) variant[2];
      for (Map.Entry<String, Check> check : checks.entrySet()) {
        if (selected == null || selected.contains(check.getKey())) {
          report.put(name + "." + check.getKey(), attempt(user, password, options, check.getValue()));
        }
        if (check.getKey().equals("login")) {
          if (selected == null || selected.contains("login_tls")) {
            report.put(name + ".login_tls", attempt(tlsUser, tlsPassword, "useSsl=true&trustServerCertificate=true", c -> statement(c, "CALL whoami()")));
          }
          if (selected == null || selected.contains("login_wrong_password")) {
            report.put(name + ".login_wrong_password", attempt(user, "wrong", "", c -> "logged in"));
          }
          // A first login of an account with no cached digest, without TLS: the RSA exchange,
          // which Connector/J makes only with allowPublicKeyRetrieval.
          if (selected != null && selected.contains("login_full_path")) {
            report.put(name + ".login_full_path", attempt(fullUser, fullPassword, "allowPublicKeyRetrieval=true", c -> statement(c, "CALL myadd(1, 2)")));
          }
        }
      }
    }
    StringBuilder out = new StringBuilder();
    json(out, report);
    System.out.println(out);
  }

  /** Past this many seconds the remaining checks are reported as not run (a server that never answers). */
  static final double BUDGET = Double.parseDouble(arg(new String[0], 99, "COMPAT_BUDGET_SECONDS", "90"));

  static final long STARTED = System.nanoTime();

  static Object attempt(String who, String secret, String options, Check check) {
    if ((System.nanoTime() - STARTED) / 1e9 > BUDGET) {
      return obj().put("error", obj().put("code", "NotRun").put("sqlState", null).put("message", "not run: the " + BUDGET + " s budget was spent"));
    }
    try (Connection c = connect(who, secret, options)) {
      return check.run(c);
    } catch (Throwable e) {
      return failure(e);
    }
  }
}
