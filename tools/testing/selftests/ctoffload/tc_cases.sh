#!/bin/bash
# The tc conformance cases: every tc-cases/NAME.cmds is run against a fresh
# daemon (representors ens1f0, ens1f0_0, ens1f0_1, like the oracle's dummy
# devices) and its output must equal NAME.out, captured from Linux 6.1.
# Usage: tc_cases.sh [NAME...]
source "$(dirname "$0")/lib.sh"
dir="$TOP/tools/testing/selftests/ctoffload/tc-cases"
# action timers ("installed N sec") depend on how fast the oracle ran:
# both sides are blanked (see tc-cases/README.md)
norm_timers() {
	sed -E -e 's/(installed|used|firstused|expires) [0-9]+ sec/\1 N sec/g' \
		-e 's/"(installed|last_used|first_used|expires)":[0-9]+/"\1":0/g'
}
if [ $# -gt 0 ]; then cases=("$@"); else
	cases=(); for f in "$dir"/*.cmds; do cases+=("$(basename "$f" .cmds)"); done
fi

run_case() {
	local name=$1 d="tccase$$_$1"
	daemon_start "$d" --pf ens1f0 --vfs 2 --uplink null --vf-port null --hw-tc-offload off || return 1
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '' | '#'*) continue ;; esac
		echo "\$ $line"
		"$CTOFFLOAD" -n "$d" exec bash -c "$line" </dev/null 2>&1
		echo "[exit $?]"
	done <"$dir/$name.cmds" >"$CTOFFLOAD_RUNDIR/$name.got"
	daemon_stop "$d" || return 1
	diff -u <(norm_timers <"$dir/$name.out") <(norm_timers <"$CTOFFLOAD_RUNDIR/$name.got") \
		>"$CTOFFLOAD_RUNDIR/$name.diff"
}

ktap_plan ${#cases[@]}
for c in "${cases[@]}"; do
	if run_case "$c"; then
		ktap_ok "tc case $c matches Linux 6.1"
	else
		sed 's/^/# /' "$CTOFFLOAD_RUNDIR/$c.diff" | head -${DIFF_LINES:-30}
		ktap_not_ok "tc case $c matches Linux 6.1"
	fi
done
ktap_finish
