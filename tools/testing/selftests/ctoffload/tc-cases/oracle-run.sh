#!/bin/bash
# oracle-run.sh NAME.cmds
# Runs the tc commands of NAME.cmds (one per line; empty lines and lines starting with '#' are skipped) and prints,
# for each command, a header "$ <command>", its combined stdout+stderr and "[exit N]" with its exit code.
# First creates the devices the ctoffload daemon has (uplink ens1f0, VF representors ens1f0_0/ens1f0_1) as dummy
# devices, up. Meant to run as root in a fresh network namespace inside the kernel oracle (see regen.sh); the
# daemon-side runner must produce the same format so that the two outputs can be diffed.
set -u
[ $# = 1 ] && [ -f "$1" ] || { echo "usage: $0 NAME.cmds" >&2; exit 2; }
for d in ens1f0 ens1f0_0 ens1f0_1; do
	{ ip link add "$d" type dummy && ip link set "$d" up; } || echo "oracle-run: could not create $d" >&2
done
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	echo "\$ $line"
	bash -c "$line" </dev/null 2>&1
	echo "[exit $?]"
done < "$1"
