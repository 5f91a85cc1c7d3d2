#!/usr/bin/env bash
# A busy loop on every core, to run the suite (or anything) on a loaded machine, as CI's is.
#   bench/busy_load.sh start        start one busy loop a core; their process ids go to the pid file
#   bench/busy_load.sh stop         stop the loops the pid file names
#   bench/busy_load.sh run CMD...   start, run CMD, stop (also when CMD fails or is interrupted);
#                                   exits with CMD's status
# BUSY_PIDS names the pid file (default .busy_load.pids in the repository); BUSY_CORES the number of
# loops (default: the cores of this machine).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
pids="${BUSY_PIDS:-$here/.busy_load.pids}"
cores="${BUSY_CORES:-$(nproc)}"

start() {
  if [ -s "$pids" ]; then
    echo "busy loops already running (pids in $pids); stop them first" >&2
    exit 1
  fi
  : >"$pids"
  for _ in $(seq "$cores"); do
    # a shell loop of builtins only: it keeps one core busy and starts no other process
    bash -c 'while :; do :; done' &
    echo $! >>"$pids"
  done
  echo "busy loops on $cores cores: $(tr '\n' ' ' <"$pids")"
}

stop() {
  [ -f "$pids" ] || return 0
  while read -r pid; do
    kill "$pid" 2>/dev/null || true
  done <"$pids"
  rm -f "$pids"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD..." >&2; exit 2; }
    start
    trap stop EXIT INT TERM
    set +e
    "$@"
    status=$?
    set -e
    exit "$status"
    ;;
  *) echo "usage: $0 start | stop | run CMD..." >&2; exit 2 ;;
esac
