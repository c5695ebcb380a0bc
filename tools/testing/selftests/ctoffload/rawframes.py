#!/usr/bin/env python3
"""Send or receive raw Ethernet frames on an interface (AF_PACKET), for
selftests that need frames the host kernel cannot make (e.g. VLAN tags
without the 8021q module).

  rawframes.py send DEV HEXFRAME COUNT
  rawframes.py recv DEV HEXFRAME TIMEOUT   -> prints how many exact copies arrived
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 3
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40


def with_vlan_tag(data, ancdata):
    """The receiving kernel strips a VLAN tag into PACKET_AUXDATA: put it
    back, as libpcap does, so the frame is compared as it was on the wire."""
    for level, ctype, cdata in ancdata:
        if level != SOL_PACKET or ctype != PACKET_AUXDATA:
            continue
        status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", cdata[:20])
        if status & TP_STATUS_VLAN_VALID:
            if not status & TP_STATUS_VLAN_TPID_VALID:
                tpid = 0x8100
            return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def main():
    mode, dev, frame = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((dev, 0))
    if mode == "send":
        for _ in range(int(sys.argv[4])):
            s.send(frame)
        return
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    deadline = time.time() + float(sys.argv[4])
    got = 0
    s.settimeout(0.1)
    while time.time() < deadline:
        try:
            data, ancdata, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(64))
        except socket.timeout:
            continue
        if addr[2] != socket.PACKET_OUTGOING and with_vlan_tag(data, ancdata) == frame:
            got += 1
    print(got)


main()
