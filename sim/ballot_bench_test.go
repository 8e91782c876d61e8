package sim

import (
	"testing"

	"simulate/sim/stats"
)

// ballotBench sets up a worker with one unit-sized ballot: n names with
// the given "for" probability, abstaining on 30% of the other marks, and
// the given discipline (the share of over-marked ballots corrected).
func ballotBench(b *testing.B, n int, pFor, discipline float64) (*worker, []int32) {
	m := compileEmbedded(b, "cpc20")
	e := *m.stages[m.electIdx].elect
	e.disciplineP = discipline
	m.stages[m.electIdx].elect = &e
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
	return w, cands
}

// BenchmarkBallot is one round of a provincial congress: 700 voters, 80
// names, 69 seats, voting for each name with probability 0.86, correcting
// 99% of over-marked ballots (cpc20's discipline). ns/decision is the cost of
// one voter's decision on one name, everything included (over-marked
// ballots, tallies).
func BenchmarkBallot(b *testing.B) { provincialRound(b) }

// provincialRound times BenchmarkBallot's round with the current voter loop.
func provincialRound(b *testing.B) {
	const n, seats, present = 80, 69, 700
	w, cands := ballotBench(b, n, 0.86, 0.99)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.ballot(cands, seats, present)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*present), "ns/decision")
}

// BenchmarkBallotKernel is BenchmarkBallot with each voter loop this CPU
// can run (ballotKernel): the portable Go loop, AVX2, AVX-512.
func BenchmarkBallotKernel(b *testing.B) {
	names := []string{kernelPortable: "portable", kernelAVX2: "avx2", kernelAVX512: "avx512"}
	defer func(k int) { ballotKernel = k }(ballotKernel)
	for _, k := range kernelsAvailable() {
		b.Run(names[k], func(b *testing.B) {
			ballotKernel = k
			provincialRound(b)
		})
	}
}

// BenchmarkBallotNumpyShape is the Go side of benchmarks/ballot_numpy.py:
// the same provincial round as BenchmarkBallot, reporting besides the time
// the mean votes per name and the share of invalid ballots, which the
// script compares with its own to show that both simulate the same round,
// and which voter loop ran (ballotKernel).
func BenchmarkBallotNumpyShape(b *testing.B) {
	const n, seats, present = 80, 69, 700
	w, cands := ballotBench(b, n, 0.86, 0.99)
	var votes int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.ballot(cands, seats, present)
		for _, c := range cands {
			votes += int64(w.list[c].votes)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*present), "ns/decision")
	b.ReportMetric(float64(votes)/float64(b.N*n), "votes/name")
	b.ReportMetric(float64(w.o.votes.Invalid)/float64(w.o.votes.Ballots), "invalid/ballot")
	b.ReportMetric(float64(ballotKernel), "loop") // 0 portable, 1 AVX2, 2 AVX-512
}

// BenchmarkBallotBareDraws is the floor for BenchmarkBallot: a loop that
// only draws the random numbers the ballot needs (one 64-bit draw per four
// decisions, stats.Quad) and consumes them, nothing else.
func BenchmarkBallotBareDraws(b *testing.B) {
	const n, present = 80, 700
	f := stats.NewFast(1)
	var sink uint64
	for i := 0; i < b.N; i++ {
		for v := 0; v < present; v++ {
			for k := 0; k < n; k += 4 {
				sink += f.Uint64()
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*present), "ns/decision")
	if sink == 42 {
		b.Log(sink)
	}
}

// BenchmarkBallotBareDraws32 draws one 64-bit number per two decisions:
// the floor of a ballot comparing a 32-bit uniform per decision (the
// kernel before stats.Quad, and the floor its goal was set against).
func BenchmarkBallotBareDraws32(b *testing.B) {
	const n, present = 80, 700
	f := stats.NewFast(1)
	var sink uint64
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
