#!/usr/bin/python3
"""Fit the cost of a trial against its ballot decisions (BenchmarkScaling).

Reads `go test -bench Scaling` output (several -count runs allowed) on
standard input, takes each scale's median ns/op, decisions/trial and
heap-KiB, and prints the least-squares line ns/trial = a + b * decisions
with its R^2 and each scale's deviation from the line:

    go test -run '^$' -bench Scaling -count 3 ./sim | /usr/bin/python3 benchmarks/scaling_fit.py
"""

import re
import statistics
import sys
from collections import defaultdict


def main():
    runs = defaultdict(list)
    for line in sys.stdin:
        m = re.match(r"BenchmarkScaling/(\S+?)(-\d+)?\s+\d+\s+(.*)", line)
        if not m:
            continue
        metrics = {unit: float(v) for v, unit in re.findall(r"([0-9.e+-]+) ([A-Za-z/-]+)", m.group(3))}
        runs[m.group(1)].append(metrics)
    if len(runs) < 2:
        sys.exit("need BenchmarkScaling results for at least two scales on stdin")
    rows = []
    for name, ms in runs.items():
        med = {k: statistics.median(m[k] for m in ms if k in m) for k in ("ns/op", "decisions/trial", "heap-KiB", "allocs/op")}
        rows.append((name, med, len(ms)))
    rows.sort(key=lambda r: r[1]["decisions/trial"])
    xs = [r[1]["decisions/trial"] for r in rows]
    ys = [r[1]["ns/op"] for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    print(f"{'scale':>6} {'runs':>4} {'decisions/trial':>15} {'ms/trial':>9} {'fit ms':>8} {'dev':>6} {'heap KiB':>9} {'allocs/trial':>12}")
    for (name, med, n), x, y in zip(rows, xs, ys):
        fit = a + b * x
        print(f"{name:>6} {n:>4} {x:>15,.0f} {y / 1e6:>9.3f} {fit / 1e6:>8.3f} {100 * (y - fit) / fit:>5.1f}% "
              f"{med['heap-KiB']:>9,.0f} {med['allocs/op']:>12.0f}")
    print(f"fit: ms/trial = {a / 1e6:.3f} + {b:.3f} ns x decisions;  R^2 = {1 - ss_res / ss_tot:.4f}")


if __name__ == "__main__":
    main()
