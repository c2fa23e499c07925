#!/usr/bin/env python3
"""Writes a cache.json (format_version 1, see registry/snapshot_format.hpp) holding
SERVICES x PER instances, every lease a full hour ahead so none expires during the run.
Instance i of service s is inst-<i>.svc-<s>, address 10.x.y.z, port 8000+i."""
import sys
import time


def main():
    path, services, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    now_ms = int(time.time() * 1000)
    lines = []
    with open(path, "w") as f:
        f.write('{"format_version":1,"written_wall_ms":%d,"index":%d,"instances":[' %
                (now_ms, services * per))
        first = True
        for s in range(services):
            for i in range(per):
                n = s * per + i
                addr = "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255)
                lines.append(
                    '%s\n{"service":"svc-%d","id":"inst-%d","address":"%s","port":%d,'
                    '"version":"1.2.3","weight":100,"priority":0,"meta":{"zone":"a"},'
                    '"ttl_ms":3600000,"node":"bench","src_ts_ms":%d,"remaining_ms":3600000}'
                    % ("" if first else ",", s, i, addr, 8000 + i, now_ms))
                first = False
            if len(lines) > 50000:
                f.write("".join(lines))
                lines.clear()
        f.write("".join(lines))
        f.write('\n],"tombstones":[],"known_services":[]}\n')


if __name__ == "__main__":
    main()
