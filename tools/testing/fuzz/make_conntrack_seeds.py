#!/usr/bin/env python3
# Seeds for fuzz_conntrack: records of (op, u16 length, Ethernet frame), see
# tools/testing/fuzz/fuzz_conntrack.c.  Usage: make_conntrack_seeds.py [OUTDIR]
import os
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(src, dst, proto, payload, ident=1, frag=0):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                    bytes(src), bytes(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def l4csum(src, dst, proto, seg):
    return csum(bytes(src) + bytes(dst) + struct.pack('!BBH', 0, proto, len(seg)) + seg)


def tcp(src, dst, sp, dp, seq, ack, flags, data=b''):
    t = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    return t[:16] + struct.pack('!H', l4csum(src, dst, 6, t)) + t[18:]


def udp(src, dst, sp, dp, data):
    u = struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data
    return u[:6] + struct.pack('!H', l4csum(src, dst, 17, u) or 0xffff) + u[8:]


def eth(p, t=0x0800):
    return bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]) + struct.pack('!H', t) + p


def rec(op, frame):
    return bytes([op]) + struct.pack('<H', len(frame)) + frame


A, B = [10, 0, 0, 1], [10, 0, 0, 2]
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                         'corpus', 'conntrack')
os.makedirs(out, exist_ok=True)
seeds = {}
# ct + ct commit, then the reply, data, FIN, FIN+ACK after 40 s
seeds['tcp_handshake'] = (
    rec(0x11, eth(ip4(A, B, 6, tcp(A, B, 1234, 80, 100, 0, 0x02)))) +
    rec(0x00, eth(ip4(B, A, 6, tcp(B, A, 80, 1234, 500, 101, 0x12)))) +
    rec(0x10, eth(ip4(A, B, 6, tcp(A, B, 1234, 80, 101, 501, 0x10, b'hello')))) +
    rec(0x00, eth(ip4(B, A, 6, tcp(B, A, 80, 1234, 501, 106, 0x11)))) +
    rec(0x08, eth(ip4(A, B, 6, tcp(A, B, 1234, 80, 106, 502, 0x14)))))
# SNAT'ed UDP, then a port unreachable quoting it, to the NAT address
u = udp(A, B, 5000, 53, b'q' * 20)
icmp = struct.pack('!BBHI', 3, 3, 0, 0) + ip4([10, 9, 9, 9], B, 17, u)[:28]
icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
seeds['udp_snat_icmp_error'] = rec(0x12, eth(ip4(A, B, 17, u))) + \
    rec(0x04, eth(ip4(B, [10, 9, 9, 9], 1, icmp)))
# two fragments out of order, then a duplicate (an overlap)
payload = udp(A, B, 7000, 7001, b'x' * 1500)
f1 = ip4(A, B, 17, payload[:1480], ident=77, frag=0x2000)
f2 = ip4(A, B, 17, payload[1480:], ident=77, frag=1480 // 8)
seeds['fragments'] = rec(0x12, eth(f2)) + rec(0x12, eth(f1)) + rec(0x12, eth(f1))
V = [10, 0, 0, 200]
seeds['dnat_tcp'] = rec(0x13, eth(ip4(A, V, 6, tcp(A, V, 1234, 80, 100, 0, 0x02))))
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
