#!/usr/bin/env bash
# Runs a 3-process raftkv cluster on loopback: one `raftkv` process per node.
#
#   scripts/cluster.sh start    build raftkv, start nodes 1-3 (HTTP 12380/22380/32380, peers 12379/22379/32379)
#   scripts/cluster.sh status   which nodes run, and the membership and leader as node 1 (or 2, 3) sees it
#   scripts/cluster.sh stop     stop the nodes (SIGTERM, then SIGKILL after 5 s)
#
# Data, logs and pid files live in $RAFTKV_CLUSTER_DIR (default .raftkv-cluster); nodes restarted
# with `start` recover from it. Remove the directory to start over empty.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${RAFTKV_CLUSTER_DIR:-.raftkv-cluster}
cluster=http://127.0.0.1:12379,http://127.0.0.1:22379,http://127.0.0.1:32379

running() { [[ -f "$dir/node$1.pid" ]] && kill -0 "$(cat "$dir/node$1.pid")" 2>/dev/null; }

case "${1:-}" in
start)
  swift build --product raftkv >/dev/null
  bin="$(swift build --show-bin-path)/raftkv"
  mkdir -p "$dir"
  for id in 1 2 3; do
    if running $id; then echo "node $id already running (pid $(cat "$dir/node$id.pid"))"; continue; fi
    nohup "$bin" --id $id --cluster $cluster --port ${id}2380 --data-dir "$dir/node$id" \
      >>"$dir/node$id.log" 2>&1 </dev/null &
    echo $! >"$dir/node$id.pid"
    echo "node $id started (pid $!), HTTP http://127.0.0.1:${id}2380, log $dir/node$id.log"
  done
  echo "try: curl -L http://127.0.0.1:12380/my-key -X PUT -d hello && curl -L http://127.0.0.1:22380/my-key"
  ;;
stop)
  for id in 1 2 3; do
    if running $id; then
      pid=$(cat "$dir/node$id.pid")
      kill -TERM "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "node $id stopped"
    fi
    rm -f "$dir/node$id.pid"
  done
  ;;
status)
  for id in 1 2 3; do
    if running $id; then echo "node $id: running (pid $(cat "$dir/node$id.pid"))"; else echo "node $id: not running"; fi
  done
  for id in 1 2 3; do
    if running $id && out=$(curl -fsS --max-time 3 "http://127.0.0.1:${id}2380/members" 2>/dev/null); then
      echo "members, as node $id sees them:"
      echo "$out" | sed 's/^/  /'
      break
    fi
  done
  ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
