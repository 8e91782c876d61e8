package sim

import (
	"testing"

	"simulate/sim/stats"
)

// ballotBench sets up a worker with one unit-sized ballot: n names with
// the given "for" probability, for seats seats, and present voters.
func ballotBench(b *testing.B, n, seats, present int, pFor float64) (*worker, []int32) {
	m := compileEmbedded(b, "cpc20")
	w := newWorker(m)
	stats.Reseed(w.pcg, 1, 0)
	w.list = make([]person, n)
	w.tFor = make([]uint64, n)
	w.qAbst = make([]float64, n)
	cands := make([]int32, n)
	for i := range cands {
		cands[i] = int32(i)
		w.tFor[i] = stats.Threshold32(pFor)
		w.qAbst[i] = 0.3
	}
	_ = seats
	_ = present
	return w, cands
}

// BenchmarkBallot is one round of a provincial congress: 700 voters, 80
// names, 69 seats, voting for each name with probability 0.86. ns/decision
// is the cost of one voter's decision on one name, everything included
// (over-marked ballots, tallies).
func BenchmarkBallot(b *testing.B) {
	const n, seats, present = 80, 69, 700
	w, cands := ballotBench(b, n, seats, present, 0.86)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.ballot(cands, seats, present)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*present), "ns/decision")
}

// BenchmarkBallotBareDraws is the floor for BenchmarkBallot: a loop that
// only draws the random numbers the ballot needs (one 64-bit draw per two
// decisions) and consumes them, nothing else.
func BenchmarkBallotBareDraws(b *testing.B) {
	const n, present = 80, 700
	f := stats.NewFast(1)
	var sink uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for v := 0; v < present; v++ {
			for k := 0; k < n; k += 2 {
				sink += f.Uint64()
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*present), "ns/decision")
	if sink == 42 {
		b.Log(sink)
	}
}
