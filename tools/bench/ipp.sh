#!/bin/bash
# Instructions per packet, exact and repeatable: callgrind counts two runs
# of ctbench --packets N1 and N2, and the difference over N2-N1 cancels
# set-up costs (including opening the connections).
# Usage: ipp.sh [mirred [FILTERS] | slowpath|fastpath|offload [CONNS]]
top=$(cd "$(dirname "$0")/../.." && pwd)
path=${1:-mirred}
case $path in
mirred) n=${2:-1}; args=(--filters "$n" --conns 0 --offload-conns 0 --setup-conns 0) ;;
slowpath|fastpath|offload) n=${2:-1}; args=(--filters 0 --conns "$n" --only "$path" --offload-conns 0 --setup-conns 0) ;;
*) echo "usage: ipp.sh [mirred [FILTERS] | slowpath|fastpath|offload [CONNS]]" >&2; exit 2 ;;
esac
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$top/build/ctbench" --packets "$1" "${args[@]}" 2>&1 >/dev/null |
		sed -n 's/.*I *refs: *//p' | tr -d ,
}
a=$(count 100000)
b=$(count 300000)
echo "$path path, $n: $(( (b - a) / 200000 )) instructions per packet"
