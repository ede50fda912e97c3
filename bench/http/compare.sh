#!/usr/bin/env bash
# One request (GET /posts/{id} unless SCRIPT names another of bench/http/*.lua) of this tree's build
# against another revision's, in one run, alternating rounds so that the machine's noise falls on
# both alike. For "is this change slower?", not for absolute figures.
#
#   bench/http/compare.sh main~3            # 3 rounds of 15 s each per build, 16 connections
#   ROUNDS=5 DURATION=20s bench/http/compare.sh bf13e2d
#   SCRIPT=bench/http/list-page.lua PAGE_LIMIT=100 bench/http/compare.sh HEAD
#
# Both servers run against the same seeded database on the local MariaDB, one at a time.
set -euo pipefail
cd "$(dirname "$0")/../.."
REV=${1:?usage: bench/http/compare.sh <git revision to compare against>}
ROUNDS=${ROUNDS:-3}
SCRIPT=${SCRIPT:-bench/http/get-post.lua}
export DURATION=${DURATION:-15s}
. bench/lib.sh
need wrk wrk
need mariadb mariadb-client

OTHER=$(mktemp -d)
cleanup() { stop_server; git worktree remove --force "$OTHER" >/dev/null 2>&1 || rm -rf "$OTHER"; }
trap cleanup EXIT
git worktree add --detach "$OTHER" "$REV" >/dev/null
echo "compare: building $REV and this tree" >&2
(cd "$OTHER" && ./mvnw -q -B -ntp -pl server -am package -DskipTests)
./mvnw -q -B -ntp -pl server -am package -DskipTests
fresh_database
declare -A TOTAL=([this]=0 ["$REV"]=0) CPU=([this]=0 ["$REV"]=0)
for round in $(seq 1 "$ROUNDS"); do
  for build in this "$REV"; do
    if [ "$build" = this ]; then SERVER_JAR=server/target/sqlkit-server.jar; else SERVER_JAR=$OTHER/server/target/sqlkit-server.jar; fi
    start_server
    [ "$round$build" = "1this" ] && seed
    wrk -t2 -c"${CONNECTIONS:-16}" -d5s -s "$SCRIPT" "$BASE" >/dev/null   # warm-up: JIT, pool
    IFS='|' read -r rps p50 p99 errors server_us _ <<<"$(wrk_measure "$SCRIPT" "")"
    stop_server
    TOTAL[$build]=$(( ${TOTAL[$build]} + rps ))
    CPU[$build]=$(( ${CPU[$build]} + server_us ))
    printf 'round %d  %-12s %8s requests/s  p50 %6s ms  p99 %6s ms  non-2xx %s  server CPU %s µs/request\n' \
      "$round" "$build" "$rps" "$p50" "$p99" "$errors" "$server_us"
  done
done
# Throughput swings with whatever else the machine runs; the server's CPU time per request much less.
echo "$(basename "$SCRIPT" .lua), $ROUNDS rounds: this tree $(( ${TOTAL[this]} / ROUNDS )) requests/s, $REV $(( ${TOTAL[$REV]} / ROUNDS )) requests/s," \
  "ratio $(awk -v a="${TOTAL[this]}" -v b="${TOTAL[$REV]}" 'BEGIN {printf "%.3f", a / b}');" \
  "server CPU per request $(( ${CPU[this]} / ROUNDS )) µs vs $(( ${CPU[$REV]} / ROUNDS )) µs"
