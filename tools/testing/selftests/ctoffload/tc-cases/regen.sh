#!/bin/bash
# regen.sh [NAME...]: regenerate NAME.out (default: every *.cmds here) from the real Linux 6.1 kernel, all cases in
# one boot of the kernel oracle (/work/shared/tools/linux-oracle -B), each case in fresh namespaces (own devices,
# tc actions). The outputs are stored as printed (two runs gave identical bytes; see README.md).
#   ORACLE=/path/to/linux-oracle  (default /work/shared/tools/linux-oracle)
#   NORMALIZE=/path/to/filter  pipe each output through it, e.g. /work/shared/tools/kernel-oracle/normalize.sh
#                              (blanks the tc action timers "installed/used N sec"); default: none
#   OUTDIR=dir  write the .out files there instead of next to the .cmds (e.g. to compare two runs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-/work/shared/tools/linux-oracle}
normalize=${NORMALIZE:-cat}
dest=${OUTDIR:-$here}
cd "$here"
if [ $# -gt 0 ]; then names=("$@"); else names=(); for f in *.cmds; do names+=("${f%.cmds}"); done; fi
t=$(mktemp -d /tmp/tc-cases-regen.XXXXXX)
trap 'rm -rf "$t"' EXIT
# the case files go into the guest's work dir as tc-cases/; one tiny wrapper script per case (batch mode runs
# scripts, named after the case so the batch output is NAME.out)
mkdir -p "$t/in/tc-cases" "$t/wrap" "$t/out"
cp oracle-run.sh "$t/in/tc-cases/"
scripts=()
for n in "${names[@]}"; do
	n=${n%.cmds}
	[ -f "$n.cmds" ] || { echo "regen: no $n.cmds" >&2; exit 2; }
	cp "$n.cmds" "$t/in/tc-cases/"
	printf 'exec bash ./tc-cases/oracle-run.sh ./tc-cases/%q\n' "$n.cmds" > "$t/wrap/$n"
	scripts+=("$t/wrap/$n")
done
"$oracle" -B "$t/out" -f "$t/in/tc-cases" "${scripts[@]}"
mkdir -p "$dest"
fail=0
for n in "${names[@]}"; do
	n=${n%.cmds}
	rc=$(cat "$t/out/$n.rc" 2>/dev/null || echo missing)
	if [ "$rc" != 0 ]; then echo "regen: $n: runner exit $rc" >&2; fail=1; fi
	"$normalize" < "$t/out/$n.out" > "$dest/$n.out"
done
exit $fail
