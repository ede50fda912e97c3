#!/usr/bin/env bash
# Checks the distribution (built by ./mvnw -pl server -am -Pdist package) on a machine without Java
# as far as the server can tell: started by the launcher's absolute path with an empty environment
# (env -i: no JAVA_HOME, PATH=/nonexistent, so no java is reachable), against a fresh database on
# the MySQL/MariaDB server given, it must serve POST /posts and GET /posts/1. Then it measures size
# and time to ready against the jar (java -jar on the JDK given), and with the AOT cache.
# Usage: check-dist.sh <server/target> <JDK home> <mysql host> <port> [runs]   (user root, no password)
set -euo pipefail
target=$(cd "$1" && pwd -P)
jdk="$2"
db_host="$3"
db_port="$4"
runs="${5:-3}"
dist="$target/dist/sqlkit-server"
launcher="$dist/bin/sqlkit-server"
work=$(mktemp -d)
db="sqlkit_dist_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
url="jdbc:mysql://$db_host:$db_port/$db?createDatabaseIfNotExist=true&user=root"
pid=""

fail() {
  echo "check-dist: $*" >&2
  [ -f "$work/server.log" ] && tail -30 "$work/server.log" >&2
  # also from a command substitution (a subshell), where the trap below does not know the pid
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
  exit 1
}
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  mariadb -h"$db_host" -P"$db_port" -uroot -e "DROP DATABASE IF EXISTS \`$db\`" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$launcher" ] || fail "no launcher at $launcher: build with ./mvnw -pl server -am -Pdist package"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# start <command...>: starts the server in an empty environment; sets pid.
start() {
  env -i PATH=/nonexistent HOME="$work" DATABASE_URL="$url" SERVER_PORT="$port" SERVER_HOST=127.0.0.1 \
    "$@" >"$work/server.log" 2>&1 &
  pid=$!
}
# await_ready <start, ns>: prints the milliseconds from the start until readiness answers 200.
await_ready() {
  local began="$1"
  # 90 s: a busy CI machine (2 cores shared) has been seen to take 18 s for a start that takes 2.5 s alone.
  while [ $(( $(date +%s%N) - began )) -lt 90000000000 ]; do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/observe/health/ready"; then
      echo $(( ($(date +%s%N) - began) / 1000000 )); return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "the server exited during start-up"
    sleep 0.02
  done
  fail "the server was not ready within 90 s"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

echo "check-dist: no java in the server's environment: $(env -i PATH=/nonexistent /bin/sh -c 'command -v java || echo none')"
began=$(date +%s%N); start "$launcher"; ms=$(await_ready "$began")
created=$(curl -fsS -H 'Content-Type: application/json' -d '{"title":"from the dist","body":"b"}' "http://127.0.0.1:$port/posts") \
  || fail "POST /posts failed"
reply=$(curl -fsS "http://127.0.0.1:$port/posts/1") || fail "GET /posts/1 failed"
grep -q '"title":"from the dist"' <<<"$reply" || fail "GET /posts/1 answered $reply (created: $created)"
grep -q 'sqlkit server ready in' "$work/server.log" || fail "no ready line in the log"
stop
echo "check-dist: the distribution served POST /posts and GET /posts/1 with no java on PATH and no JAVA_HOME (ready in $ms ms)"

# Time to ready (wall clock from the start to /observe/health/ready), the median of $runs starts each;
# the jar's and the distribution's starts alternate, so that a change in the machine's load meets both.
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
once() { began=$(date +%s%N); start "$@"; await_ready "$began"; stop; }
report() { printf 'check-dist: %-32s ready in %5s ms (median of %s: %s)\n' "$1" "$(median <<<"$2")" "$runs" "$2"; }
jar_times=""; dist_times=""; aot_times=""
for _ in $(seq 1 "$runs"); do
  jar_times="$jar_times $(once "$jdk/bin/java" -jar "$target/sqlkit-server.jar")"
  dist_times="$dist_times $(once "$launcher")"
done
env -i PATH=/nonexistent HOME="$work" DATABASE_URL="$url" SERVER_PORT="$port" SERVER_HOST=127.0.0.1 \
  "$launcher" --train >"$work/train.log" 2>&1 || { cat "$work/train.log"; fail "the training run failed"; }
[ -f "$dist/lib/sqlkit-server.aot" ] || fail "the training run wrote no lib/sqlkit-server.aot"
for _ in $(seq 1 "$runs"); do aot_times="$aot_times $(once "$launcher")"; done
report "jar (java -jar, full JDK)" "${jar_times# }"
report "dist, no AOT cache" "${dist_times# }"
report "dist with its AOT cache" "${aot_times# }"
rm -f "$dist/lib/sqlkit-server.aot"

echo "check-dist: sizes: jar + libs $(du -sbc "$target/sqlkit-server.jar" "$target/libs" | tail -1 | awk '{printf "%.0f MB", $1/1e6}')" \
  "(plus a JDK: $(du -sb "$jdk" | awk '{printf "%.0f MB", $1/1e6}')); dist $(du -sb "$dist" | awk '{printf "%.0f MB", $1/1e6}')" \
  "of which runtime $(du -sb "$dist/runtime" | awk '{printf "%.0f MB", $1/1e6}'); dist tar.gz $(du -sb "$target/sqlkit-server-dist.tar.gz" | awk '{printf "%.0f MB", $1/1e6}')"
