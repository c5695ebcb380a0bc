#!/bin/bash
# make check: unit tests (cmocka) and selftests (KTAP) for each build dir
# given (e.g. build and build/asan), the TSan tests of build/tsan (make
# tsan) when they are built; prints one closing line
# "N passed, N failed" counting every test case.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
passed=0
failed=0

count_ktap() {	# count_ktap LOGFILE
	local p f
	p=$(grep -cE '^ok [0-9]+' "$1")
	f=$(grep -cE '^not ok [0-9]+' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
}

# run_counted CMD...: run a TAP-printing test, count its results; a
# non-zero exit without any "not ok" line counts as one failure
run_counted() {
	local log rc
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	count_ktap "$log"
	if [ $rc -ne 0 ] && ! grep -qE '^not ok' "$log"; then
		echo "not ok - $* exited with $rc"
		failed=$((failed + 1))
	fi
	rm -f "$log"
}

for b in "$@"; do
	echo "### unit tests ($b)"
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		run_counted env CTO_NLSHIM_SO="$top/$b/libctoffload-nlshim.so" \
			CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
done

# the concurrency tests under ThreadSanitizer (make tsan), each once
if [ -d build/tsan/tests ]; then
	echo "### unit tests (build/tsan, ThreadSanitizer)"
	for t in build/tsan/tests/test_*; do
		[ -x "$t" ] || continue
		run_counted env TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$top/tools/testing/tsan.supp" \
			CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
fi

# selftests run against the last build given (the sanitizer build under make check)
b=${!#}
for s in tools/testing/selftests/ctoffload/tc_cases.sh tools/testing/selftests/ctoffload/tc_scale.sh \
	 tools/testing/selftests/ctoffload/tc_monitor.sh tools/testing/selftests/ctoffload/ct_cases.sh \
	 tools/testing/selftests/ctoffload/switch_traffic.sh \
	 tools/testing/selftests/ctoffload/underlay.sh \
	 tools/testing/selftests/ctoffload/ct_traffic.sh \
	 tools/testing/selftests/ctoffload/vxlan_links.sh \
	 tools/testing/selftests/ctoffload/ct_offload.sh \
	 tools/testing/selftests/ctoffload/vxlan_offload.sh \
	 tools/testing/selftests/ctoffload/trace.sh \
	 tools/testing/selftests/ctoffload/explain.sh \
	 tools/testing/selftests/ctoffload/bench_tiny.sh; do
	echo "### $s (BUILD=$b)"
	run_counted env BUILD="$b" "$s"
done
# every fuzz target replays its seed corpus once (crashers found stay fixed)
echo "### fuzz corpora"
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f"); corpus=tools/testing/fuzz/corpus/${name#fuzz_}
	[ -d "$corpus" ] || continue
	if "$f" -runs=0 "$corpus" >"/tmp/$name.$$.log" 2>&1; then
		echo "ok - $name replays $(ls "$corpus" | wc -l) inputs"
		passed=$((passed + 1))
	else
		tail -30 "/tmp/$name.$$.log"
		echo "not ok - $name replays its corpus"
		failed=$((failed + 1))
	fi
	rm -f "/tmp/$name.$$.log"
done

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
