#!/usr/bin/env bash
# Builds and runs the Go counterpart of raft-bench against etcd's raft (v3.4, from Debian's
# golang-etcd-server-dev, which needs no network beyond Debian's mirror). Arguments go to the
# program: -w1 N -w2 N -w3 N.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/raft ]; then
  apt-get install -y -q golang-go golang-etcd-server-dev >/dev/null
fi
out=$(mktemp -d)
GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= go build -o "$out/etcd-raft-bench" .
"$out/etcd-raft-bench" "$@"
