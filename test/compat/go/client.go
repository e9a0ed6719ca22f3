// go-sql-driver/mysql through database/sql's connection pool, in its two
// modes:
//
//	prepared     the default: a query with arguments is prepared and executed
//	             (COM_STMT_PREPARE/EXECUTE); here every statement is prepared,
//	             with or without arguments, so every check takes that path
//	interpolate  interpolateParams=true: the driver writes the arguments into
//	             the SQL text, COM_QUERY
//
// Built offline in GOPATH mode against Debian's driver source (1.5.0):
// GO111MODULE=off GOPATH=/usr/share/gocode go build -o client client.go
//
// Usage: client [host port user password] (or COMPAT_* variables, see
// ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
// result or {error: {code, sqlState, message}}.
//
// Values: the text protocol gives every value as bytes, the binary protocol
// int64, float64 and bytes; bytes that are UTF-8 are a string, others {hex};
// integers beyond 2^53 are {bigint}. The driver's MySQLError (1.5.0) has no
// SQLSTATE, so sqlState is null.
package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
)

const unicodeText = "ünï 😀 €𝄞 中文"

func arg(i int, env, fallback string) string {
	if len(os.Args) > i {
		return os.Args[i]
	}
	if v := os.Getenv(env); v != "" {
		return v
	}
	return fallback
}

var (
	host        = arg(1, "COMPAT_HOST", "127.0.0.1")
	port        = arg(2, "COMPAT_PORT", "3308")
	user        = arg(3, "COMPAT_USER", "testuser")
	password    = arg(4, "COMPAT_PASSWORD", "testpass")
	tlsUser     = arg(99, "COMPAT_TLS_USER", "secure")
	tlsPassword = arg(99, "COMPAT_TLS_PASSWORD", "securepass")
	largeLength = arg(99, "COMPAT_LARGE_LENGTH", "1572864")
	budget      = arg(99, "COMPAT_BUDGET_SECONDS", "90")
	// Only these checks (by name) when set; login_full_path runs only when named here.
	only = os.Getenv("COMPAT_ONLY")
	// login_full_path: the account "<prefix>go", known only by its caching_sha2 verifier.
	fullUser     = arg(99, "COMPAT_FULL_PATH_PREFIX", "full_") + "go"
	fullPassword = arg(99, "COMPAT_FULL_PATH_PASSWORD", "sha2pass")
	started      = time.Now()
)

// selected says whether a check is to run.
func selected(check string) bool {
	if only == "" {
		return check != "login_full_path"
	}
	for _, name := range strings.Split(only, ",") {
		if name == check {
			return true
		}
	}
	return false
}

// spent says whether the run's time budget is used up: the remaining checks are then not run
// (a server that never answers).
func spent() (failure, bool) {
	seconds, _ := strconv.ParseFloat(budget, 64)
	var f failure
	if time.Since(started).Seconds() <= seconds {
		return f, false
	}
	f.Error.Code = "NotRun"
	f.Error.Message = fmt.Sprintf("not run: the %s s budget was spent", budget)
	return f, true
}

// The argtypes arguments (ARGS in ../harness/checks.ts).
var argtypesArgs = []interface{}{
	int64(7), int64(-7), int64(9007199254740993), 1.5, "12.50", `it's "q" \ x`, "héllo 😀 中", nil,
	[]byte{0x00, 0xff, '\'', '\\'},
	time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
}

func encode(v interface{}) interface{} {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return map[string]string{"hex": hex.EncodeToString(x)}
	case int64:
		if x > 9007199254740991 || x < -9007199254740991 {
			return map[string]string{"bigint": strconv.FormatInt(x, 10)}
		}
		return x
	case uint64:
		if x > 9007199254740991 {
			return map[string]string{"bigint": strconv.FormatUint(x, 10)}
		}
		return x
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.000")
	default:
		return x
	}
}

type failure struct {
	Error struct {
		Code     interface{} `json:"code"`
		SQLState *string     `json:"sqlState"`
		Message  string      `json:"message"`
	} `json:"error"`
}

func describe(err error) failure {
	var f failure
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		f.Error.Code = me.Number
		f.Error.Message = me.Message
	} else {
		f.Error.Code = fmt.Sprintf("%T", err)
		f.Error.Message = err.Error()
	}
	return f
}

// querier is what a check runs statements on: one connection of the pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...interface{}) (*sql.Rows, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

type variant struct {
	name     string
	params   string
	prepared bool
}

func (v variant) open(who, secret string, extra string) (*sql.DB, error) {
	// A reply the server never sends fails that check after 10 s, not the run.
	dsn := fmt.Sprintf("%s:%s@tcp(%s:%s)/?charset=utf8mb4&timeout=10s&readTimeout=10s%s%s", who, secret, host, port, v.params, extra)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// run executes one statement and reads every result set.
func (v variant) run(q querier, query string, args ...interface{}) (interface{}, error) {
	ctx := context.Background()
	var rows *sql.Rows
	var err error
	if v.prepared {
		stmt, perr := q.PrepareContext(ctx, query)
		if perr != nil {
			return nil, perr
		}
		defer stmt.Close()
		rows, err = stmt.QueryContext(ctx, args...)
	} else {
		rows, err = q.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sets := []interface{}{}
	for {
		columns, cerr := rows.Columns()
		if cerr != nil {
			return nil, cerr
		}
		set := []interface{}{}
		for rows.Next() {
			values := make([]interface{}, len(columns))
			pointers := make([]interface{}, len(columns))
			for i := range values {
				pointers[i] = &values[i]
			}
			if err := rows.Scan(pointers...); err != nil {
				return nil, err
			}
			row := map[string]interface{}{}
			for i, c := range columns {
				row[c] = encode(values[i])
			}
			set = append(set, row)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(columns) > 0 {
			sets = append(sets, set)
		}
		if !rows.NextResultSet() {
			break
		}
	}
	return sets, rows.Err()
}

type check struct {
	name string
	fn   func(v variant, q querier) (interface{}, error)
}

func main() {
	n, _ := strconv.Atoi(largeLength)
	large := strings.Repeat("x", n)
	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(argtypesArgs)), ", ")
	simple := func(query string, args ...interface{}) func(variant, querier) (interface{}, error) {
		return func(v variant, q querier) (interface{}, error) { return v.run(q, query, args...) }
	}
	checks := []check{
		{"myadd", simple("CALL myadd(3, 4)")},
		{"myadd_bound", simple("CALL myadd(?, ?)", 3, 4)},
		{"argtypes", simple("CALL argtypes("+placeholders+")", argtypesArgs...)},
		{"series", simple("CALL series(3)")},
		{"stats", simple("CALL stats()")},
		{"unicode", simple("CALL echo(?)", unicodeText)},
		{"null", simple("CALL echo(NULL)")},
		{"large", func(v variant, q querier) (interface{}, error) {
			sets, err := v.run(q, "CALL echo(?)", large)
			if err != nil {
				return nil, err
			}
			var got interface{}
			if s, ok := sets.([]interface{}); ok && len(s) > 0 {
				if rows := s[0].([]interface{}); len(rows) > 0 {
					got = rows[0].(map[string]interface{})["v"]
				}
			}
			text, isText := got.(string)
			length := interface{}(nil)
			if isText {
				length = len(text)
			}
			return []interface{}{[]interface{}{map[string]interface{}{"length": length, "same": isText && text == large}}}, nil
		}},
		{"out_param", func(v variant, q querier) (interface{}, error) {
			call, err := v.run(q, "CALL myadd_out(3, 4, @s)")
			if err != nil {
				return nil, err
			}
			sel, err := v.run(q, "SELECT @s")
			if err != nil {
				return nil, err
			}
			return map[string]interface{}{"call": call, "select": sel}, nil
		}},
		{"error_unknown", simple("CALL nosuch()")},
		{"error_denied", simple("CALL secret()")},
		{"error_failing", simple("CALL fail('dup')")},
	}
	variants := []variant{{"prepared", "", true}, {"interpolate", "&interpolateParams=true", false}}
	report := map[string]interface{}{}
	result := func(value interface{}, err error) interface{} {
		if err != nil {
			return describe(err)
		}
		return value
	}
	for _, v := range variants {
		db, err := v.open(user, password, "")
		if err != nil {
			panic(err)
		}
		ctx := context.Background()
		if !v.prepared { // the login is the same in both modes
			if selected("login") {
				conn, err := db.Conn(ctx)
				if err == nil {
					report[v.name+".login"] = result(v.run(conn, "CALL whoami()"))
					conn.Close()
				} else {
					report[v.name+".login"] = describe(err)
				}
			}
			if selected("login_tls") {
				tlsDB, _ := v.open(tlsUser, tlsPassword, "&tls=skip-verify")
				report[v.name+".login_tls"] = result(v.run(tlsDB, "CALL whoami()"))
				tlsDB.Close()
			}
			if selected("login_wrong_password") {
				wrong, _ := v.open(user, "wrong", "")
				if err := wrong.Ping(); err != nil {
					report[v.name+".login_wrong_password"] = describe(err)
				} else {
					report[v.name+".login_wrong_password"] = "logged in"
				}
				wrong.Close()
			}
			// A first login of an account with no cached digest, without TLS: the driver asks
			// for the server's RSA key and sends the encrypted password.
			if selected("login_full_path") {
				full, _ := v.open(fullUser, fullPassword, "")
				report[v.name+".login_full_path"] = result(v.run(full, "CALL myadd(1, 2)"))
				full.Close()
			}
		}
		for _, c := range checks {
			if !selected(c.name) {
				continue
			}
			if f, out := spent(); out {
				report[v.name+"."+c.name] = f
				continue
			}
			// Each check on a connection of its own (session state such as @s stays on it).
			conn, err := db.Conn(ctx)
			if err != nil {
				report[v.name+"."+c.name] = describe(err)
				continue
			}
			report[v.name+"."+c.name] = result(c.fn(v, conn))
			conn.Close()
		}
		// Eight concurrent CALLs on the pool's four connections: each sum comes back to its caller.
		if !selected("pool") {
			// not asked for
		} else if f, out := spent(); out {
			report[v.name+".pool"] = f
		} else {
			report[v.name+".pool"] = result(pool(v, db))
		}
		db.Close()
	}
	out, err := json.Marshal(report)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
}

// pool runs 8 concurrent CALL myadd(i, 1000) through the pool and returns the sums in order.
func pool(v variant, db *sql.DB) (interface{}, error) {
	type answer struct {
		i   int
		sum interface{}
		err error
	}
	answers := make(chan answer, 8)
	for i := 0; i < 8; i++ {
		go func(i int) {
			sets, err := v.run(db, "CALL myadd(?, ?)", i, 1000)
			if err != nil {
				answers <- answer{i, nil, err}
				return
			}
			answers <- answer{i, sets.([]interface{})[0].([]interface{})[0].(map[string]interface{})["sum"], nil}
		}(i)
	}
	sums := make([]interface{}, 8)
	for k := 0; k < 8; k++ {
		a := <-answers
		if a.err != nil {
			return nil, a.err
		}
		sums[a.i] = a.sum
	}
	return sums, nil
}
