#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seed corpus for fuzz_underlay: frames from the uplink's wire.

Usage: make_underlay_seeds.py [DIR]   (default tools/testing/fuzz/corpus/underlay)

The addresses are fuzz_underlay's: ul0 is 02:00:00:00:00:aa with
7.7.7.7/24 and 2001:db8::1/64; the peers are 7.7.7.8 / 2001:db8::2
(unresolved, a packet queued) and 7.7.7.9 / 2001:db8::3 (STALE); a
collect-metadata vxlan device listens on 4789 and re-encapsulates VNI 42.
Only the standard library: checksums are computed here.
"""
import os
import socket
import struct
import sys

UL0 = bytes.fromhex("0200000000aa")
PEER = bytes.fromhex("020000000008")
OTHER = bytes.fromhex("0200000000ee")
BCAST = b"\xff" * 6
ME4, PEER4, STALE4 = "7.7.7.7", "7.7.7.8", "7.7.7.9"
ME6, PEER6, STALE6 = "2001:db8::1", "2001:db8::2", "2001:db8::3"


def ip4(a):
    return socket.inet_pton(socket.AF_INET, a)


def ip6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(dst, src, proto, payload):
    return dst + src + struct.pack("!H", proto) + payload


def arp(op, sha, sip, tha, tip):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + ip4(sip) + tha + ip4(tip)


def ipv4(src, dst, proto, payload, options=b"", frag=0, ttl=64):
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), 1, frag,
                      ttl, proto, 0, ip4(src), ip4(dst)) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp4(src, dst, sport, dport, payload, check=True, bad=False):
    uh = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = 0
    if check:
        pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(uh))
        c = csum(pseudo + uh) or 0xffff
        if bad:
            c ^= 0x5a5a
    return uh[:6] + struct.pack("!H", c) + uh[8:]


def icmp4(typ, code, rest):
    m = struct.pack("!BBH", typ, code, 0) + rest
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def ipv6(src, dst, nxt, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, hlim, ip6(src),
                       ip6(dst)) + payload


def l4_6(src, dst, proto, l4):
    """checksum field at 2 (ICMPv6) or 6 (UDP) of l4"""
    pseudo = ip6(src) + ip6(dst) + struct.pack("!IxxxB", len(l4), proto)
    c = csum(pseudo + l4)
    off = 2 if proto == 58 else 6
    if proto == 17 and c == 0:
        c = 0xffff
    return l4[:off] + struct.pack("!H", c) + l4[off + 2:]


def icmp6(src, dst, typ, code, rest):
    return l4_6(src, dst, 58, struct.pack("!BBH", typ, code, 0) + rest)


def udp6(src, dst, sport, dport, payload):
    return l4_6(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def vxlan(vni, inner, flags=0x08000000):
    return struct.pack("!II", flags, vni << 8) + inner


def inner_ipv4():
    return eth(bytes.fromhex("248a07a52802"), bytes.fromhex("248a07a52801"), 0x0800,
               ipv4("10.0.0.1", "10.0.0.2", 17, udp4("10.0.0.1", "10.0.0.2", 40000, 5001,
                                                     bytes(range(32)))))


def inner_arp():
    return eth(BCAST, bytes.fromhex("248a07a52801"), 0x0806,
               arp(1, bytes.fromhex("248a07a52801"), "10.0.0.1", b"\0" * 6, "10.0.0.2"))


def vx4(vni, inner, flags=0x08000000, check=True, bad=False):
    return eth(UL0, PEER, 0x0800,
               ipv4(PEER4, ME4, 17, udp4(PEER4, ME4, 50000, 4789, vxlan(vni, inner, flags),
                                         check, bad)))


def ns(src, dst, target, lladdr=None):
    opt = b"\x01\x01" + lladdr if lladdr else b""
    return ipv6(src, dst, 58, icmp6(src, dst, 135, 0, b"\0" * 4 + ip6(target) + opt), 255)


def na(src, dst, target, flags, lladdr=None):
    opt = b"\x02\x01" + lladdr if lladdr else b""
    return ipv6(src, dst, 58, icmp6(src, dst, 136, 0, struct.pack("!I", flags) + ip6(target) +
                                    opt), 255)


def snm(a):
    b = ip6(a)
    return socket.inet_ntop(socket.AF_INET6, b"\xff\x02" + b"\0" * 9 + b"\x01\xff" +
                            b[13:])


def snm_mac(a):
    return b"\x33\x33\xff" + ip6(a)[13:]


def seeds():
    s = {}
    s["arp_request"] = eth(BCAST, PEER, 0x0806, arp(1, PEER, PEER4, b"\0" * 6, ME4))
    s["arp_reply"] = eth(UL0, PEER, 0x0806, arp(2, PEER, PEER4, UL0, ME4))
    s["arp_gratuitous"] = eth(BCAST, OTHER, 0x0806, arp(1, OTHER, STALE4, BCAST, STALE4))
    s["arp_truncated"] = eth(BCAST, PEER, 0x0806, arp(1, PEER, PEER4, b"\0" * 6, ME4))[:30]
    s["icmp_echo"] = eth(UL0, PEER, 0x0800,
                         ipv4(PEER4, ME4, 1, icmp4(8, 0, struct.pack("!HH", 7, 1) + b"ping" * 8)))
    s["icmp_echo_unknown"] = eth(UL0, OTHER, 0x0800,
                                 ipv4("7.7.7.50", ME4, 1, icmp4(8, 0, b"\0\1\0\1abcdefgh")))
    s["vxlan_ipv4_vni42"] = vx4(42, inner_ipv4())
    s["vxlan_arp_vni7"] = vx4(7, inner_arp(), check=False)
    s["vxlan_bad_flags"] = vx4(42, inner_ipv4(), flags=0x08000001)
    s["vxlan_truncated"] = vx4(42, b"\x24\x8a\x07", check=False)
    s["vxlan_bad_udp_csum"] = vx4(42, inner_ipv4(), bad=True)
    s["ipv4_options"] = eth(UL0, PEER, 0x0800,
                            ipv4(PEER4, ME4, 1, icmp4(8, 0, b"\0\2\0\1opts"),
                                 options=b"\x94\x04\0\0\x01\x01\x01\x00"))
    s["ipv4_fragment"] = eth(UL0, PEER, 0x0800,
                             ipv4(PEER4, ME4, 17, udp4(PEER4, ME4, 1, 4789, b"\x08" + b"\0" * 30),
                                  frag=0x2000))
    s["ns_with_lladdr"] = eth(snm_mac(ME6), PEER, 0x86dd, ns(PEER6, snm(ME6), ME6, PEER))
    s["ns_no_lladdr_unicast"] = eth(UL0, PEER, 0x86dd, ns(PEER6, ME6, ME6))
    s["ns_dad"] = eth(snm_mac(ME6), OTHER, 0x86dd, ns("::", snm(ME6), ME6))
    s["na_solicited"] = eth(UL0, PEER, 0x86dd, na(PEER6, ME6, PEER6, 0x60000000, PEER))
    s["na_no_lladdr"] = eth(UL0, OTHER, 0x86dd, na(STALE6, ME6, STALE6, 0x40000000))
    s["icmp6_echo"] = eth(UL0, PEER, 0x86dd,
                          ipv6(PEER6, ME6, 58, icmp6(PEER6, ME6, 128, 0, b"\0\3\0\1ping6")))
    s["vxlan6_ipv4_vni42"] = eth(UL0, PEER, 0x86dd,
                                 ipv6(PEER6, ME6, 17, udp6(PEER6, ME6, 50001, 4789,
                                                           vxlan(42, inner_ipv4()))))
    # hop-by-hop (PadN) + destination options, then UDP to 4789
    ext = b"\x3c\x00\x01\x04\0\0\0\0" + b"\x11\x00\x01\x04\0\0\0\0"
    s["ipv6_exthdrs_vxlan"] = eth(UL0, PEER, 0x86dd,
                                  ipv6(PEER6, ME6, 0, ext + udp6(PEER6, ME6, 50002, 4789,
                                                                 vxlan(9, inner_arp()))))
    s["ipv6_fragment"] = eth(UL0, PEER, 0x86dd,
                             ipv6(PEER6, ME6, 44, b"\x3a\x00\x00\x01\0\0\0\x07" +
                                  icmp6(PEER6, ME6, 128, 0, b"\0\4\0\1")))
    s["other_host"] = eth(OTHER, PEER, 0x0800,
                          ipv4(PEER4, ME4, 1, icmp4(8, 0, b"\0\5\0\1other")))
    s["multicast_ipv4"] = eth(bytes.fromhex("01005e000001"), PEER, 0x0800,
                              ipv4(PEER4, "224.0.0.1", 1, icmp4(8, 0, b"\0\6\0\1mc")))
    s["broadcast_ipv6_all_nodes"] = eth(bytes.fromhex("333300000001"), PEER, 0x86dd,
                                        ipv6(PEER6, "ff02::1", 58,
                                             icmp6(PEER6, "ff02::1", 128, 0, b"\0\7\0\1")))
    s["vlan_tagged"] = eth(UL0, PEER, 0x8100, b"\x00\x05\x08\x06" +
                           arp(1, PEER, PEER4, b"\0" * 6, ME4))
    s["short_frame"] = UL0 + PEER
    return s


def main():
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "underlay")
    out = sys.argv[1] if len(sys.argv) > 1 else top
    os.makedirs(out, exist_ok=True)
    for name, frame in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(frame)
    print("%d seeds in %s" % (len(seeds()), out))


if __name__ == "__main__":
    main()
