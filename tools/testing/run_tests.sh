#!/bin/bash
# make check: unit tests (cmocka) and selftests (KTAP) for each build dir
# given (e.g. build and build/asan); prints one closing line
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

for b in "$@"; do
	echo "### unit tests ($b)"
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		log=$(mktemp)
		CTO_NLSHIM_SO="$top/$b/libctoffload-nlshim.so" CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		count_ktap "$log"
		if [ $rc -ne 0 ] && ! grep -qE '^not ok' "$log"; then
			echo "not ok - $t exited with $rc"
			failed=$((failed + 1))
		fi
		rm -f "$log"
	done
done

# selftests run against the last build given (the sanitizer build under make check)
b=${!#}
for s in tools/testing/selftests/ctoffload/tc_cases.sh tools/testing/selftests/ctoffload/switch_traffic.sh; do
	echo "### $s (BUILD=$b)"
	log=$(mktemp)
	BUILD=$b "$s" >"$log" 2>&1
	rc=$?
	cat "$log"
	count_ktap "$log"
	if [ $rc -ne 0 ] && ! grep -qE '^not ok' "$log"; then
		echo "not ok - $s exited with $rc"
		failed=$((failed + 1))
	fi
	rm -f "$log"
done
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
