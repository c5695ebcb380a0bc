#!/bin/bash
# make fuzz: run each libFuzzer target for SECONDS on a scratch copy of its corpus.
secs=$1; shift
top=$(cd "$(dirname "$0")/../../.." && pwd)
rc=0
for t in "$@"; do
	name=$(basename "$t"); name=${name#fuzz_}
	work=$(mktemp -d)
	[ -d "$top/tools/testing/fuzz/corpus/$name" ] && cp -r "$top/tools/testing/fuzz/corpus/$name/." "$work/"
	"$t" -max_total_time="$secs" "$work" || rc=1
	rm -rf "$work"
done
exit $rc
