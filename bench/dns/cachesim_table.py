#!/usr/bin/env python3
"""Turns `callgrind_annotate --show=Ir,DLmr,DLmw,D1mr` output into costs per query:
instructions, last-level misses (reads + writes) and L1 data read misses per query, for the
whole program and for the most expensive functions (self cost).
  callgrind_annotate ... | cachesim_table.py --queries N [--top K]"""
import argparse
import re
import sys

NUMBER = re.compile(r"^[0-9,]+$|^\.$")


def value(token):
    return 0 if token == "." else int(token.replace(",", ""))


def parse(lines, events):
    totals, merged = None, {}
    for line in lines:
        # Annotate prints "(12.3%)" or "( 0.15%)" after each number: drop those.
        tokens = re.sub(r"\(\s*[0-9.]+%\)", " ", line).split()
        if len(tokens) <= events or not all(NUMBER.match(t) for t in tokens[:events]):
            continue
        costs = [value(t) for t in tokens[:events]]
        name = " ".join(tokens[events:])
        if name == "PROGRAM TOTALS":
            totals = costs
        else:
            key = short(name)
            old = merged.get(key, [0] * events)
            merged[key] = [a + b for a, b in zip(old, costs)]
    return totals, [(costs, name) for name, costs in merged.items()]


def short(name):
    # "/path/file.cpp:ns::f(args) [/path/bin]" -> "ns::f": callgrind splits a function by the
    # file each inlined piece came from; the table adds those pieces up.
    name = re.sub(r" \[[^\]]*\]$", "", name)
    file, _, fn = name.partition(":")
    fn = fn or file
    depth, cut = 0, len(fn)
    for i, c in enumerate(fn):  # the first '(' at template depth 0 starts the arguments
        depth += c == "<"
        depth -= c == ">"
        if c == "(" and depth == 0 and i > 0:
            cut = i
            break
    return fn[:cut]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--queries", type=int, required=True)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    totals, functions = parse(sys.stdin, 4)
    if totals is None:
        sys.exit("cachesim_table.py: no PROGRAM TOTALS line in the input")
    q = args.queries
    print(f"{'per query':>44}  {'Ir':>8} {'LL miss':>8} {'D1 rmiss':>8}")
    ir, llr, llw, d1r = totals
    print(f"{'whole program (user space)':>44}  {ir / q:8.1f} {(llr + llw) / q:8.2f} {d1r / q:8.2f}")
    # The top functions by instructions and the top ones by misses, in instruction order.
    by_ir = sorted(functions, key=lambda f: f[0][0], reverse=True)[: args.top]
    by_miss = sorted(functions, key=lambda f: f[0][1] + f[0][2], reverse=True)[: args.top]
    seen, shown = set(), []
    for f in sorted(by_ir + [f for f in by_miss if f[0][1] + f[0][2] > 0], key=lambda f: f[0][0], reverse=True):
        if f[1] not in seen:
            seen.add(f[1])
            shown.append(f)
    for (ir, llr, llw, d1r), name in shown:
        print(f"{name[-44:]:>44}  {ir / q:8.1f} {(llr + llw) / q:8.2f} {d1r / q:8.2f}")


if __name__ == "__main__":
    main()
