#!/bin/bash
# make bench: the benchmark suite (software mirred path for now).
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "# commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(nproc) cores"
"$top/build/ctbench" --seconds "${BENCH_SECONDS:-2}" --filters "${BENCH_FILTERS:-1,100,10000}" "$@"
