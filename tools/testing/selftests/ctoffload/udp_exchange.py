#!/usr/bin/env python3
"""A UDP exchange whose every byte is fixed by its arguments, for tests
that compare captures: datagrams leave through a raw socket (IP_HDRINCL)
with an IP id, TTL and flags chosen here rather than by the host kernel,
and are received on an ordinary UDP socket.

  udp_exchange.py server ADDR PORT COUNT
      answers COUNT datagrams, each with b"re:" + what it got, to the
      address and port it came from
  udp_exchange.py client SRC SPORT DST DPORT FIRST COUNT
      sends datagrams FIRST..FIRST+COUNT-1 (each of its own size and
      contents), waits for an answer to each; exits 1 if one does not come
"""
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def datagram(src, sport, dst, dport, ipid, payload):
    saddr, daddr = socket.inet_aton(src), socket.inet_aton(dst)
    ulen = 8 + len(payload)
    pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_UDP, ulen)
    sum_ = csum(pseudo + struct.pack("!HHHH", sport, dport, ulen, 0) + payload) or 0xFFFF
    udp = struct.pack("!HHHH", sport, dport, ulen, sum_) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, ipid, 0x4000, 64,
                     socket.IPPROTO_UDP, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def main():
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.settimeout(3)
    if sys.argv[1] == "server":
        addr, port, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        udp.bind((addr, port))
        for i in range(count):
            data, peer = udp.recvfrom(4096)
            raw.sendto(datagram(addr, port, peer[0], peer[1], 0x2000 + i, b"re:" + data),
                       (peer[0], 0))
        return 0
    src, sport, dst, dport, first, count = sys.argv[2], int(sys.argv[3]), sys.argv[4], \
        int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    udp.bind((src, sport))
    for i in range(first, first + count):
        payload = bytes((i * 37 + j) & 0xFF for j in range(100 + 50 * i))
        raw.sendto(datagram(src, sport, dst, dport, 0x1000 + i, payload), (dst, 0))
        try:
            udp.recvfrom(4096)
        except socket.timeout:
            print("no answer to datagram %d" % i)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
