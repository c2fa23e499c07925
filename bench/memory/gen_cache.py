#!/usr/bin/env python3
"""Writes a cache.json (format_version 1, see registry/snapshot_format.hpp) holding
SERVICES x PER instances, every lease a full hour ahead so none expires during the run.
Instance i of service s is inst-<i>.svc-<s>, address 10.x.y.z from n = s * PER + i, port 8000+i.
Entries come in the order dnsd writes them (by service, then id, as strings: svc-10 before
svc-2), which the loader's checks and the registry's restore are built for; an order dnsd
never writes would measure a path real files do not take.
Prints the name and address of the last instance of the file: the one run.sh asks for."""
import sys
import time


def main():
    path, services, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    now_ms = int(time.time() * 1000)
    lines = []
    last = None
    service_order = sorted(range(services), key=lambda s: "svc-%d" % s)
    id_order = sorted(range(per), key=lambda i: "inst-%d" % i)
    with open(path, "w") as f:
        f.write('{"format_version":1,"written_wall_ms":%d,"index":%d,"instances":[' %
                (now_ms, services * per))
        first = True
        for s in service_order:
            for i in id_order:
                n = s * per + i
                addr = "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255)
                lines.append(
                    '%s\n{"service":"svc-%d","id":"inst-%d","address":"%s","port":%d,'
                    '"version":"1.2.3","weight":100,"priority":0,"meta":{"zone":"a"},'
                    '"ttl_ms":3600000,"node":"bench","src_ts_ms":%d,"remaining_ms":3600000}'
                    % ("" if first else ",", s, i, addr, 8000 + i, now_ms))
                first = False
                last = ("inst-%d.svc-%d" % (i, s), addr)
            if len(lines) > 50000:
                f.write("".join(lines))
                lines.clear()
        f.write("".join(lines))
        f.write('\n],"tombstones":[],"known_services":[]}\n')
    if last:
        print("%s %s" % last)


if __name__ == "__main__":
    main()
