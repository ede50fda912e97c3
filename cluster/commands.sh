# Sourced by galera.sh and fleet.sh: how a script of subcommands runs one.
#
#   run_command <last line of the usage comment> "$@"
#
# Each command is the function cmd_<command> of the script; anything else prints the usage, the
# script's comment from line 2 to the given line, and exits 2.
run_command() {
  local usage_end=$1 command=${2:-}
  shift $(($# < 2 ? $# : 2))
  if [[ $command =~ ^[a-z]+$ ]] && declare -F "cmd_$command" >/dev/null; then
    "cmd_$command" "$@"
  else
    sed -n "2,${usage_end}p" "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
  fi
}
