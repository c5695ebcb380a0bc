#!/usr/bin/env python3
"""Questions about `ctoffload trace -j` (a JSON array of stages, on stdin):

  trace_query.py                       one line per stage: "stage k=v k=v" (data left out)
  trace_query.py --expect RE [RE...]   the stages, as those lines, contain a match
                                       of each RE in this order (exit 1 if not,
                                       printing the stages)
  trace_query.py --absent RE           no stage line matches RE
  trace_query.py --tx                  "PORT LEN DATA" for each frame sent
  trace_query.py --live-first          the first packet's stages of `trace --live -j`
"""
import json
import re
import sys


def line(stage):
    parts = [stage.get("stage", "?")]
    for k, v in stage.items():
        if k in ("stage", "data"):
            continue
        if isinstance(v, (dict, list)):
            v = json.dumps(v, separators=(",", ":"))
        parts.append(f"{k}={v}")
    return " ".join(parts)


def live_first(doc):
    """`trace --live -j`: {"packet": N, "stages": [...]} objects, in an array or not"""
    if isinstance(doc, dict):
        return doc.get("stages", [])
    if doc and isinstance(doc[0], dict) and "stages" in doc[0]:
        return doc[0]["stages"]
    return doc


def main():
    if sys.argv[1:] == ["--live-first"]:
        json.dump(live_first(json.load(sys.stdin)), sys.stdout)
        return 0
    stages = json.load(sys.stdin)
    lines = [line(s) for s in stages]
    args = sys.argv[1:]
    if not args:
        print("\n".join(lines))
        return 0
    if args[0] == "--tx":
        for s in stages:
            if s.get("stage") == "tx":
                print(s.get("port", s.get("dev", "?")), s.get("len"), s.get("data", ""))
        return 0
    if args[0] == "--absent":
        bad = [l for l in lines if re.search(args[1], l)]
        if bad:
            print("unexpected:", *bad, sep="\n  ", file=sys.stderr)
            return 1
        return 0
    if args[0] == "--expect":
        i = 0
        for pattern in args[1:]:
            while i < len(lines) and not re.search(pattern, lines[i]):
                i += 1
            if i == len(lines):
                print(f"no stage matches {pattern!r} in order; the stages:", file=sys.stderr)
                print("\n".join("  " + l for l in lines), file=sys.stderr)
                return 1
            i += 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


sys.exit(main())
