#!/usr/bin/python3
"""One provincial ballot round in numpy against the Go engine, in one run.

The round is BenchmarkBallot's: 700 voters, 80 names, 69 seats, each voter
votes for each name with probability 0.86; a voter who marks more names than
seats corrects the ballot (strikes the last marks, names being listed most
appealing first) with probability 0.99 and otherwise spoils it; the for-votes
of every name are tallied, and the other marks are counted as abstentions
(30%) and votes against, as the engine reports them.

The script times a vectorised numpy version of that round (the fastest of
three ways of drawing the decisions: float64 or float32 uniforms, or the
generator's raw 64-bit output split into 32-bit halves compared with
floor(P(for)·2^32), the engine's own law), builds the engine's sim test binary
(BenchmarkBallotNumpyShape, the same round) and runs the two alternately, so
that both figures come from one run under the same load. It prints each
side's time per decision, the ratio, and the mean votes per name and share
of invalid ballots of both sides (they must agree: the same round).

Run from anywhere inside the repository, with the system python3 and
python3-numpy:

    /usr/bin/python3 benchmarks/ballot_numpy.py [--rounds 5]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

VOTERS, NAMES, SEATS = 700, 80, 69
P_FOR, DISCIPLINE, ABSTAIN = 0.86, 0.99, 0.3
DECISIONS = VOTERS * NAMES


# The 32-bit threshold of a "for" decision: P = T/2^32 exactly, as the
# engine decides (stats.Threshold32).
T32 = np.uint32(int(P_FOR * 2**32))


def draw_float64(rng):
    return rng.random((VOTERS, NAMES)) < P_FOR


def draw_float32(rng):
    return rng.random((VOTERS, NAMES), dtype=np.float32) < np.float32(P_FOR)


def draw_raw32(rng):
    """Two decisions per raw 64-bit draw of the bit generator."""
    raw = rng.bit_generator.random_raw((DECISIONS + 1) // 2).view(np.uint32)
    return (raw[:DECISIONS] < T32).reshape(VOTERS, NAMES)


DRAWS = {"float64 uniforms": draw_float64, "float32 uniforms": draw_float32,
         "raw 32-bit halves": draw_raw32}


def ballot_round(rng, draw):
    """One round: votes per name, invalid ballots, abstentions, against."""
    marks = draw(rng)
    count = marks.sum(axis=1)
    over = np.flatnonzero(count > SEATS)
    corrected = rng.random(over.size) < DISCIPLINE
    # Only the over-marked ballots are corrected: keep the first SEATS marks
    # of a corrected ballot and none of a spoiled one.
    sub = marks[over]
    keep = np.where(corrected, SEATS, 0)
    sub &= np.cumsum(sub, axis=1, dtype=np.int16) <= keep[:, None]
    struck = marks[over].sum(axis=0) - sub.sum(axis=0)
    marks[over] = sub
    votes = marks.sum(axis=0)
    not_for = VOTERS - votes - struck
    abstain = float((not_for * ABSTAIN).sum())
    against = float((not_for * (1 - ABSTAIN)).sum())
    invalid = int(over.size - corrected.sum())
    return votes, invalid, abstain, against


def time_numpy(rng, draw, rounds):
    """Seconds per decision over rounds rounds, and the mean outcome."""
    votes, invalid = 0.0, 0
    start = time.perf_counter()
    for _ in range(rounds):
        v, inv, _, _ = ballot_round(rng, draw)
        votes += v.mean()
        invalid += inv
    elapsed = time.perf_counter() - start
    return elapsed / (rounds * DECISIONS), votes / rounds, invalid / (rounds * VOTERS)


def repo_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return subprocess.check_output(["git", "-C", here, "rev-parse", "--show-toplevel"], text=True).strip()


def build_go(root, out):
    subprocess.check_call(["go", "test", "-c", "-o", out, "./sim"], cwd=root)


def time_go(binary, benchtime):
    out = subprocess.check_output(
        [binary, "-test.run", "^$", "-test.bench", "^BenchmarkBallotNumpyShape$",
         "-test.benchtime", benchtime, "-test.count", "1", "-test.cpu", "1"],
        text=True)
    metrics = {}
    for line in out.splitlines():
        if line.startswith("BenchmarkBallotNumpyShape"):
            for value, unit in re.findall(r"([0-9.e+-]+) ([a-z/]+)", line):
                metrics[unit] = float(value)
    if "ns/decision" not in metrics:
        sys.exit("no BenchmarkBallotNumpyShape result in:\n" + out)
    return metrics


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds of numpy and Go (default 5)")
    ap.add_argument("--numpy-rounds", type=int, default=100, help="ballot rounds per numpy sample (default 100)")
    ap.add_argument("--benchtime", default="2000x", help="go test -benchtime per Go sample (default 2000x)")
    args = ap.parse_args()

    root = repo_root()
    rng = np.random.default_rng(1)
    # Which draw is faster here: float64 or float32 uniforms.
    for draw in DRAWS.values():
        time_numpy(rng, draw, 5)
    way = min(DRAWS, key=lambda k: min(time_numpy(rng, DRAWS[k], 20)[0] for _ in range(3)))
    draw = DRAWS[way]

    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "sim.test")
        build_go(root, binary)
        np_ns, go_ns, np_votes, np_invalid, go_votes, go_invalid = [], [], [], [], [], []
        for _ in range(args.rounds):
            s, v, inv = time_numpy(rng, draw, args.numpy_rounds)
            np_ns.append(s * 1e9)
            np_votes.append(v)
            np_invalid.append(inv)
            g = time_go(binary, args.benchtime)
            go_ns.append(g["ns/decision"])
            go_votes.append(g["votes/name"])
            go_invalid.append(g["invalid/ballot"])

    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    med_np, med_go = statistics.median(np_ns), statistics.median(go_ns)
    print(f"round: {VOTERS} voters x {NAMES} names, {SEATS} seats, P(for) {P_FOR}, discipline {DISCIPLINE}")
    loop = {0: "portable", 1: "AVX2", 2: "AVX-512"}.get(int(g.get("loop", -1)), "unknown")
    print(f"numpy {np.__version__} ({way}), Go: BenchmarkBallotNumpyShape ({loop} voter loop), one core")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.rounds} alternating rounds")
    print(f"numpy: {med_np:8.3f} ns/decision (median; {min(np_ns):.3f}-{max(np_ns):.3f})")
    print(f"Go:    {med_go:8.3f} ns/decision (median; {min(go_ns):.3f}-{max(go_ns):.3f})")
    print(f"Go is {med_np / med_go:.1f}x faster per decision, median against median "
          f"(fastest against fastest {min(np_ns) / min(go_ns):.1f}x; per-round ratios "
          f"{min(n / g for n, g in zip(np_ns, go_ns)):.1f}-{max(n / g for n, g in zip(np_ns, go_ns)):.1f})")
    print(f"same round: votes per name numpy {statistics.mean(np_votes):.2f}, Go {statistics.mean(go_votes):.2f}; "
          f"invalid share numpy {statistics.mean(np_invalid):.4f}, Go {statistics.mean(go_invalid):.4f}")


if __name__ == "__main__":
    main()
