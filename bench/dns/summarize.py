#!/usr/bin/env python3
"""Turns the DNS benchmark's raw rows (TSV, one per dnsperf run) into the markdown table.

  summarize.py RESULTS.tsv [--callgrind CALLGRIND.tsv]

Rows: set server kind rep qps avg_s p99_s cpu_s wall_s completed lost resp_bytes utime stime
(kind: sat = as fast as dnsperf goes; fixed = at the offered load dnsperf -Q; hb = saturated
with heartbeats arriving; sys = saturated under perf stat, p99_s holding the server's system
call count instead). dnsd's ratio is to the best anchor (NSD, Knot) on each figure,
written so that above 1 means dnsd is better.
"""
import argparse
import statistics
import sys
from collections import defaultdict


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def num(s):
    return None if s in ("", "-", "nan") else float(s)


def fmt(v, kind):
    if v is None:
        return "-"
    if kind == "qps":
        return f"{v:,.0f}"
    if kind == "us":
        return f"{v * 1e6:.0f} µs"
    if kind == "pct":
        return f"{v * 100:.0f}%"
    if kind == "s":
        return f"{v:.2f}"
    if kind == "ratio":
        return f"{v:.2f}×"
    return f"{v:.0f}"


def summarize(rows):
    by = defaultdict(list)
    for r in rows:
        by[(r["set"], r["server"], r["kind"])].append(r)
    sets = list(dict.fromkeys(r["set"] for r in rows))
    servers = list(dict.fromkeys(r["server"] for r in rows))
    out = []
    for ds in sets:
        figures = {}
        for sv in servers:
            sat, fixed, hb = by.get((ds, sv, "sat"), []), by.get((ds, sv, "fixed"), []), by.get((ds, sv, "hb"), [])
            if not sat and not fixed:
                continue
            f = {}
            f["qps"] = median(r["qps"] for r in sat)
            f["avg"] = median(r["avg_s"] for r in sat)
            f["cores"] = median(r["cpu_s"] / r["wall_s"] for r in sat if r["wall_s"])
            f["per_core"] = median(r["qps"] / (r["cpu_s"] / r["wall_s"]) for r in sat if r["cpu_s"])
            f["user"] = median(r["utime"] / (r["utime"] + r["stime"]) for r in sat if r["utime"] + r["stime"] > 0)
            f["fixed_cpu"] = median(r["cpu_s"] / r["wall_s"] for r in fixed if r["wall_s"])
            f["fixed_avg"] = median(r["avg_s"] for r in fixed)
            f["fixed_p99"] = median(r["p99_s"] for r in fixed)
            f["fixed_qps"] = median(r["qps"] for r in fixed)
            f["resp"] = median(r["resp_bytes"] for r in sat + fixed)
            f["lost"] = sum(r["lost"] for r in sat + fixed)
            sysrows = [r for r in by.get((ds, sv, "sys"), []) if r["p99_s"] is not None and r["completed"]]
            f["syscalls"] = median(r["p99_s"] / r["completed"] for r in sysrows)
            f["hb_qps"] = median(r["qps"] for r in hb)
            f["hb_per_core"] = median(r["qps"] / (r["cpu_s"] / r["wall_s"]) for r in hb if r["cpu_s"])
            figures[sv] = f
        anchors = [s for s in figures if not s.startswith("dnsd")]
        higher_better = {"qps", "per_core"}
        lower_better = {"avg", "fixed_cpu", "fixed_avg", "fixed_p99"}

        def best(key):
            vals = [figures[a][key] for a in anchors if figures[a][key] is not None]
            if not vals:
                return None
            return max(vals) if key in higher_better else min(vals)

        def ratio(sv, key):
            v, b = figures[sv][key], best(key)
            if v is None or b is None or v == 0 or b == 0:
                return None
            return v / b if key in higher_better else b / v

        out.append(f"\n### Data set {ds}\n")
        out.append("| server | QPS | avg latency | busy cores | QPS per busy core | user share | "
                   f"CPU at fixed load | avg / p99 at fixed load | syscalls per query | reply bytes | lost |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for sv, f in figures.items():
            out.append(
                f"| {sv} | {fmt(f['qps'], 'qps')} | {fmt(f['avg'], 'us')} | {fmt(f['cores'], 's')} | "
                f"{fmt(f['per_core'], 'qps')} | {fmt(f['user'], 'pct')} | {fmt(f['fixed_cpu'], 'pct')} "
                f"({fmt(f['fixed_qps'], 'qps')} QPS) | {fmt(f['fixed_avg'], 'us')} / {fmt(f['fixed_p99'], 'us')} | "
                f"{'-' if f['syscalls'] is None else format(f['syscalls'], '.3f')} | {fmt(f['resp'], 'n')} | {f['lost']:.0f} |")
        for sv in figures:
            if not sv.startswith("dnsd"):
                continue
            parts = [f"{k} {fmt(ratio(sv, key), 'ratio')}" for k, key in
                     (("QPS", "qps"), ("QPS per busy core", "per_core"), ("avg latency", "avg"),
                      ("CPU at fixed load", "fixed_cpu"), ("p99 at fixed load", "fixed_p99"))]
            out.append(f"\n{sv} ÷ best anchor (above 1: dnsd better): " + ", ".join(parts))
            f = figures[sv]
            if f["hb_qps"] is not None:
                quiet = f["qps"]
                out.append(f"{sv} with heartbeats arriving: {fmt(f['hb_qps'], 'qps')} QPS "
                           f"({fmt(f['hb_qps'] / quiet if quiet else None, 'ratio')} of quiet), "
                           f"{fmt(f['hb_per_core'], 'qps')} QPS per busy core")
    # QPS at the largest set against the smallest, for dnsd.
    if len(sets) > 1:
        for sv in servers:
            q = [median(r["qps"] for r in by.get((ds, sv, "sat"), [])) for ds in (sets[0], sets[-1])]
            c = [median(r["qps"] / (r["cpu_s"] / r["wall_s"]) for r in by.get((ds, sv, "sat"), []) if r["cpu_s"])
                 for ds in (sets[0], sets[-1])]
            if None not in q and q[0]:
                out.append(f"\n{sv}: QPS at {sets[-1]} ÷ at {sets[0]}: {q[1] / q[0]:.2f}×"
                           + (f", per busy core {c[1] / c[0]:.2f}×" if None not in c and c[0] else ""))
    return "\n".join(out)


def read_tsv(path, fields):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(fields) or parts[0] == fields[0]:
                continue
            r = dict(zip(fields, parts))
            for k in fields:
                if k not in ("set", "server", "kind"):
                    r[k] = num(r[k])
            rows.append(r)
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--callgrind")
    a = p.parse_args()
    fields = ["set", "server", "kind", "rep", "qps", "avg_s", "p99_s", "cpu_s", "wall_s",
              "completed", "lost", "resp_bytes", "utime", "stime"]
    rows = read_tsv(a.results, fields)
    if not rows:
        sys.exit("summarize.py: no results")
    print(summarize(rows))
    if a.callgrind:
        cg = read_tsv(a.callgrind, ["set", "server", "kind", "instructions", "queries"])
        if cg:
            print("\n### User-space instructions per query (valgrind --tool=callgrind)\n")
            print("| server | instructions | queries answered | per query |")
            print("|---|---|---|---|")
            per = {}
            for r in cg:
                per[r["server"]] = r["instructions"] / r["queries"] if r["queries"] else None
                print(f"| {r['server']} | {r['instructions']:,.0f} | {r['queries']:,.0f} | "
                      f"{fmt(per[r['server']], 'n')} |")
            anchors = [v for k, v in per.items() if "dnsd" not in k and v]
            for k, v in per.items():
                if "dnsd" in k and v and anchors:
                    print(f"\n{k} ÷ NSD instructions per query: {v / min(anchors):.2f} (target ≤ 0.5)")


if __name__ == "__main__":
    main()
