# shellcheck shell=bash
# Helpers for the ctoffload selftests: KTAP output, daemons, namespaces.
# BUILD (default: build) selects the binaries, e.g. build/asan.

: "${BUILD:=build}"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
CTOFFLOADD="$TOP/$BUILD/ctoffloadd"
# the client and shim are always the plain build: the sanitizer runtime
# cannot be preloaded into uninstrumented clients (tc, ip)
CTOFFLOAD="$TOP/build/ctoffload"
export CTOFFLOAD_RUNDIR="${CTOFFLOAD_RUNDIR:-/tmp/ctoffload-test.$$}"
mkdir -p "$CTOFFLOAD_RUNDIR"

ktap_n=0
ktap_fail=0
ktap_plan() { echo "TAP version 13"; echo "1..$1"; }
ktap_ok() { ktap_n=$((ktap_n + 1)); echo "ok $ktap_n $*"; }
ktap_not_ok() { ktap_n=$((ktap_n + 1)); ktap_fail=$((ktap_fail + 1)); echo "not ok $ktap_n $*"; }
ktap_skip() { ktap_n=$((ktap_n + 1)); echo "ok $ktap_n $* # SKIP"; }
# ktap_plan_root N: the plan of a test that needs root (namespaces, TAPs);
# without root all N are skipped and the script ends here
ktap_plan_root() {
	ktap_plan "$1"
	[ "$(id -u)" = 0 ] && return
	for _ in $(seq "$1"); do ktap_skip "needs root"; done
	exit 0
}
# check NAME CMD...: ok if CMD succeeds (its output goes to the test's log)
check() {
	local name=$1; shift
	if "$@" >>"$CTOFFLOAD_RUNDIR/check.log" 2>&1; then
		ktap_ok "$name"
	else
		ktap_not_ok "$name"
		tail -n 5 "$CTOFFLOAD_RUNDIR/check.log" | sed 's/^/# /'
	fi
}
ktap_finish() {
	echo "# $((ktap_n - ktap_fail)) passed, $ktap_fail failed"
	[ "$ktap_fail" = 0 ]
}

# daemon_start NAME ARGS...: start ctoffloadd -n NAME and wait for its socket
daemon_start() {
	local name=$1; shift
	rm -f "$CTOFFLOAD_RUNDIR/$name.sock"
	"$CTOFFLOADD" -n "$name" "$@" >"$CTOFFLOAD_RUNDIR/$name.log" 2>&1 &
	echo $! >"$CTOFFLOAD_RUNDIR/$name.pid"
	for _ in $(seq 100); do
		[ -S "$CTOFFLOAD_RUNDIR/$name.sock" ] && return 0
		kill -0 "$(cat "$CTOFFLOAD_RUNDIR/$name.pid")" 2>/dev/null || break
		sleep 0.05
	done
	echo "# ctoffloadd $name did not start:" >&2
	sed 's/^/# /' "$CTOFFLOAD_RUNDIR/$name.log" >&2
	return 1
}

# daemon_stop NAME: stop it; fails if it crashed or a sanitizer complained
daemon_stop() {
	local name=$1 pid rc=0
	pid=$(cat "$CTOFFLOAD_RUNDIR/$name.pid" 2>/dev/null) || return 0
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "# ctoffloadd $name died before the end of the test" >&2
		rc=1
	fi
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	local status=$?
	[ $rc = 0 ] && [ $status -ne 0 ] && [ $status -ne 143 ] && rc=1
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$CTOFFLOAD_RUNDIR/$name.log"; then
		echo "# sanitizer report from ctoffloadd $name:" >&2
		sed 's/^/# /' "$CTOFFLOAD_RUNDIR/$name.log" | head -40 >&2
		rc=1
	fi
	rm -f "$CTOFFLOAD_RUNDIR/$name.pid"
	return $rc
}

# cto NAME CMD...: run CMD against daemon NAME
cto() { local name=$1; shift; "$CTOFFLOAD" -n "$name" exec "$@"; }
