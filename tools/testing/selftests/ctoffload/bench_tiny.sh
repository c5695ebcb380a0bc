#!/bin/bash
# make check runs the benchmark once at tiny sizes so that it cannot rot:
# every path at 1 and 100 connections on 1 and 2 datapath threads, 100
# TCP handshakes through the offloaded path, and the offload queue's drain.  No time is asserted; what is checked is that
# every row is there with its fields, that the offload rows' packets never
# reached software, and that traffic moved on both threads.
source "$(dirname "$0")/lib.sh"

ktap_plan 6
out=$(mktemp)
trap 'rm -f "$out"' EXIT
CTOFFLOAD="$CTOFFLOAD" "$TOP/$BUILD/ctbench" --json --seconds 0.05 --filters 1 --conns 1,100 --cores 1,2 \
	--offload-conns 100 --setup-conns 100 >"$out" 2>&1
rc=$?
check "ctbench exits 0 (got $rc)" [ "$rc" = 0 ]
check "every row has path, conns, cores, mpps and ns_per_pkt" python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
need = ("path", "conns", "cores", "mpps", "ns_per_pkt")
sys.exit(0 if rows and all(all(k in r for k in need) for r in rows if r["path"] not in ("ratio", "ratio_cores")) else 1)
PY
check "mirred, slowpath, fastpath and offload rows at 1 and 2 cores" python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
have = {(r["path"], r["conns"], r["cores"]) for r in rows}
want = {("mirred", 1, c) for c in (1, 2)} | \
       {(p, n, c) for p in ("slowpath", "fastpath", "offload") for n in (1, 100) for c in (1, 2)}
missing = want - have
print("# missing:", sorted(missing)) if missing else None
sys.exit(1 if missing else 0)
PY
check "software saw none of the offload rows' packets" python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
r = [x for x in rows if x["path"] == "ratio"]
sys.exit(0 if len(r) == 4 and all(x["offload_sw_rx"] == 0 for x in r) else 1)
PY
check "packets moved on every row, 100 offload events drained" python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
moved = all(r["packets"] > 0 for r in rows if r["path"] in ("mirred", "slowpath", "fastpath", "offload"))
ev = [r for r in rows if r["path"] == "offload_events"]
sys.exit(0 if moved and ev and ev[0]["hw_added"] == 100 and ev[0]["hw_destroyed"] == 100 else 1)
PY
check "100 TCP handshakes: all ESTABLISHED, both directions of each in the model" python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
s = [r for r in rows if r["path"] == "setup_tcp"]
sys.exit(0 if len(s) == 1 and s[0]["established"] == 100 and s[0]["in_hw"] == 100 else 1)
PY
[ "${VERBOSE:-}" ] && cat "$out"
ktap_finish
