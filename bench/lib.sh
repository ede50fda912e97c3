#!/usr/bin/env bash
# Shared by bench/http/run.sh and bench/suite.sh: start the packaged server against a database on a
# MySQL-family server, seed it, and measure with wrk, hey and mariadb-slap. Source it from the
# repository root. Settings (environment): DB_HOST, DB_PORT, DB_USER, DB_NAME, PORT, SEED_POSTS.

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
DB_USER=${DB_USER:-root}
DB_NAME=${DB_NAME:-sqlkit_bench_http}
PORT=${PORT:-18080}
SEED_POSTS=${SEED_POSTS:-10000}
export SEED_POSTS
BASE="http://127.0.0.1:$PORT"

need() { # command package
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing $2" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "bench: $1 is missing; install the package $2" >&2; exit 1
  fi
}

sql() { mariadb -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" "$@"; }

JAVA_HOME=$(.mvn/select-jdk.sh)
export JAVA_HOME

build_server() {
  if [ ! -f server/target/sqlkit-server.jar ] || [ -n "${REBUILD:-}" ]; then
    ./mvnw -q -pl server -am package -DskipTests
  fi
}

fresh_database() {
  sql -e "DROP DATABASE IF EXISTS $DB_NAME; CREATE DATABASE $DB_NAME CHARACTER SET utf8mb4"
}

# Starts the server on $PORT against $DB_NAME (or the embedded database with EMBEDDED_DIR=...);
# sets SERVER_PID and READY_MS (process start to the first successful readiness check).
start_server() {
  SERVER_LOG=$(mktemp)
  local start; start=$(date +%s%N)
  if [ -n "${EMBEDDED_DIR:-}" ]; then
    DATABASE_EMBEDDED_DIR=$EMBEDDED_DIR SERVER_PORT=$PORT SERVER_HOST=127.0.0.1 \
      "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar server/target/sqlkit-server.jar >"$SERVER_LOG" 2>&1 &
  else
    DATABASE_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$DB_NAME" DATABASE_USER=$DB_USER SERVER_PORT=$PORT SERVER_HOST=127.0.0.1 \
      "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar server/target/sqlkit-server.jar >"$SERVER_LOG" 2>&1 &
  fi
  SERVER_PID=$!
  until curl -sf -o /dev/null "$BASE/observe/health/ready"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; exit 1; }
    sleep 0.01
  done
  READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
}

# The ahead-of-time cache (JDK 25+): a training run against $DB_NAME writes $AOT_CACHE, which
# later starts load with JAVA_OPTS="-XX:AOTCache=$AOT_CACHE" (see the README, "Start-up").
AOT_CACHE=server/target/sqlkit-server.aot
train_aot_cache() {
  rm -f "$AOT_CACHE"
  DATABASE_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$DB_NAME" DATABASE_USER=$DB_USER SERVER_PORT=$PORT SERVER_HOST=127.0.0.1 \
    "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$AOT_CACHE" -jar server/target/sqlkit-server.jar --train >/dev/null 2>&1
  [ -f "$AOT_CACHE" ] || { echo "bench: the training run wrote no $AOT_CACHE" >&2; exit 1; }
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true   # 143: it was SIGTERMed, as intended
  rm -f "$SERVER_LOG"; SERVER_PID=
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }

# Seeds with SQL rather than HTTP: the seed is set-up, not part of what is measured.
seed() {
  local digits="(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
  sql "$DB_NAME" -e "INSERT INTO posts (title, body, published)
    SELECT CONCAT('Seeded post ', n), REPEAT('Lorem ipsum dolor sit amet. ', 10), n % 2 = 0
    FROM (SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d + 1 AS n
          FROM $digits a, $digits b, $digits c, $digits e, $digits f) numbers
    WHERE n <= $SEED_POSTS;
    INSERT INTO orgs (name, description) SELECT CONCAT('org-', id), 'seeded' FROM posts WHERE id <= 1000;"
}

# wrk reports latencies as 1.23ms / 456.78us / 1.02s; in milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.2f", v}'; }

# CPU time (user + system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }

# Closed-loop load: wrk_measure <script> <path>
#   -> "requests/s|p50 ms|p99 ms|non-2xx|server µs|database µs|wrk µs|server's kernel µs"
# The last three are CPU time per request of the server, the database server and wrk: on a machine
# where all three share two cores, they say which one the throughput is spent on.
wrk_measure() {
  local tick; tick=$(getconf CLK_TCK)
  local db; db=$(pgrep -x mariadbd || pgrep -x mysqld || true)
  local server0 db0 kernel0; server0=$(cpu_ticks "$SERVER_PID"); db0=$([ -n "$db" ] && cpu_ticks "$db" || echo 0)
  kernel0=$(sys_ticks "$SERVER_PID")
  local timing; timing=$(mktemp)
  local out; out=$( { TIMEFORMAT='%U %S'; time wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-16}" -d"${DURATION:-20s}" --latency -s "$1" "$BASE$2"; } 2>"$timing")
  local server1 db1 kernel1; server1=$(cpu_ticks "$SERVER_PID"); db1=$([ -n "$db" ] && cpu_ticks "$db" || echo 0)
  kernel1=$(sys_ticks "$SERVER_PID")
  local rps p50 p99 errors requests
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local per="1000000 / $tick / ${requests:-1}"
  local wrk_us; wrk_us=$(tail -1 "$timing" | awk -v n="${requests:-1}" '{printf "%.0f", ($1 + $2) * 1000000 / n}'); rm -f "$timing"
  echo "$rps|$p50|$p99|${errors:-0}|$(( (server1 - server0) * $per ))|$(( (db1 - db0) * $per ))|$wrk_us|$(( (kernel1 - kernel0) * $per ))"
}

# Fixed rate: hey_measure <rate/s> <duration> <path> -> "p50 ms|p99 ms|max ms|responses|non-2xx"
# (hey's -q is per worker: 5 workers at rate/5 each.)
hey_measure() {
  local workers=5 out
  out=$(hey -z "$2" -c "$workers" -q "$(( $1 / workers ))" "$BASE$3")
  local p50 p99 max total ok
  p50=$(echo "$out" | awk '/ 50% in / {printf "%.2f", $3 * 1000}')
  p99=$(echo "$out" | awk '/ 99% in / {printf "%.2f", $3 * 1000}')
  max=$(echo "$out" | awk '/Slowest:/ {printf "%.2f", $2 * 1000}')
  total=$(echo "$out" | awk '/\[[0-9]+\]/ {gsub(/[\[\]]/, "", $1); n += $2} END {print n + 0}')
  ok=$(echo "$out" | awk '/\[2[0-9][0-9]\]/ {n += $2} END {print n + 0}')
  echo "$p50|$p99|$max|$total|$((total - ok))"
}

# The ceiling: the same database and concurrency, no HTTP and no Java.
# slap_qps <kind> <queries> -> "queries/s|database µs|mariadb-slap µs" (CPU time per query)
slap_qps() {
  local file; file=$(mktemp)
  if [ "$1" = select ]; then
    awk -v n="$SEED_POSTS" 'BEGIN { srand(42); for (i = 0; i < 20000; i++) printf "SELECT id, title, body, published, author_id, created_at FROM posts WHERE id = %d;\n", 1 + int(rand() * n) }' > "$file"
  else
    awk 'BEGIN { for (i = 0; i < 2000; i++) print "INSERT INTO posts (title, body, published) VALUES (\047A benchmark post\047, \047Written by mariadb-slap.\047, 0);" }' > "$file"
  fi
  local tick; tick=$(getconf CLK_TCK)
  local db; db=$(pgrep -x mariadbd || pgrep -x mysqld || true)
  local db0; db0=$([ -n "$db" ] && cpu_ticks "$db" || echo 0)
  local timing; timing=$(mktemp)
  local qps; qps=$( { TIMEFORMAT='%U %S'; time mariadb-slap -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" --create-schema="$DB_NAME" --no-drop \
      --concurrency="${CONNECTIONS:-16}" --iterations=1 --number-of-queries="$2" --delimiter=";" --query="$file" 2>/dev/null; } 2>"$timing" \
    | awk -v q="$2" '/Average number of seconds to run all queries/ {printf "%.0f", q / $(NF-1)}')
  local db1; db1=$([ -n "$db" ] && cpu_ticks "$db" || echo 0)
  local slap_us; slap_us=$(tail -1 "$timing" | awk -v n="$2" '{printf "%.0f", ($1 + $2) * 1000000 / n}')
  rm -f "$file" "$timing"
  echo "$qps|$(( (db1 - db0) * 1000000 / tick / $2 ))|$slap_us"
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", 100 * a / b}'; }
