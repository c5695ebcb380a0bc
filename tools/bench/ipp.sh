#!/bin/bash
# Instructions per packet of the mirred path, exact and repeatable:
# callgrind counts two runs of ctbench --packets N1 and N2, and the
# difference over N2-N1 cancels set-up costs.  Usage: ipp.sh [FILTERS]
top=$(cd "$(dirname "$0")/../.." && pwd)
k=${1:-1}
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$top/build/ctbench" --packets "$1" --filters "$k" 2>&1 >/dev/null |
		sed -n 's/.*I *refs: *//p' | tr -d ,
}
a=$(count 100000)
b=$(count 300000)
echo "mirred path, $k filter(s): $(( (b - a) / 200000 )) instructions per packet"
