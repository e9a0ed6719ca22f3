#!/usr/bin/perl
# DBI with DBD::MariaDB (on libmariadb), in its two modes:
#   client_prepare  the default: DBD::MariaDB writes the bound values into the
#                   SQL text (typed binds: SQL_INTEGER unquoted, SQL_BLOB as
#                   binary), COM_QUERY
#   server_prepare  mariadb_server_prepare=1: COM_STMT_PREPARE/EXECUTE (only a
#                   CALL's first result set is readable in this mode)
# Usage: perl client.pl [host port user password] (or COMPAT_* variables, see
# ../harness/checks.ts). Prints one JSON object: "<variant>.<check>" ->
# result or {error: {code, sqlState, message}}.
# Values: numbers DBD::MariaDB hands over as numbers stay numbers (beyond
# 2^53: {bigint}); byte strings that are not text are {hex}; the rest strings.
use strict;
use warnings;
use utf8;
use B ();
use DBI qw(:sql_types);
use JSON::PP ();

my $host        = $ARGV[0] // $ENV{COMPAT_HOST}         // '127.0.0.1';
my $port        = $ARGV[1] // $ENV{COMPAT_PORT}         // 3308;
my $user        = $ARGV[2] // $ENV{COMPAT_USER}         // 'testuser';
my $password    = $ARGV[3] // $ENV{COMPAT_PASSWORD}     // 'testpass';
my $tlsUser     = $ENV{COMPAT_TLS_USER}                 // 'secure';
my $tlsPassword = $ENV{COMPAT_TLS_PASSWORD}             // 'securepass';
my $large       = 'x' x ($ENV{COMPAT_LARGE_LENGTH}      // 1572864);
my $UNICODE     = 'ünï 😀 €𝄞 中文';
# Only these checks (by name) when set; login_full_path runs only when named here.
my %only        = map { ($_ => 1) } split /,/, ($ENV{COMPAT_ONLY} // '');
# login_full_path: the account "<prefix>perl", known only by its caching_sha2 verifier.
my $fullUser    = ($ENV{COMPAT_FULL_PATH_PREFIX} // 'full_') . 'perl';
my $fullPassword = $ENV{COMPAT_FULL_PATH_PASSWORD} // 'sha2pass';
sub selected { my ($check) = @_; return %only ? $only{$check} : $check ne 'login_full_path' }

# The argtypes arguments (ARGS in ../harness/checks.ts) with their bind types.
my @ARGS = (
    [7,                     SQL_INTEGER],
    [-7,                    SQL_INTEGER],
    ['9007199254740993',    SQL_BIGINT],
    [1.5,                   SQL_DOUBLE],
    ['12.50',               SQL_VARCHAR],
    ['it\'s "q" \\ x',      SQL_VARCHAR],
    ['héllo 😀 中',         SQL_VARCHAR],
    [undef,                 SQL_VARCHAR],
    ["\x00\xff'\\",         SQL_BLOB],
    ['2026-01-02',          SQL_DATE],
    ['2026-01-02 03:04:05', SQL_DATETIME],
);

sub encode_value {
    my ($v) = @_;
    return undef unless defined $v;
    my $flags = B::svref_2object(\$v)->FLAGS;
    if (($flags & (B::SVp_IOK | B::SVp_NOK)) && !($flags & B::SVp_POK)) {
        return { bigint => "$v" } if ($flags & B::SVp_IOK) && abs($v) > 9007199254740991;
        return $v + 0;
    }
    return { hex => unpack('H*', $v) } if !utf8::is_utf8($v) && $v =~ /[\x80-\xff]/;
    return "$v";
}

sub encode_sets {
    my ($sets) = @_;
    return [map { [map { my $row = $_; +{ map { ($_ => encode_value($row->{$_})) } keys %$row } } @$_] } @$sets];
}

sub failure {
    my ($h, $e) = @_;
    my $err = $h ? $h->err : $DBI::err;
    if ($err) {
        return { error => { code => $err + 0, sqlState => ($h ? $h->state : $DBI::state), message => ($h ? $h->errstr : $DBI::errstr) } };
    }
    chomp $e;
    return { error => { code => 'die', sqlState => undef, message => $e } };
}

sub connect_db {
    my ($server_prepare, $who, $secret, $tls) = @_;
    # A reply the server never sends fails that check after 10 s, not the run.
    my $dsn = "DBI:MariaDB:host=$host;port=$port;mariadb_connect_timeout=10;mariadb_read_timeout=10";
    $dsn .= ';mariadb_server_prepare=1' if $server_prepare;
    # TLS with the server's own certificate, unchecked (mariadb_ssl_optional: DBD::MariaDB
    # enforces TLS only together with a certificate check; whoami's tls column shows it is used).
    $dsn .= ';mariadb_ssl=1;mariadb_ssl_optional=1' if $tls;
    return DBI->connect($dsn, $who, $secret, { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
}

# Runs a statement (binding typed values) and returns every result set's rows.
# With mariadb_server_prepare=1, DBD::MariaDB reads one result set per execute
# (more_results is "not possible with server side prepare"): a CALL's further
# result sets stay unread, and each check has a connection of its own.
sub run {
    my ($dbh, $sql, $values) = @_;
    my $sth = $dbh->prepare($sql);
    my $i = 0;
    $sth->bind_param(++$i, $_->[0], $_->[1]) for @{ $values // [] };
    $sth->execute;
    my @sets;
    if ($dbh->{mariadb_server_prepare}) {
        push @sets, $sth->fetchall_arrayref({}) if $sth->{NUM_OF_FIELDS};
    } else {
        do {
            push @sets, $sth->fetchall_arrayref({}) if $sth->{NUM_OF_FIELDS};
        } while ($sth->more_results);
    }
    $sth->finish;
    return encode_sets(\@sets);
}

my $placeholders = join(', ', ('?') x @ARGS);
my @CHECKS = (
    [myadd         => sub { run($_[0], 'CALL myadd(3, 4)') }],
    [myadd_bound   => sub { run($_[0], 'CALL myadd(?, ?)', [[3, SQL_INTEGER], [4, SQL_INTEGER]]) }],
    [argtypes      => sub { run($_[0], "CALL argtypes($placeholders)", \@ARGS) }],
    [series        => sub { run($_[0], 'CALL series(3)') }],
    [stats         => sub { run($_[0], 'CALL stats()') }],
    [unicode       => sub { run($_[0], 'CALL echo(?)', [[$UNICODE, SQL_VARCHAR]]) }],
    [null          => sub { run($_[0], 'CALL echo(NULL)') }],
    [large         => sub {
        my $sets = run($_[0], 'CALL echo(?)', [[$large, SQL_VARCHAR]]);
        my $v = $sets->[0][0]{v};
        return [[{ length => (defined $v ? length($v) : undef), same => (defined $v && $v eq $large) ? JSON::PP::true : JSON::PP::false }]];
    }],
    [out_param     => sub {
        return { call => run($_[0], 'CALL myadd_out(3, 4, @s)'), select => run($_[0], 'SELECT @s') };
    }],
    [error_unknown => sub { run($_[0], 'CALL nosuch()') }],
    [error_denied  => sub { run($_[0], 'CALL secret()') }],
    [error_failing => sub { run($_[0], "CALL fail('dup')") }],
);

# Past this many seconds the remaining checks are reported as not run (a server that never answers).
my $budget  = $ENV{COMPAT_BUDGET_SECONDS} // 90;
my $started = time;

my %report;
for my $variant (['client_prepare', 0], ['server_prepare', 1]) {
    my ($name, $server_prepare) = @$variant;
    my $attempt = sub {
        my ($check, $body) = @_;
        return unless selected($check);
        if (time - $started > $budget) {
            $report{"$name.$check"} = { error => { code => 'NotRun', sqlState => undef, message => "not run: the $budget s budget was spent" } };
            return;
        }
        my $dbh;
        my $result = eval { $body->(sub { $dbh = connect_db($server_prepare, @_) }) };
        $result = failure($dbh, $@) unless defined $result;
        $dbh->disconnect if $dbh;
        $report{"$name.$check"} = $result;
    };
    unless ($server_prepare) {    # the login is the same in both modes
        $attempt->(login => sub { my $dbh = $_[0]->($user, $password); run($dbh, 'CALL whoami()') });
        $attempt->(login_tls => sub { my $dbh = $_[0]->($tlsUser, $tlsPassword, 1); run($dbh, 'CALL whoami()') });
        $attempt->(login_wrong_password => sub { $_[0]->($user, 'wrong'); 'logged in' });
        # A first login of an account with no cached digest, without TLS: libmariadb's
        # caching_sha2_password plugin asks for the server's RSA key.
        $attempt->(login_full_path => sub { my $dbh = $_[0]->($fullUser, $fullPassword); run($dbh, 'CALL myadd(1, 2)') });
    }
    for my $check (@CHECKS) {
        my ($label, $fn) = @$check;
        $attempt->($label => sub { my $dbh = $_[0]->($user, $password); $fn->($dbh) });
    }
}
binmode STDOUT, ':raw';
print JSON::PP->new->utf8->canonical->encode(\%report), "\n";
