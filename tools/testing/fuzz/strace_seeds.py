#!/usr/bin/env python3
# One seed file per netlink record a client sent, from an strace log taken
# with `-e trace=sendmsg,sendto -e write=all` (capture_*_seeds.sh).
# Usage: strace_seeds.py LOG OUTDIR N  (files are named cmdNN_i)
import re
import sys

log, out, base = sys.argv[1], sys.argv[2], int(sys.argv[3])
recs, cur = [], None
for line in open(log):
    if re.match(r'^\d+ +(sendmsg|sendto)\(', line):
        cur = bytearray()
        recs.append(cur)
    # " | 00010  hh x8  hh x8  ascii |": the hex column is 49 characters
    # wide, two groups of 8 bytes split by two spaces
    if re.match(r'^ \| [0-9a-f]{5}  ', line) and cur is not None:
        cur += bytes.fromhex(''.join(re.findall(r'[0-9a-f]{2}', line[10:59])))
for i, r in enumerate(recs):
    if len(r) > 16:  # skip the shim's hello and option records
        open('%s/cmd%02d_%d' % (out, base, i), 'wb').write(r)
