#!/usr/bin/env python3
# Seeds for fuzz_gso: a virtio_net_hdr (flags, gso_type, hdr_len, gso_size,
# csum_start, csum_offset; little-endian as a TAP on x86 gives it) and a
# TCP frame: a TSO frame over IPv4 and IPv6, one with a partial checksum,
# and a plain one.
import os, struct, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "gso")
os.makedirs(out, exist_ok=True)

def tcp(v6, plen, flags=0x18):
    eth = bytes(12) + (b"\x86\xdd" if v6 else b"\x08\x00")
    th = struct.pack("!HHIIBBHHH", 40000, 5201, 1000, 77, 5 << 4, flags, 512, 0, 0)
    pay = bytes((i * 7) & 0xff for i in range(plen))
    if v6:
        ip = struct.pack("!IHBB", 6 << 28, 20 + plen, 6, 64) + bytes(15) + b"\x01" + bytes(15) + b"\x02"
    else:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + plen, 0x1234, 0, 64, 6, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return eth + ip + th + pay

def vh(flags, gso_type, hdr_len, gso_size, start, off):
    return struct.pack("<BBHHHH", flags, gso_type, hdr_len, gso_size, start, off)

seeds = {
    "tso4": vh(1, 1, 54, 1448, 34, 16) + tcp(False, 9000),
    "tso6": vh(1, 4, 74, 1428, 54, 16) + tcp(True, 9000),
    "tso4_ecn": vh(1, 0x81, 54, 536, 34, 16) + tcp(False, 3000, 0x98),
    "csum": vh(1, 0, 0, 0, 34, 16) + tcp(False, 100),
    "plain": vh(0, 0, 0, 0, 0, 0) + tcp(False, 64),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
