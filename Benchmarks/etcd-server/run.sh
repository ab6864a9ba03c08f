#!/usr/bin/env bash
# raftkv next to etcd itself, under the same load generator (`raftkv bench --endpoints`).
#
#   Benchmarks/etcd-server/run.sh [--seconds 10] [--warmup 2] [--rounds 3] [--clients "1 8 64"] [--reads "0 50"]
#   Benchmarks/etcd-server/run.sh --smoke        # 3 s per run, one round: a quick check that it all works
#   Benchmarks/etcd-server/run.sh --fill 200     # memory instead: 64 clients write a new key each time
#                                                 # for 200 s (about a million keys), then peak and current RSS
#   (environment: SYSTEMS="raftkv" to fill only one; KEEP=1 to keep data directories and logs)
#
# For every load (clients x share of reads) and round, it starts a fresh 3-member etcd (Debian's
# etcd-server 3.4, --enable-v2, installed with apt-get if missing) and a fresh 3-process raftkv
# (release build), each on free loopback ports with data in a new temporary directory, runs the
# load on one, stops it, then the other (which one goes first alternates), and prints one table:
# acknowledged writes/s, write latency p50/p99, linearizable-read p50/p99 when there are reads,
# the ratio raftkv/etcd, and the servers' CPU per request. Writes: 128-byte values to 10,000 keys
# (etcd: PUT /v2/keys/<k>?value=..., raftkv: PUT /<k>); reads: GET ?quorum=true on etcd, the
# default (ReadIndex) GET on raftkv. Clients are spread evenly over the three members (followers
# forward to the leader on both). Both fsync their logs (etcd always does; raftkv cannot turn it off).
# After the table: peak RSS (VmHWM) of each server process under the largest load.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=10 warmup=2 rounds=3 clients="1 8 64" reads="0 50" fill=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --reads) reads=$2; shift 2 ;;
    --smoke) seconds=3 warmup=1 rounds=1; shift ;;
    --fill) fill=$2; shift 2 ;;
    *) sed -n '2,19p' "$0" >&2; exit 2 ;;
  esac
done

if ! command -v etcd >/dev/null; then
  echo "installing etcd-server (Debian's etcd 3.4) with apt-get" >&2
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get install -y --no-install-recommends etcd-server >&2
fi
swift build -c release --product raftkv >&2
raftkv="$(swift build -c release --show-bin-path)/raftkv"

tmp=$(mktemp -d /tmp/etcd-vs-raftkv.XXXXXX)
pids=()
stop_servers() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pids=()
}
# KEEP=1 keeps the data directories and server logs (the path is printed at the end).
trap 'stop_servers; if [[ -n ${KEEP:-} ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi' EXIT

taken=" "
# In every run both take a snapshot every 100,000 entries: etcd's default (raftkv's own default
# is 10,000, which would make it snapshot ten times as often as the etcd it is measured against).
raftkv_extra=(--snapshot-count 100000)
# A loopback port nobody listens on (and not handed out before in this run), below the
# kernel's ephemeral range: a port some outgoing connection holds as its local end looks free to
# the probe below, but binding it fails (it did, and killed a run).
free_port() {
  local p low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while true; do
    p=$((10000 + RANDOM % (low - 10000)))
    [[ $taken == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then taken+="$p "; echo "$p"; return; fi
  done
}

# Starts a cluster of system $1 in directory $2; sets pids and endpoints. A member that exits at
# once (a port taken between the check and the bind) makes it start over on other ports.
start_servers() {
  local attempt p dead
  for attempt in 1 2 3; do
    launch_servers "$@"
    sleep 0.5
    dead=""
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || dead=$p; done
    [[ -z $dead ]] && return 0
    echo "$1: a member exited at start (attempt $attempt); its log:" >&2
    tail -n 3 "$2"/*.log >&2 || true
    stop_servers
    rm -rf "$2"
  done
  echo "$1: could not start a cluster" >&2
  exit 1
}

launch_servers() {
  local sys=$1 dir=$2 peer=() client=() i
  mkdir -p "$dir"
  for i in 1 2 3; do peer+=("$(free_port)"); client+=("$(free_port)"); done
  endpoints="http://127.0.0.1:${client[0]},http://127.0.0.1:${client[1]},http://127.0.0.1:${client[2]}"
  if [[ $sys == etcd ]]; then
    local initial="m1=http://127.0.0.1:${peer[0]},m2=http://127.0.0.1:${peer[1]},m3=http://127.0.0.1:${peer[2]}"
    for i in 1 2 3; do
      etcd --name "m$i" --data-dir "$dir/m$i" --enable-v2 \
        --listen-peer-urls "http://127.0.0.1:${peer[i-1]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer[i-1]}" \
        --listen-client-urls "http://127.0.0.1:${client[i-1]}" --advertise-client-urls "http://127.0.0.1:${client[i-1]}" \
        --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token bench \
        >"$dir/m$i.log" 2>&1 &
      pids+=($!)
    done
  else
    local cluster="http://127.0.0.1:${peer[0]},http://127.0.0.1:${peer[1]},http://127.0.0.1:${peer[2]}"
    for i in 1 2 3; do
      "$raftkv" --id "$i" --cluster "$cluster" --port "${client[i-1]}" --data-dir "$dir/node$i" "${raftkv_extra[@]}" \
        >"$dir/node$i.log" 2>&1 &
      pids+=($!)
    done
  fi
}

# (A member that died counts 0 and shows as "-": the run is then reported, not hidden.)
cpu_ticks() { local t=0 p; for p in "${pids[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
hwm() { local out="" p; for p in "${pids[@]}"; do out+="$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$p/status" 2>/dev/null || echo -)/"; done; echo "${out%/}"; }

if ((fill > 0)); then
  for sys in ${SYSTEMS:-etcd raftkv}; do
    start_servers "$sys" "$tmp/$sys-fill"
    out=$("$raftkv" bench --endpoints "$endpoints" --api "$sys" --clients 64 --distinct 1 \
            --seconds "$fill" --warmup 0 | grep -v '^bench-result')
    echo "$sys: $out"
    for p in "${pids[@]}"; do
      echo "  pid $p: $(awk '/VmHWM|VmRSS/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$p/status")"
    done
    stop_servers
  done
  exit 0
fi

results="$tmp/results"
: >"$results"
hz=$(getconf CLK_TCK)
n=0
for round in $(seq "$rounds"); do
  for r in $reads; do
    for c in $clients; do
      n=$((n + 1))
      if ((n % 2)); then order="etcd raftkv"; else order="raftkv etcd"; fi
      for sys in $order; do
        start_servers "$sys" "$tmp/$sys-$n"
        before=$(cpu_ticks)
        out=$("$raftkv" bench --endpoints "$endpoints" --api "$sys" --clients "$c" --reads "$r" \
                --seconds "$seconds" --warmup "$warmup" | tee -a "$tmp/bench.log" | grep '^bench-result' || true)
        after=$(cpu_ticks)
        mem=$(hwm)
        stop_servers
        if [[ -z $out ]]; then echo "round $round, $sys, $c clients, $r% reads: no result (logs in $tmp/$sys-$n)" >&2; trap - EXIT; exit 1; fi
        # key=value pairs -> values in a fixed order
        eval "$(echo "${out#bench-result }" | tr ' ' '\n' | sed 's/^/local_/')"
        ops=$(awk -v w="$local_writes_per_s" -v r="$local_reads_per_s" 'BEGIN {print w + r}')
        # server CPU (all three processes, warm-up included) per request served
        cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v ops="$ops" -v s="$seconds" -v w="$warmup" \
                'BEGIN {printf "%.0f", (ops > 0 ? t / hz * 1e6 / (ops * (s + w)) : 0)}')
        echo "$sys $r $c $round $local_writes_per_s $local_write_p50_ms $local_write_p99_ms $local_reads_per_s $local_read_p50_ms $local_read_p99_ms $local_errors $cpu $mem" >>"$results"
        echo "round $round: $sys, $c clients, $r% reads: $local_writes_per_s writes/s, $local_reads_per_s reads/s, write p50/p99 $local_write_p50_ms/$local_write_p99_ms ms, errors $local_errors, cpu $cpu us/request, VmHWM $mem MiB" >&2
      done
    done
  done
done

echo
echo "etcd $(etcd --version | awk '/etcd Version/ {print $3}') (v2 API) and raftkv, 3 members each on loopback, fsync on; ${seconds} s per run after ${warmup} s of warm-up, $rounds round(s)."
echo "writes/s: best (median) over rounds; latencies and CPU: median; ratio: raftkv / etcd, best (median)."
echo
awk -v rounds="$rounds" '
function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function best(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function stat(sys, r, c, f, kind,   i, n, a) {
  n = 0; for (i = 1; i <= rounds; i++) if ((sys, r, c, i) in row) { split(row[sys, r, c, i], v, " "); a[++n] = v[f] }
  if (n == 0) return 0
  return kind == "best" ? best(a, n) : median(a, n)
}
{ row[$1, $2, $3, $4] = $0; if (!($2 in seenr)) { seenr[$2]; rs[++nr] = $2 } if (!($3 in seenc)) { seenc[$3]; cs[++nc] = $3 } }
END {
  print "| reads | clients | etcd writes/s | etcd write p50/p99 ms | etcd read p50/p99 ms | raftkv writes/s | raftkv write p50/p99 ms | raftkv read p50/p99 ms | raftkv/etcd writes/s | CPU µs/request etcd, raftkv |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= nr; i++) for (j = 1; j <= nc; j++) {
    r = rs[i]; c = cs[j]; line = "| " r "% | " c
    for (s = 1; s <= 2; s++) {
      sys = s == 1 ? "etcd" : "raftkv"
      line = line sprintf(" | %d (%d) | %.2f/%.2f | %s", stat(sys, r, c, 5, "best"), stat(sys, r, c, 5, "median"),
                          stat(sys, r, c, 6, "median"), stat(sys, r, c, 7, "median"),
                          r > 0 ? sprintf("%.2f/%.2f", stat(sys, r, c, 9, "median"), stat(sys, r, c, 10, "median")) : "-")
    }
    eb = stat("etcd", r, c, 5, "best"); em = stat("etcd", r, c, 5, "median")
    line = line sprintf(" | **%.2f×** (%.2f×) | %d, %d |", eb > 0 ? stat("raftkv", r, c, 5, "best") / eb : 0,
                        em > 0 ? stat("raftkv", r, c, 5, "median") / em : 0, stat("etcd", r, c, 12, "median"), stat("raftkv", r, c, 12, "median"))
    print line
  }
}' "$results"

maxc=$(echo $clients | tr ' ' '\n' | sort -n | tail -1)
echo
echo "Peak RSS (VmHWM, MiB, member 1/2/3) after the ${maxc}-client runs:"
awk -v c="$maxc" '$3 == c { printf "  %-6s %2s%% reads, round %s: %s\n", $1, $2, $4, $13 }' "$results"
