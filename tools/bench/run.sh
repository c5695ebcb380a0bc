#!/bin/bash
# make bench: the benchmark suite, one table per part.
#  1. ctbench: mirred rows (1, 100, 10 000 filters), then slowpath
#     (flowtables off), fastpath (flowtables on) and offload (the eswitch
#     model) at 1, 10 000 and 1 000 000 connections, each on 1 and 2
#     datapath threads, side by side with their ratios; 100 000 TCP
#     handshakes through the offloaded path into the model; the offload
#     queue's drain rate (100 000 connections).
#  2. The 1M rows again with the hash tables sized for 1M connections up
#     front (--buckets 2097152), which shows what the tables' background
#     resize costs, and the drain rate at 1M.
#  3. tools/bench/iperf.sh: iperf3 TCP and a 64-byte UDP flood between two
#     namespaces through the switch (offloaded, software) and through a
#     kernel veth pair with nftables conntrack (root only).
# BENCH_SECONDS, BENCH_FILTERS, BENCH_CONNS, BENCH_CORES override the
# sizes; extra arguments go to ctbench (e.g. --json).  About 4 minutes.
top=$(cd "$(dirname "$0")/../.." && pwd)
cores=${BENCH_CORES:-1,2}
echo "# commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null)," \
	"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
"$top/build/ctbench" --seconds "${BENCH_SECONDS:-2}" --filters "${BENCH_FILTERS:-1,100,10000}" \
	--conns "${BENCH_CONNS:-1,10000,1000000}" --cores "$cores" "$@" || exit
if [ -z "${BENCH_CONNS:-}" ]; then
	echo
	echo "# 1M connections, conntrack and flowtable hash tables pre-sized (--buckets 2097152)"
	"$top/build/ctbench" --seconds "${BENCH_SECONDS:-2}" --filters 0 --conns 1000000 \
		--buckets 2097152 --offload-conns 1000000 --setup-conns 0 --cores "$cores" "$@" || exit
fi
echo
json=
for a in "$@"; do [ "$a" = --json ] && json=--json; done
BENCH_CORES=${cores##*,} "$top/tools/bench/iperf.sh" $json
