#!/usr/bin/env bash
# Shared by bench/http/run.sh and bench/suite.sh: start the packaged server against a database on a
# MySQL-family server, seed it, and measure with wrk, hey and mariadb-slap. Source it from the
# repository root. Settings (environment): DB_HOST, DB_PORT, DB_USER, DB_NAME, PORT, SEED_POSTS,
# SERVER_JAR (default: this tree's server/target/sqlkit-server.jar).

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
DB_USER=${DB_USER:-root}
DB_NAME=${DB_NAME:-sqlkit_bench_http}
PORT=${PORT:-18080}
SEED_POSTS=${SEED_POSTS:-10000}
export SEED_POSTS
BASE="http://127.0.0.1:$PORT"
SERVER_JAR=${SERVER_JAR:-server/target/sqlkit-server.jar}

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
  if [ ! -f "$SERVER_JAR" ] || [ -n "${REBUILD:-}" ]; then
    ./mvnw -q -pl server -am package -DskipTests
  fi
}

fresh_database() {
  sql -e "DROP DATABASE IF EXISTS $DB_NAME; CREATE DATABASE $DB_NAME CHARACTER SET utf8mb4"
}

# http_ok <host> <port> <path>: one GET through bash's own /dev/tcp; true on a 2xx status line.
# No process is started per try: a curl every 10 ms would take CPU from the start it measures.
http_ok() {
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$3" "$1" >&3
  local status=
  read -r -t 10 _ status _ <&3 || true
  exec 3<&- 3>&-
  [[ $status == 2* ]]
}

# await_answer <url> <pid> <log>: polls the url (http://host:port/path) until it answers 2xx; if the
# process dies first, shows its log and exits.
await_answer() {
  [[ $1 =~ ^http://([^:/]+):([0-9]+)(/.*)$ ]] || { echo "bench: cannot poll $1" >&2; exit 1; }
  until http_ok "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"; do
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.01
  done
}

# Starts the server on $PORT against $DB_NAME (or the embedded database with EMBEDDED_DIR=...), with
# the JVM options it is documented to run with (server/jvm.options) and then $JAVA_OPTS; sets SERVER_PID
# and READY_MS: process start to the first 2xx answer of $READY_URL (default: the readiness check).
start_server() {
  SERVER_LOG=$(mktemp)
  local start; start=$(date +%s%N)
  if [ -n "${EMBEDDED_DIR:-}" ]; then
    DATABASE_EMBEDDED_DIR=$EMBEDDED_DIR SERVER_PORT=$PORT SERVER_HOST=127.0.0.1 \
      "$JAVA_HOME/bin/java" @server/jvm.options ${JAVA_OPTS:-} -jar "$SERVER_JAR" >"$SERVER_LOG" 2>&1 &
  else
    DATABASE_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$DB_NAME" DATABASE_USER=$DB_USER SERVER_PORT=$PORT SERVER_HOST=127.0.0.1 \
      "$JAVA_HOME/bin/java" @server/jvm.options ${JAVA_OPTS:-} -jar "$SERVER_JAR" >"$SERVER_LOG" 2>&1 &
  fi
  SERVER_PID=$!
  await_answer "${READY_URL:-$BASE/observe/health/ready}" "$SERVER_PID" "$SERVER_LOG"
  READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
}

# The ahead-of-time cache (JDK 25+): a training run against $DB_NAME writes $AOT_CACHE, which
# later starts load with JAVA_OPTS="-XX:AOTCache=$AOT_CACHE" (see the README, "Start-up").
AOT_CACHE=server/target/sqlkit-server.aot
train_aot_cache() {
  rm -f "$AOT_CACHE"
  DATABASE_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$DB_NAME" DATABASE_USER=$DB_USER SERVER_PORT=$PORT SERVER_HOST=127.0.0.1 \
    "$JAVA_HOME/bin/java" @server/jvm.options -XX:AOTCacheOutput="$AOT_CACHE" -jar "$SERVER_JAR" --train >/dev/null 2>&1
  [ -f "$AOT_CACHE" ] || { echo "bench: the training run wrote no $AOT_CACHE" >&2; exit 1; }
}

# The benchmark's peer (bench/peer: Vert.x, the same requests and bytes) on $PEER_PORT over $DB_NAME;
# sets PEER_PID. measure_peer runs one of the measurements below against it instead of the server.
PEER_PORT=${PEER_PORT:-18090}
PEER_JAR=bench/peer/target/sqlkit-bench-peer.jar
build_peer() { ./mvnw -q -Pbench -pl bench/peer package -DskipTests; }
start_peer() {
  PEER_LOG=$(mktemp)
  PORT=$PEER_PORT DB_HOST=$DB_HOST DB_PORT=$DB_PORT DB_USER=$DB_USER DB_NAME=$DB_NAME \
    "$JAVA_HOME/bin/java" ${PEER_JAVA_OPTS:-} -jar "$PEER_JAR" >"$PEER_LOG" 2>&1 &
  PEER_PID=$!
  await_answer "http://127.0.0.1:$PEER_PORT/posts/1" "$PEER_PID" "$PEER_LOG"
}
stop_peer() {
  [ -n "${PEER_PID:-}" ] || return 0
  kill "$PEER_PID" 2>/dev/null || true
  wait "$PEER_PID" 2>/dev/null || true
  rm -f "$PEER_LOG"; PEER_PID=
}
measure_peer() { BASE="http://127.0.0.1:$PEER_PORT" SERVER_PID=$PEER_PID "$@"; }

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

# User + system clock ticks a process has used so far, then system alone ("0 0" for no process).
ticks() { if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then awk '{print $14 + $15, $15}' "/proc/$1/stat"; else echo "0 0"; fi; }

# cpu_during <output file> <command...>: runs the command with its output in the file, and prints the
# CPU time, in µs, used meanwhile by the server, by the server in the kernel, by the database server
# and by the command itself. On a machine where all of them share two cores, that says which one a
# benchmark's throughput is spent on.
cpu_during() {
  local out=$1; shift
  local us_per_tick=$(( 1000000 / $(getconf CLK_TCK) ))
  local db; db=$(pgrep -x mariadbd || pgrep -x mysqld || true)
  local timing; timing=$(mktemp)
  local s0 k0 d0 s1 k1 d1
  read -r s0 k0 <<<"$(ticks "${SERVER_PID:-}")"; read -r d0 _ <<<"$(ticks "$db")"
  { TIMEFORMAT='%U %S'; time "$@" >"$out" 2>/dev/null; } 2>"$timing"
  read -r s1 k1 <<<"$(ticks "${SERVER_PID:-}")"; read -r d1 _ <<<"$(ticks "$db")"
  echo "$(( (s1 - s0) * us_per_tick )) $(( (k1 - k0) * us_per_tick )) $(( (d1 - d0) * us_per_tick ))" \
    "$(awk '{printf "%.0f", ($1 + $2) * 1000000}' "$timing")"
  rm -f "$timing"
}

# Closed-loop load: wrk_measure <script> <path>
#   -> "requests/s|p50 ms|p99 ms|non-2xx|server µs|database µs|wrk µs|server's kernel µs" (CPU per request)
wrk_measure() {
  local file; file=$(mktemp)
  local server kernel db tool
  read -r server kernel db tool <<<"$(cpu_during "$file" wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-16}" -d"${DURATION:-20s}" --latency -s "$1" "$BASE$2")"
  local out; out=$(cat "$file"); rm -f "$file"
  local rps p50 p99 errors requests
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}'); requests=${requests:-1}
  echo "$rps|$p50|$p99|${errors:-0}|$(( server / requests ))|$(( db / requests ))|$(( tool / requests ))|$(( kernel / requests ))"
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
  local out; out=$(mktemp)
  local db slap
  read -r _ _ db slap <<<"$(cpu_during "$out" mariadb-slap -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" --create-schema="$DB_NAME" \
    --no-drop --concurrency="${CONNECTIONS:-16}" --iterations=1 --number-of-queries="$2" --delimiter=";" --query="$file")"
  local qps; qps=$(awk -v q="$2" '/Average number of seconds to run all queries/ {printf "%.0f", q / $(NF-1)}' "$out")
  rm -f "$file" "$out"
  echo "$qps|$(( db / $2 ))|$(( slap / $2 ))"
}

# System calls per request under closed-loop GET load, by call: syscalls_per_request <script>
#   -> "futex=1.87 read=3.13 ..." (the calls above 0.05 per request) and the total. strace slows the
#   server down while it counts, so this counts calls and says nothing of their time.
syscalls_per_request() {
  local counts; counts=$(mktemp)
  timeout -s INT 8 strace -c -f -p "$SERVER_PID" -o "$counts" >/dev/null 2>&1 & local tracer=$!
  sleep 1
  local requests; requests=$(wrk -t2 -c"${CONNECTIONS:-16}" -d5s -s "$1" "$BASE" | awk '/requests in/ {print $1}')
  wait "$tracer" || true
  awk -v n="$requests" 'NR > 2 && $4 ~ /^[0-9]+$/ && $4 / n > 0.05 {printf "%s %.2f, ", $NF, $4 / n}' "$counts" | sed 's/, $//'
  rm -f "$counts"
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", 100 * a / b}'; }
