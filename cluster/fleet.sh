#!/usr/bin/env bash
# A fleet of sqlkit servers over the Galera cluster of cluster/galera.sh, behind haproxy on one port.
#
#   cluster/fleet.sh start [N]   start N instances (default 2) and haproxy; wait until haproxy is ready
#   cluster/fleet.sh stop        SIGTERM the instances (they drain) and soft-stop haproxy (idempotent)
#   cluster/fleet.sh status      per instance: up?, ready?; haproxy: up?, ready? (exit 1 unless all ready)
#   cluster/fleet.sh env         FLEET_URL=http://127.0.0.1:18100 ... for tests to source
#
# Instance i listens on FLEET_PORT+i and connects to cluster node ((i-1) mod 3)+1 first, the other
# nodes after it (Connector/J fails over along the list), so the fleet spreads over the nodes.
# haproxy listens on FLEET_PORT, round-robin over the instances whose /observe/health/ready passes,
# and names the instance that answered in the response header X-Sqlkit-Instance.
#
# Settings (environment):
#   FLEET_DIR          state directory: logs, pid files, haproxy.cfg (default /tmp/sqlkit-fleet)
#   FLEET_PORT         haproxy's port (default 18100); instance i gets FLEET_PORT+i
#   FLEET_DATABASE     database on the cluster (default sqlkit; created if missing)
#   FLEET_START        'staggered' (default): the first instance, once ready, then the others;
#                      'together': all at the same moment (for the concurrent start-up test)
#   FLEET_WAIT_SECONDS bound on each wait for readiness (default 120)
#   FLEET_JAVA_OPTS    extra JVM options for every instance (e.g. -Xmx256m)
#   SERVER_JAR         default server/target/sqlkit-server.jar (built when missing)
#   CLUSTER_NODES      host:port,... of the database nodes (default: what cluster/galera.sh env says)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
FLEET_DIR=${FLEET_DIR:-/tmp/sqlkit-fleet}
FLEET_PORT=${FLEET_PORT:-18100}
FLEET_DATABASE=${FLEET_DATABASE:-sqlkit}
FLEET_START=${FLEET_START:-staggered}
FLEET_WAIT_SECONDS=${FLEET_WAIT_SECONDS:-120}
FLEET_JAVA_OPTS=${FLEET_JAVA_OPTS:-}
SERVER_JAR=${SERVER_JAR:-$ROOT/server/target/sqlkit-server.jar}
MAX_INSTANCES=9

die() { echo "fleet: $*" >&2; exit 1; }
say() { echo "fleet: $*" >&2; }

instance_port() { echo $((FLEET_PORT + $1)); }
instance_pid_file() { echo "$FLEET_DIR/instance$1.pid"; }
instance_log() { echo "$FLEET_DIR/instance$1.log"; }
haproxy_cfg() { echo "$FLEET_DIR/haproxy.cfg"; }
haproxy_pid_file() { echo "$FLEET_DIR/haproxy.pid"; }

# The cluster's nodes as an array NODES (host:port), from CLUSTER_NODES or galera.sh's settings.
load_nodes() {
  if [ -z "${CLUSTER_NODES:-}" ]; then
    CLUSTER_NODES=$("$HERE/galera.sh" env | sed -n 's/^CLUSTER_NODES=//p')
  fi
  IFS=, read -r -a NODES <<<"$CLUSTER_NODES"
  [ ${#NODES[@]} -gt 0 ] || die "CLUSTER_NODES is empty; expected host:port,host:port,..."
}

# The pid recorded in a pid file if that process still runs and its command line contains the
# given text (so a recycled pid of someone else's process is never signalled); empty otherwise.
live_pid() { # pid file, text its command line must contain
  local pid
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2"; then
    echo "$pid"
  fi
}

# The JVMs carry -Dsqlkit.fleet.instance=<dir>#<i>: that is how a pid is known to be ours.
instance_pid() { live_pid "$(instance_pid_file "$1")" "-Dsqlkit.fleet.instance=$FLEET_DIR#$1 "; }
haproxy_pid() { live_pid "$(haproxy_pid_file)" "$(haproxy_cfg)"; }

# Instance numbers that have a pid file, running or not (what `stop` and `status` look at).
known_instances() {
  local file
  for file in "$FLEET_DIR"/instance*.pid; do
    [ -e "$file" ] || continue
    file=${file##*/instance}
    echo "${file%.pid}"
  done | sort -n
}

is_ready() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$1/observe/health/ready"; }

ensure_tools() {
  command -v curl >/dev/null || die "curl is missing; install it: apt-get install -y curl"
  command -v socat >/dev/null || die "socat is missing; install it: apt-get install -y socat"
  command -v mariadb >/dev/null || die "the mariadb client is missing; install it: apt-get install -y mariadb-client"
  if ! command -v haproxy >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing haproxy"
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null || die "apt-get install haproxy failed"
    else
      die "haproxy is missing; install it: sudo apt-get install -y haproxy"
    fi
  fi
  # select-jdk.sh explains on stderr which JDK it picked; only a failure is worth showing.
  JAVA_HOME=$("$ROOT/.mvn/select-jdk.sh" 2>"$FLEET_DIR/select-jdk.log") \
    || { cat "$FLEET_DIR/select-jdk.log" >&2; die "no JDK 21+ found (see the message above)"; }
  if [ ! -f "$SERVER_JAR" ]; then
    [ "$SERVER_JAR" = "$ROOT/server/target/sqlkit-server.jar" ] || die "SERVER_JAR=$SERVER_JAR does not exist"
    say "building $SERVER_JAR"
    (cd "$ROOT" && JAVA_HOME=$JAVA_HOME ./mvnw -q -B -ntp -pl server -am package -DskipTests) || die "the build failed"
  fi
}

# The database must exist before the servers migrate it; the first node that answers creates it
# and Galera replicates the DDL to the others.
ensure_database() {
  local node
  for node in "${NODES[@]}"; do
    if mariadb --no-defaults --protocol=tcp -h"${node%:*}" -P"${node##*:}" -uroot --connect-timeout=2 \
        -e "CREATE DATABASE IF NOT EXISTS \`$FLEET_DATABASE\` CHARACTER SET utf8mb4" 2>/dev/null; then
      return 0
    fi
  done
  die "no cluster node answers at $CLUSTER_NODES; start the cluster first: cluster/galera.sh start"
}

# Instance i's JDBC URL: its own node first, then the others in order. failOverReadOnly=false:
# Connector/J otherwise makes a connection read-only once it failed over to a secondary host, while
# every Galera node takes writes.
instance_url() {
  local i=$1 count=${#NODES[@]} k hosts=()
  for ((k = 0; k < count; k++)); do
    hosts+=("${NODES[$(((i - 1 + k) % count))]}")
  done
  local IFS=,
  echo "jdbc:mysql://${hosts[*]}/$FLEET_DATABASE?failOverReadOnly=false"
}

launch_instance() {
  local i=$1 port
  port=$(instance_port "$i")
  is_ready "$port" && die "port $port already answers (another server?); choose other ports with FLEET_PORT=..."
  # setsid: a Ctrl-C in the caller's terminal must not reach the fleet; stop does, with SIGTERM.
  # shellcheck disable=SC2086 # FLEET_JAVA_OPTS is a list of options
  DATABASE_URL=$(instance_url "$i") DATABASE_USER=root SERVER_PORT=$port SERVER_HOST=127.0.0.1 \
    setsid "$JAVA_HOME/bin/java" "-Dsqlkit.fleet.instance=$FLEET_DIR#$i" $FLEET_JAVA_OPTS -jar "$SERVER_JAR" \
    </dev/null >"$(instance_log "$i")" 2>&1 &
  echo $! >"$(instance_pid_file "$i")"
}

wait_instance_ready() {
  local i=$1 port deadline
  port=$(instance_port "$i")
  deadline=$((SECONDS + FLEET_WAIT_SECONDS))
  until is_ready "$port"; do
    # The first check can come before the forked shell has exec'd java: judge by the pid alone.
    if ! kill -0 "$(cat "$(instance_pid_file "$i")")" 2>/dev/null; then
      tail -n 30 "$(instance_log "$i")" >&2
      die "instance $i exited while starting (log above, full log $(instance_log "$i"))"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$(instance_log "$i")" >&2
      die "instance $i not ready on port $port after ${FLEET_WAIT_SECONDS}s (log above); raise FLEET_WAIT_SECONDS or read $(instance_log "$i")"
    fi
    sleep 0.5
  done
}

write_haproxy_cfg() {
  local count=$1 i
  {
    cat <<EOF
# Written by cluster/fleet.sh; rewritten on every start.
global
    maxconn 4096
    # For fleet.sh to read the health checks' verdicts (show stat).
    stats socket $FLEET_DIR/haproxy.sock mode 600 level user

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request whose connection to an instance failed is sent to another one.
    retries 2
    option redispatch

frontend sqlkit
    bind 127.0.0.1:$FLEET_PORT
    default_backend instances

backend instances
    balance roundrobin
    # HTTP/1.1 with a Host header: Helidon answers haproxy's default HTTP/1.0 check with 505.
    # HEAD, not GET: haproxy resets the connection as soon as it has the status line, and a GET's
    # body still being written then costs the instance a logged stack trace. HEAD runs the same
    # readiness check (204 ready, 503 not).
    option httpchk
    http-check send meth HEAD uri /observe/health/ready ver HTTP/1.1 hdr Host localhost
    http-check expect rstatus ^2
    # Which instance answered, so tests can see that every instance serves.
    http-response set-header X-Sqlkit-Instance %s
    default-server inter 1s fall 2 rise 1
EOF
    for ((i = 1; i <= count; i++)); do
      echo "    server instance$i 127.0.0.1:$(instance_port "$i") check"
    done
  } >"$(haproxy_cfg)"
  haproxy -c -q -f "$(haproxy_cfg)" || die "haproxy rejects $(haproxy_cfg)"
}

# How many instances haproxy's own health checks have passed (status UP, check L7OK).
checked_up_count() {
  echo "show stat" | socat -t 2 stdio "UNIX-CONNECT:$FLEET_DIR/haproxy.sock" 2>/dev/null \
    | awk -F, '$1 == "instances" && $2 ~ /^instance/ && $18 == "UP" && $37 == "L7OK"' | wc -l
}

# Starts haproxy and waits until its health checks passed for all instances and its front port
# answers readiness with 200. haproxy counts a server as up before its first check, so the front
# port alone would answer too early.
launch_haproxy() {
  local count=$1 deadline
  is_ready "$FLEET_PORT" && die "port $FLEET_PORT already answers; choose another with FLEET_PORT=..."
  setsid haproxy -db -f "$(haproxy_cfg)" </dev/null >"$FLEET_DIR/haproxy.log" 2>&1 &
  echo $! >"$(haproxy_pid_file)"
  deadline=$((SECONDS + FLEET_WAIT_SECONDS))
  until [ "$(checked_up_count)" -eq "$count" ] && is_ready "$FLEET_PORT"; do
    kill -0 "$(cat "$(haproxy_pid_file)")" 2>/dev/null || { cat "$FLEET_DIR/haproxy.log" >&2; die "haproxy exited (log above)"; }
    [ "$SECONDS" -lt "$deadline" ] || die "haproxy's health checks passed for $(checked_up_count) of $count instances after" \
      "${FLEET_WAIT_SECONDS}s; see $FLEET_DIR/haproxy.log and the instances' logs in $FLEET_DIR"
    sleep 0.2
  done
}

print_env() {
  local count=${1:-} i list=()
  [ -n "$count" ] || count=$(known_instances | wc -l)
  for ((i = 1; i <= count; i++)); do list+=("127.0.0.1:$(instance_port "$i")"); done
  local IFS=,
  echo "FLEET_URL=http://127.0.0.1:$FLEET_PORT"
  echo "FLEET_INSTANCES=${list[*]}"
  echo "FLEET_DIR=$FLEET_DIR"
}

cmd_start() {
  local count=${1:-2} i started
  if ! [[ $count =~ ^[0-9]+$ ]] || [ "$count" -lt 1 ] || [ "$count" -gt $MAX_INSTANCES ]; then
    die "expected a number of instances from 1 to $MAX_INSTANCES, got '$count'"
  fi
  case "$FLEET_START" in staggered | together) ;; *) die "FLEET_START must be 'staggered' or 'together', got '$FLEET_START'" ;; esac
  mkdir -p "$FLEET_DIR"
  for i in $(known_instances); do
    [ -z "$(instance_pid "$i")" ] || die "instance $i is already running; run 'cluster/fleet.sh stop' first"
  done
  [ -z "$(haproxy_pid)" ] || die "haproxy of this fleet is already running; run 'cluster/fleet.sh stop' first"
  rm -f "$FLEET_DIR"/instance*.pid "$FLEET_DIR"/instance*.log
  ensure_tools
  load_nodes
  ensure_database
  started=$SECONDS
  if [ "$FLEET_START" = staggered ]; then
    # Instances that start at the same moment on an empty database can break its schema today (a
    # known bug, a later part of issue 10): the first one migrates alone, the others find the schema
    # done. FLEET_START=together starts them all at once, to reproduce or test exactly that.
    launch_instance 1
    wait_instance_ready 1
    say "instance 1 ready on port $(instance_port 1) after $((SECONDS - started))s"
    for ((i = 2; i <= count; i++)); do launch_instance "$i"; done
  else
    for ((i = 1; i <= count; i++)); do launch_instance "$i"; done
  fi
  for ((i = 1; i <= count; i++)); do wait_instance_ready "$i"; done
  write_haproxy_cfg "$count"
  launch_haproxy "$count"
  say "$count instances ready in $((SECONDS - started))s, behind haproxy on http://127.0.0.1:$FLEET_PORT"
  print_env "$count"
}

# Waits (bounded) for a process to exit after a signal; SIGKILLs it after the bound, and says so.
await_exit() { # pid, name, seconds
  local deadline=$((SECONDS + $3))
  while kill -0 "$1" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "$2 (pid $1) still running $3s after the signal; killing it"
      kill -KILL "$1" 2>/dev/null || true
      return 0
    fi
    sleep 0.2
  done
}

cmd_stop() {
  local i pid proxy any=false pids=()
  # haproxy first gets SIGUSR1 (soft stop): it stops accepting and lets requests in flight finish,
  # while every instance gets SIGTERM at the same time and drains within its grace period (10 s).
  proxy=$(haproxy_pid)
  if [ -n "$proxy" ]; then any=true; kill -USR1 "$proxy" 2>/dev/null || true; fi
  for i in $(known_instances); do
    pid=$(instance_pid "$i")
    [ -n "$pid" ] || continue
    any=true
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$i:$pid")
  done
  for i in "${pids[@]}"; do await_exit "${i#*:}" "instance ${i%%:*}" 30; done
  [ -z "$proxy" ] || await_exit "$proxy" haproxy 30
  rm -f "$FLEET_DIR"/instance*.pid "$(haproxy_pid_file)"
  if $any; then say "stopped"; else say "nothing running in $FLEET_DIR"; fi
}

cmd_status() {
  local i pid all_ready=0 known
  known=$(known_instances)
  [ -n "$known" ] || { echo "no instance started in $FLEET_DIR"; return 1; }
  for i in $known; do
    pid=$(instance_pid "$i")
    if [ -z "$pid" ]; then
      printf 'instance %s  127.0.0.1:%s  down\n' "$i" "$(instance_port "$i")"; all_ready=1
    elif is_ready "$(instance_port "$i")"; then
      printf 'instance %s  127.0.0.1:%s  up (pid %s)  ready\n' "$i" "$(instance_port "$i")" "$pid"
    else
      printf 'instance %s  127.0.0.1:%s  up (pid %s)  NOT ready\n' "$i" "$(instance_port "$i")" "$pid"; all_ready=1
    fi
  done
  pid=$(haproxy_pid)
  if [ -z "$pid" ]; then
    printf 'haproxy     127.0.0.1:%s  down\n' "$FLEET_PORT"; all_ready=1
  elif is_ready "$FLEET_PORT"; then
    printf 'haproxy     127.0.0.1:%s  up (pid %s)  ready\n' "$FLEET_PORT" "$pid"
  else
    printf 'haproxy     127.0.0.1:%s  up (pid %s)  NOT ready\n' "$FLEET_PORT" "$pid"; all_ready=1
  fi
  return "$all_ready"
}

cmd_env() { print_env; }

. "$(dirname "$0")/commands.sh"
run_command 7 "$@"
