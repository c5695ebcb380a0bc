#!/bin/bash
# oracle-run.sh NAME.cmds
# Runs the conntrack commands of NAME.cmds (one per line; empty lines and lines starting with '#' are skipped) and
# prints, for each, a header "$ <command>", its combined stdout+stderr and "[exit N]" with its exit code.
# First installs connlabel.conf (next to this script) as /etc/xtables/connlabel.conf, so that label names resolve,
# and exports CTCASE_TMP, a scratch directory the commands may use (e.g. for a background `conntrack -E`).
# Meant to run as root in a fresh network namespace (an empty conntrack table) inside the kernel oracle (see
# regen.sh); ct_cases.sh is the daemon-side runner, with the same output format.
set -u
[ $# = 1 ] && [ -f "$1" ] || { echo "usage: $0 NAME.cmds" >&2; exit 2; }
mkdir -p /etc/xtables && cp "$(dirname "$0")/connlabel.conf" /etc/xtables/connlabel.conf
CTCASE_TMP=$(mktemp -d) && export CTCASE_TMP
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	echo "\$ $line"
	bash -c "$line" </dev/null 2>&1
	echo "[exit $?]"
done < "$1"
