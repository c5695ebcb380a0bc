#!/bin/bash
# The conntrack conformance cases: every ct-cases/NAME.cmds is run against a
# fresh daemon (an empty conntrack table, as the oracle's fresh namespace)
# and its transcript, normalized by ct-cases/normalize.sh (ids, timeouts,
# dump order), must equal NAME.out, captured from Linux 6.1 by regen.sh.
# A `sysctl` in a case sets the daemon's tunables (ctoffload sysctl), as the
# real one sets the oracle kernel's.  Label names come from
# /etc/xtables/connlabel.conf, where conntrack looks for them: ours is
# installed for the run if there is none, and cases using labels are skipped
# if another one is there.
# Usage: ct_cases.sh [NAME...]
source "$(dirname "$0")/lib.sh"
dir="$TOP/tools/testing/selftests/ctoffload/ct-cases"
if [ $# -gt 0 ]; then cases=("$@"); else
	cases=(); for f in "$dir"/*.cmds; do cases+=("$(basename "$f" .cmds)"); done
fi
labels_conf=/etc/xtables/connlabel.conf
made_conf= made_dir=

cleanup() {
	[ -n "$made_conf" ] && rm -f "$labels_conf"
	[ -n "$made_dir" ] && rmdir /etc/xtables
	true
}
trap cleanup EXIT

# 0 if conntrack resolves label names as in the oracle
labels_ready() {
	if [ ! -e "$labels_conf" ]; then
		if [ ! -d /etc/xtables ]; then
			mkdir /etc/xtables 2>/dev/null || return 1
			made_dir=1
		fi
		cp "$dir/connlabel.conf" "$labels_conf" 2>/dev/null || return 1
		made_conf=1
	fi
	cmp -s "$dir/connlabel.conf" "$labels_conf"
}

run_case() {
	local name=$1 d="ctcase$$_$1" bin="$CTOFFLOAD_RUNDIR/ctcase-bin.$1"
	daemon_start "$d" --pf ens1f0 --vfs 2 --uplink null --vf-port null --hw-tc-offload off || return 1
	mkdir -p "$bin" "$CTOFFLOAD_RUNDIR/ctcase-tmp.$1"
	printf '#!/bin/sh\nexec "%s" -n "%s" sysctl "$@"\n' "$CTOFFLOAD" "$d" >"$bin/sysctl"
	chmod +x "$bin/sysctl"
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '' | '#'*) continue ;; esac
		echo "\$ $line"
		CTCASE_TMP="$CTOFFLOAD_RUNDIR/ctcase-tmp.$1" PATH="$bin:$PATH" \
			"$CTOFFLOAD" -n "$d" exec bash -c "$line" </dev/null 2>&1
		echo "[exit $?]"
	done <"$dir/$name.cmds" >"$CTOFFLOAD_RUNDIR/$name.raw"
	daemon_stop "$d" || return 1
	"$dir/normalize.sh" <"$CTOFFLOAD_RUNDIR/$name.raw" >"$CTOFFLOAD_RUNDIR/$name.got"
	diff -u "$dir/$name.out" "$CTOFFLOAD_RUNDIR/$name.got" >"$CTOFFLOAD_RUNDIR/$name.diff"
}

ktap_plan ${#cases[@]}
if ! command -v conntrack >/dev/null; then
	for c in "${cases[@]}"; do ktap_skip "conntrack case $c (no conntrack binary)"; done
	exit 0
fi
for c in "${cases[@]}"; do
	if grep -q -- '--label\|-l ' "$dir/$c.cmds" && ! labels_ready; then
		ktap_skip "conntrack case $c matches Linux 6.1 ($labels_conf is not ours)"
	elif run_case "$c"; then
		ktap_ok "conntrack case $c matches Linux 6.1"
	else
		sed 's/^/# /' "$CTOFFLOAD_RUNDIR/$c.diff" | head -${DIFF_LINES:-30}
		ktap_not_ok "conntrack case $c matches Linux 6.1"
	fi
done
ktap_finish
