#!/usr/bin/env python3
"""Questions about `ctoffload steering show -j` (read on stdin), for tests:

  steering_query.py TABLE            FTEs in the table named TABLE (0 if none)
  steering_query.py TABLE packets    packets its FTEs' counters hold (a counter
                                     shared by two FTEs counts once)
  steering_query.py --total-ftes     FTEs in the whole device
  steering_query.py --stats FIELD    a device-wide counter (hw_forwarded, miss_to_sw...)
"""
import json
import sys


def main():
    dump = json.load(sys.stdin)
    args = sys.argv[1:]
    if args[:1] == ["--total-ftes"]:
        print(dump["usage"]["ftes"])
        return
    if args[:1] == ["--stats"]:
        print(dump["stats"][args[1]])
        return
    tables = [t for t in dump["tables"] if t["name"] == args[0]]
    ftes = [f for t in tables for g in t["groups"] for f in g["ftes"]]
    if args[1:] == ["packets"]:
        seen = {}
        for f in ftes:
            c = f.get("counter")
            if c:
                seen[c["id"]] = c["packets"]
        print(sum(seen.values()))
    else:
        print(len(ftes))


main()
