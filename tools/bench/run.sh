#!/bin/bash
# make bench: the benchmark suite.  mirred rows (1, 100, 10 000 filters),
# then slowpath (flowtables off) and fastpath (flowtables on) at 1, 10 000
# and 1 000 000 connections, side by side; then the 1M pair once more with
# the hash tables sized for 1M connections up front (--buckets 2097152),
# which shows what the tables' background resize costs.  Each run ends
# with "offload_events" rows (the offload queue's add and destroy drain
# rates, 100 000 connections, then 1 000 000 with the pre-sized tables).
# About 2.5 minutes.
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "# commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$top/build/ctbench" --seconds "${BENCH_SECONDS:-2}" --filters "${BENCH_FILTERS:-1,100,10000}" \
	--conns "${BENCH_CONNS:-1,10000,1000000}" "$@" || exit
if [ -z "${BENCH_CONNS:-}" ]; then
	echo
	echo "# 1M connections, conntrack and flowtable hash tables pre-sized (--buckets 2097152)"
	"$top/build/ctbench" --seconds "${BENCH_SECONDS:-2}" --filters 0 --conns 1000000 \
		--buckets 2097152 --offload-conns 1000000 "$@"
fi
