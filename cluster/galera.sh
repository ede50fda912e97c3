#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, from Debian's packages, for trying sqlkit on a cluster
# and for tests and CI that need one (conflicting writes across nodes, a node killed and rejoining).
#
#   cluster/galera.sh start [--keep]  start 3 nodes, wait until all are Synced, print the client ports
#   cluster/galera.sh stop            stop every node of this cluster cleanly (idempotent)
#   cluster/galera.sh status          per node: up?, wsrep state, cluster size (exit 1 unless all Synced)
#   cluster/galera.sh kill <n>        SIGKILL node n (failure tests)
#   cluster/galera.sh restart <n>     start node n again; it rejoins the running nodes (IST or SST)
#   cluster/galera.sh env             CLUSTER_NODES=127.0.0.1:13306,... for tests to source (alias: ports)
#   cluster/galera.sh sql <n> [args]  the mariadb client on node n, e.g. sql 3 -e 'SELECT 1'
#
# `start` begins a NEW cluster: it wipes $CLUSTER_DIR and bootstraps node 1, so every test starts from
# the same empty state. `start --keep` resumes the data of a cluster stopped with `stop`: it bootstraps
# the node Galera marked `safe_to_bootstrap: 1` (the last one to leave) and joins the others to it.
#
# Settings (environment):
#   CLUSTER_DIR        state directory: data, logs, pid files, sockets (default /tmp/sqlkit-galera)
#   GALERA_BASE_PORT   node n's client port is BASE+n-1 (default 13306: 13306, 13307, 13308); its
#                      Galera group port BASE+100+n-1, IST port BASE+200+n-1, SST port BASE+300+n-1
#   GALERA_WAIT_SECONDS  bound on each wait for a node to reach Synced (default 180)
#   GALERA_SYNC_WAIT   wsrep_sync_wait of every node (default 7: reads, updates, deletes and inserts
#                      all see every write committed anywhere in the cluster before them, which the dal
#                      requires; 1 covers reads only, 0 nothing)
#
# Everything listens on 127.0.0.1 only, and nothing here touches the system MariaDB (3306, /var/lib/mysql):
# every mariadbd runs with --no-defaults and its own data directory, and only processes whose pid this
# script recorded are ever signalled.
set -euo pipefail

CLUSTER_DIR=${CLUSTER_DIR:-/tmp/sqlkit-galera}
GALERA_BASE_PORT=${GALERA_BASE_PORT:-13306}
GALERA_WAIT_SECONDS=${GALERA_WAIT_SECONDS:-180}
GALERA_SYNC_WAIT=${GALERA_SYNC_WAIT:-7}
CLUSTER_NAME=sqlkit
NODES=(1 2 3)
MARIADBD=/usr/sbin/mariadbd
PROVIDER=/usr/lib/galera/libgalera_smm.so
# Written into CLUSTER_DIR so that `start` only ever wipes a directory this script created.
MARKER=.sqlkit-galera

die() { echo "galera: $*" >&2; exit 1; }
say() { echo "galera: $*" >&2; }

client_port() { echo $((GALERA_BASE_PORT + $1 - 1)); }
group_port() { echo $((GALERA_BASE_PORT + 100 + $1 - 1)); }
ist_port() { echo $((GALERA_BASE_PORT + 200 + $1 - 1)); }
sst_port() { echo $((GALERA_BASE_PORT + 300 + $1 - 1)); }

node_dir() { echo "$CLUSTER_DIR/node$1"; }
data_dir() { echo "$CLUSTER_DIR/node$1/data"; }
pid_file() { echo "$CLUSTER_DIR/node$1/mariadbd.pid"; }
log_file() { echo "$CLUSTER_DIR/node$1/mariadbd.log"; }
socket_file() { echo "$CLUSTER_DIR/node$1/mariadbd.sock"; }

check_node_number() {
  [[ ${1:-} =~ ^[123]$ ]] || die "expected a node number 1, 2 or 3, got '${1:-}'"
}

# Installs what is missing from Debian's packages when run as root, else names the packages.
# mariadb-backup carries the SST (mariabackup; rsync SST cannot write into the joiner's data
# directory here), socat streams it.
ensure_packages() {
  local missing=()
  [ -x "$MARIADBD" ] && command -v mariadb-install-db >/dev/null || missing+=(mariadb-server)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  [ -f "$PROVIDER" ] || missing+=(galera-4)
  command -v mariadb-backup >/dev/null || missing+=(mariadb-backup)
  command -v socat >/dev/null || missing+=(socat)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# The pid of node n if it is running and really is our mariadbd (its command line names our data
# directory, so a recycled pid of someone else's process is never signalled); empty otherwise.
node_pid() {
  local file pid
  file=$(pid_file "$1")
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--datadir=$(data_dir "$1") "; then
    echo "$pid"
  fi
}

sql_on() { # node, then mariadb client arguments
  local node=$1; shift
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$(client_port "$node")" -uroot --connect-timeout=2 "$@"
}

status_var() { # node, variable name -> value, or empty when the node does not answer
  sql_on "$1" -N -B -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2 || true
}

log_tail() {
  echo "---- last lines of $(log_file "$1") ----" >&2
  tail -n 30 "$(log_file "$1")" >&2 2>/dev/null || true
}

# gcomm:// address listing every other node: a (re)joining node finds whichever of them is up.
peers_address() {
  local self=$1 node list=()
  for node in "${NODES[@]}"; do
    [ "$node" = "$self" ] || list+=("127.0.0.1:$(group_port "$node")")
  done
  local IFS=,
  echo "gcomm://${list[*]}"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# node n's mariadbd arguments, in the array NODE_ARGS, for the given cluster address (an empty
# gcomm:// only to bootstrap a new cluster).
node_args() {
  local node=$1 address=$2
  NODE_ARGS=(--no-defaults --user=root
    --datadir="$(data_dir "$node")"
    --socket="$(socket_file "$node")"
    --port="$(client_port "$node")" --bind-address=127.0.0.1
    --log-error="$(log_file "$node")"
    --pid-file="$(node_dir "$node")/mariadbd.server.pid"
    --skip-name-resolve
    # Not --innodb-buffer-pool-size: the donor passes the node's arguments on to mariadb-backup,
    # which rejects that one ("unknown variable") and the SST fails.
    --innodb-log-file-size=48M --innodb-flush-log-at-trx-commit=2
    --binlog-format=ROW --innodb-autoinc-lock-mode=2
    --wsrep-on=ON --wsrep-provider="$PROVIDER"
    --wsrep-cluster-name="$CLUSTER_NAME" --wsrep-node-name="node$node"
    --wsrep-cluster-address="$address"
    --wsrep-node-address=127.0.0.1
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$(group_port "$node");ist.recv_addr=127.0.0.1:$(ist_port "$node");gcache.size=64M"
    --wsrep-sst-receive-address="127.0.0.1:$(sst_port "$node")"
    --wsrep-sst-method=mariabackup --wsrep-sst-auth=root:
    --wsrep-sync-wait="$GALERA_SYNC_WAIT")
}

# After a crash (SIGKILL) grastate.dat says seqno -1 and the node would ask for a full SST. Its
# real position is in InnoDB: `mariadbd --wsrep-recover` prints it, and starting with
# --wsrep-start-position lets the node catch up by IST from the others' gcache instead.
# Prints the position (uuid:seqno), or nothing when none can be recovered.
recovered_position() {
  local node=$1 log
  log="$(node_dir "$node")/wsrep-recover.log"
  node_args "$node" "gcomm://"
  # The later --log-error wins; --wsrep-recover runs crash recovery, prints, exits.
  timeout 120 "$MARIADBD" "${NODE_ARGS[@]}" --log-error="$log" --wsrep-recover </dev/null >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:[0-9-]*\).*/\1/p' "$log" 2>/dev/null | tail -n 1
}

check_ports_free() { # node
  local p
  for p in "$(client_port "$1")" "$(group_port "$1")" "$(ist_port "$1")" "$(sst_port "$1")"; do
    if port_in_use "$p"; then
      die "port $p (node $1) is taken by another process; choose other ports with GALERA_BASE_PORT=..."
    fi
  done
}

# Starts node n's mariadbd in the background (extra mariadbd arguments after the address) and
# records its pid.
launch_node() {
  local node=$1 address=$2 p
  shift 2
  check_ports_free "$node"
  mkdir -p "$(data_dir "$node")"
  node_args "$node" "$address"
  # setsid: the node and the SST helpers it spawns form one process group, so `kill` can take
  # them all down together, and a Ctrl-C in the caller's terminal does not reach the nodes.
  setsid "$MARIADBD" "${NODE_ARGS[@]}" "$@" </dev/null >>"$(log_file "$node")" 2>&1 &
  local pid=$! deadline=$((SECONDS + 10))
  echo "$pid" >"$(pid_file "$node")"
  # Until the forked shell has exec'd mariadbd, the pid's command line is not yet the node's.
  while [ -z "$(node_pid "$node")" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$node"; die "node $node did not start (log above)"
    fi
    sleep 0.1
  done
}

# Starts node n to join the others. A node that crashed gets its position recovered first, so
# that it can catch up by IST rather than a full SST.
launch_joiner() {
  local node=$1 position="" extra=()
  if grep -qs '^seqno: *-1' "$(data_dir "$node")/grastate.dat"; then
    position=$(recovered_position "$node")
    [ -z "$position" ] || { extra=(--wsrep-start-position="$position"); say "node $node recovered its position $position"; }
  fi
  launch_node "$node" "$(peers_address "$node")" "${extra[@]}"
}

# Bounded wait until node n is Synced (and, with a second argument, the cluster has that many
# members); on failure says why and shows the node's log.
wait_synced() {
  local node=$1 size=${2:-} deadline state members
  deadline=$((SECONDS + GALERA_WAIT_SECONDS))
  while :; do
    if [ -z "$(node_pid "$node")" ]; then
      log_tail "$node"
      die "node $node exited while starting (log above, full log $(log_file "$node"))"
    fi
    state=$(status_var "$node" wsrep_local_state_comment)
    members=$(status_var "$node" wsrep_cluster_size)
    if [ "$state" = Synced ] && { [ -z "$size" ] || [ "$members" = "$size" ]; }; then
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$node"
      die "node $node not Synced${size:+ in a cluster of $size} after ${GALERA_WAIT_SECONDS}s" \
        "(state '${state:-no answer}', cluster size '${members:-?}'); raise GALERA_WAIT_SECONDS or read $(log_file "$node")"
    fi
    sleep 1
  done
}

# Every node's mariadbd that this script started and that still runs.
running_nodes() {
  local node
  for node in "${NODES[@]}"; do
    [ -n "$(node_pid "$node")" ] && echo "$node"
  done
  return 0
}

# A fresh, empty state directory; refuses to wipe a directory this script did not create.
fresh_state_dir() {
  if [ -e "$CLUSTER_DIR" ] && [ ! -e "$CLUSTER_DIR/$MARKER" ] && [ -n "$(ls -A "$CLUSTER_DIR")" ]; then
    die "$CLUSTER_DIR exists, is not empty and was not made by this script; remove it or set CLUSTER_DIR"
  fi
  rm -rf "$CLUSTER_DIR"
  mkdir -p "$CLUSTER_DIR"
  touch "$CLUSTER_DIR/$MARKER"
}

# Node 1's initial system tables. root gets an empty password (the historical 'normal' method)
# so that tests connect over TCP as root; --skip-name-resolve makes that account root@127.0.0.1.
# Nodes 2 and 3 start with empty data directories: their first SST copies node 1's.
install_node1() {
  mkdir -p "$(node_dir 1)"
  mariadb-install-db --no-defaults --user=root --datadir="$(data_dir 1)" \
    --auth-root-authentication-method=normal --skip-name-resolve --skip-test-db \
    >"$(node_dir 1)/install-db.log" 2>&1 \
    || { tail -n 30 "$(node_dir 1)/install-db.log" >&2; die "mariadb-install-db failed (log $(node_dir 1)/install-db.log)"; }
}

# The node whose grastate.dat says it may bootstrap (the last to leave a cleanly stopped cluster).
safe_to_bootstrap_node() {
  local node
  for node in "${NODES[@]}"; do
    if grep -qs '^safe_to_bootstrap: *1' "$(data_dir "$node")/grastate.dat"; then
      echo "$node"; return 0
    fi
  done
  return 0
}

print_ports() {
  local node list=()
  for node in "${NODES[@]}"; do list+=("127.0.0.1:$(client_port "$node")"); done
  local IFS=,
  echo "CLUSTER_NODES=${list[*]}"
  for node in "${NODES[@]}"; do echo "CLUSTER_NODE_$node=127.0.0.1:$(client_port "$node")"; done
  echo "CLUSTER_DIR=$CLUSTER_DIR"
}

cmd_start() {
  local keep=false first node started
  case "${1:-}" in
    --keep) keep=true ;;
    "") ;;
    *) die "unknown option '$1' for start; expected: start [--keep]" ;;
  esac
  ensure_packages
  [ -z "$(running_nodes)" ] || die "nodes $(running_nodes | tr '\n' ' ')are already running in $CLUSTER_DIR; run 'cluster/galera.sh stop' first"
  # Before anything is wiped or started: a clash found half-way would leave a half-made cluster.
  for node in "${NODES[@]}"; do check_ports_free "$node"; done
  started=$SECONDS
  if $keep; then
    first=$(safe_to_bootstrap_node)
    [ -n "$first" ] || die "no node in $CLUSTER_DIR is marked safe_to_bootstrap (the cluster was not stopped with" \
      "'cluster/galera.sh stop', or never started); 'cluster/galera.sh start' without --keep starts a new, empty cluster"
  else
    fresh_state_dir
    install_node1
    first=1
  fi
  say "bootstrapping a new cluster from node $first"
  launch_node "$first" "gcomm://"
  wait_synced "$first"
  # One joiner at a time: a node serving as SST donor is desynced, and two joiners at once would
  # queue behind it anyway.
  for node in "${NODES[@]}"; do
    [ "$node" = "$first" ] && continue
    say "joining node $node"
    launch_joiner "$node"
    wait_synced "$node"
  done
  wait_synced "$first" ${#NODES[@]}
  say "cluster of ${#NODES[@]} Synced in $((SECONDS - started))s; client ports (user root, no password):"
  print_ports
}

# Stops one node with SIGTERM (mariadbd then leaves the cluster cleanly and writes its position);
# SIGKILL only after a bounded wait, and says so.
stop_node() {
  local node=$1 pid deadline
  pid=$(node_pid "$node")
  [ -n "$pid" ] || { rm -f "$(pid_file "$node")"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "node $node did not stop within 60s after SIGTERM; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  rm -f "$(pid_file "$node")"
  say "node $node stopped"
}

cmd_stop() {
  local node any=false
  # One after another, in reverse: the last node to leave is marked safe_to_bootstrap, which is
  # what `start --keep` bootstraps from.
  for node in 3 2 1; do
    if [ -n "$(node_pid "$node")" ]; then any=true; stop_node "$node"; fi
  done
  $any || say "no node running in $CLUSTER_DIR"
}

cmd_status() {
  local node pid all_synced=0 state size
  for node in "${NODES[@]}"; do
    pid=$(node_pid "$node")
    if [ -z "$pid" ]; then
      printf 'node %s  127.0.0.1:%s  down\n' "$node" "$(client_port "$node")"
      all_synced=1; continue
    fi
    state=$(status_var "$node" wsrep_local_state_comment)
    size=$(status_var "$node" wsrep_cluster_size)
    printf 'node %s  127.0.0.1:%s  up (pid %s)  state=%s  cluster_size=%s\n' \
      "$node" "$(client_port "$node")" "$pid" "${state:-no answer}" "${size:-?}"
    [ "$state" = Synced ] || all_synced=1
  done
  return "$all_synced"
}

cmd_kill() {
  check_node_number "${1:-}"
  local node=$1 pid deadline
  pid=$(node_pid "$node")
  [ -n "$pid" ] || die "node $node is not running"
  # The whole process group: an SST in progress leaves no helper behind.
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  rm -f "$(pid_file "$node")"
  say "node $node killed (SIGKILL, pid $pid)"
}

cmd_restart() {
  check_node_number "${1:-}"
  local node=$1 started others
  [ -e "$CLUSTER_DIR/$MARKER" ] || die "no cluster in $CLUSTER_DIR; run 'cluster/galera.sh start'"
  if [ -n "$(node_pid "$node")" ]; then
    say "node $node is already running"
  else
    others=$(running_nodes)
    # Never bootstrap here: a node started with an empty gcomm:// next to a running cluster would
    # found a second cluster of its own, split from the first.
    [ -n "$others" ] || die "no other node is running for node $node to join; 'cluster/galera.sh start --keep'" \
      "restarts a stopped cluster with its data"
    started=$SECONDS
    say "node $node rejoining nodes $(echo "$others" | tr '\n' ' ')"
    launch_joiner "$node"
  fi
  wait_synced "$node" $(( $(running_nodes | wc -l) ))
  say "node $node Synced${started:+ after $((SECONDS - started))s}"
}

cmd_env() { print_ports; }
cmd_ports() { print_ports; }
cmd_sql() { check_node_number "${1:-}"; local node=$1; shift; sql_on "$node" "$@"; }

. "$(dirname "$0")/commands.sh"
run_command 11 "$@"
