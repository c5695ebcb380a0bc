#!/bin/bash
# regen.sh [NAME...]: regenerate NAME.out (default: every *.cmds here) from the real Linux 6.1 kernel, all cases in
# one boot of the kernel oracle (/work/shared/tools/linux-oracle -B), each case in fresh namespaces (so an empty
# conntrack table), through oracle-run.sh.  Outputs are stored normalized (normalize.sh: ids, ports, timeouts,
# hash order), since the kernel's ids are random and its timeouts count down while the case runs.
#   ORACLE=/path/to/linux-oracle  (default /work/shared/tools/linux-oracle)
#   NORMALIZE=cat                 store the raw transcripts instead (to look at them)
#   OUTDIR=dir                    write the .out files there instead of next to the .cmds
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-/work/shared/tools/linux-oracle}
normalize=${NORMALIZE:-$here/normalize.sh}
dest=${OUTDIR:-$here}
cd "$here"
if [ $# -gt 0 ]; then names=("$@"); else names=(); for f in *.cmds; do names+=("${f%.cmds}"); done; fi
t=$(mktemp -d /tmp/ct-cases-regen.XXXXXX)
trap 'rm -rf "$t"' EXIT
# the guest gets the runner, the label names and the cases in its work dir as ct-cases/; batch mode runs one
# wrapper script per case, named after it so that its transcript comes back as NAME.out
mkdir -p "$t/in/ct-cases" "$t/wrap" "$t/out"
cp oracle-run.sh connlabel.conf "$t/in/ct-cases/"
scripts=()
for n in "${names[@]}"; do
	n=${n%.cmds}
	[ -f "$n.cmds" ] || { echo "regen: no $n.cmds" >&2; exit 2; }
	cp "$n.cmds" "$t/in/ct-cases/"
	printf 'exec bash ./ct-cases/oracle-run.sh ./ct-cases/%q\n' "$n.cmds" > "$t/wrap/$n"
	scripts+=("$t/wrap/$n")
done
"$oracle" -B "$t/out" -f "$t/in/ct-cases" "${scripts[@]}"
mkdir -p "$dest"
fail=0
for n in "${names[@]}"; do
	n=${n%.cmds}
	rc=$(cat "$t/out/$n.rc" 2>/dev/null || echo missing)
	if [ "$rc" != 0 ]; then echo "regen: $n: runner exit $rc" >&2; fail=1; fi
	"$normalize" < "$t/out/$n.out" > "$dest/$n.out"
done
exit $fail
