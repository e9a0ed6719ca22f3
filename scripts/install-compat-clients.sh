#!/usr/bin/env bash
# Installs the clients `npm run test:compat` runs against the sample server
# (Debian 12 packages), then prints each one's version. Idempotent: only
# missing packages are installed, and nothing is installed when none is
# missing (so it runs without root then). Needs root (or sudo) otherwise.
#
#   mariadb-client                        mariadb CLI, mysqladmin, mariadb-slap
#   python3-pymysql python3-cryptography  PyMySQL (cryptography: its RSA path)
#   python3-mysqldb                       mysqlclient (MySQLdb)
#   php-cli php-mysql                     PHP: mysqli and PDO (mysqlnd)
#   libdbd-mariadb-perl                   Perl: DBI + DBD::MariaDB
#   ruby-mysql2                           Ruby: the mysql2 gem
#   golang-go golang-github-go-sql-driver-mysql-dev
#                                         Go and go-sql-driver/mysql's source (GOPATH mode, offline)
#   default-jdk-headless libmariadb-java  javac/java and MariaDB Connector/J
#   haproxy                               HAProxy (option mysql-check)
#   chromium fonts-dejavu-core            headless Chromium for the status page (puppeteer-core), and a font
set -euo pipefail

PACKAGES=(
  mariadb-client
  python3-pymysql
  python3-cryptography
  python3-mysqldb
  php-cli
  php-mysql
  libdbd-mariadb-perl
  ruby-mysql2
  golang-go
  golang-github-go-sql-driver-mysql-dev
  default-jdk-headless
  libmariadb-java
  haproxy
  chromium
  fonts-dejavu-core
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "not root and no sudo: install ${missing[*]} as root" >&2
      exit 1
    }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

version() { # label, command...: the first line the command prints
  local label=$1
  shift
  printf '%-22s %s\n' "$label" "$("$@" 2>&1 | head -n 1)"
}
version 'mariadb CLI' mariadb --version
version 'mysqladmin' mysqladmin --version
version 'mariadb-slap' mariadb-slap --version
version 'PyMySQL' /usr/bin/python3 -c 'import pymysql; print(pymysql.__version__)'
version 'cryptography' /usr/bin/python3 -c 'import cryptography; print(cryptography.__version__)'
version 'mysqlclient' /usr/bin/python3 -c 'import MySQLdb; print(MySQLdb.__version__)'
version 'PHP' php -r 'echo PHP_VERSION, " mysqli ", phpversion("mysqli"), " pdo_mysql ", phpversion("pdo_mysql"), "\n";'
version 'DBD::MariaDB' perl -MDBI -MDBD::MariaDB -e 'print "DBI $DBI::VERSION, DBD::MariaDB $DBD::MariaDB::VERSION\n"'
version 'Ruby mysql2' ruby -rmysql2 -e 'puts "ruby #{RUBY_VERSION}, mysql2 #{Mysql2::VERSION}"'
version 'Go' go version
version 'go-sql-driver/mysql' dpkg-query -W -f='${Version}\n' golang-github-go-sql-driver-mysql-dev
version 'Java' java -version
version 'Connector/J' dpkg-query -W -f='${Version}\n' libmariadb-java
version 'HAProxy' haproxy -v
version 'Chromium' dpkg-query -W -f='${Version}\n' chromium
