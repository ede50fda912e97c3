#!/usr/bin/env bash
# HTTP benchmark of the server against the local MariaDB, on loopback, with bounded durations.
#
#   bench/http/run.sh                 # 20 s per load, 16 connections
#   DURATION=60s CONNECTIONS=32 bench/http/run.sh
#
# Prints, from one run (so that the ratios are comparable on a noisy machine): wrk closed-loop load
# on GET /posts/{id} and POST /posts (requests/s, p50, p99), and mariadb-slap at the same
# concurrency (primary-key point selects/s, single-row inserts/s): the ceiling each HTTP figure is
# a share of. bench/suite.sh measures more and writes docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
need wrk wrk
need mariadb-slap mariadb-client
build_server
fresh_database
trap stop_server EXIT
start_server
seed
wrk -t2 -c"${CONNECTIONS:-16}" -d5s -s bench/http/get-post.lua "$BASE" >/dev/null   # warm-up: JIT, pool
wrk -t2 -c"${CONNECTIONS:-16}" -d3s -s bench/http/post-post.lua "$BASE" >/dev/null
GET=$(wrk_measure bench/http/get-post.lua "")
POST=$(wrk_measure bench/http/post-post.lua "")
IFS='|' read -r SELECT_QPS _ <<<"$(slap_qps select 200000)"
IFS='|' read -r INSERT_QPS _ <<<"$(slap_qps insert 20000)"
echo
echo "sqlkit HTTP benchmark: $(nproc) cores, ${CONNECTIONS:-16} connections, ${DURATION:-20s} per load, $SEED_POSTS seeded posts, $(date -u +%FT%TZ)"
printf '%-18s %12s %9s %9s %8s   %s\n' "load" "requests/s" "p50 ms" "p99 ms" "non-2xx" "share of the ceiling"
IFS='|' read -r rps p50 p99 errors _ <<<"$GET"
printf '%-18s %12s %9s %9s %8s   %s%% of %s point selects/s\n' "GET /posts/{id}" "$rps" "$p50" "$p99" "$errors" "$(percent "$rps" "$SELECT_QPS")" "$SELECT_QPS"
IFS='|' read -r rps p50 p99 errors _ <<<"$POST"
printf '%-18s %12s %9s %9s %8s   %s%% of %s inserts/s\n' "POST /posts" "$rps" "$p50" "$p99" "$errors" "$(percent "$rps" "$INSERT_QPS")" "$INSERT_QPS"
