package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"simulate/sim/stats"
)

// ballotRef is the ballot kernel the engine used before the four-lane
// decisions (two 32-bit decisions per 64-bit draw, one tally increment and
// one mark per decision), kept as the reference the current kernel must
// equal in distribution (TestBallotEqualInDistribution). It writes the same
// results as worker.ballot: w.list[c].votes and the election counts.
func (w *worker) ballotRef(cands []int32, seats, present int) {
	e := w.m.stages[w.m.electIdx].elect
	n := len(cands)
	tFor := make([]uint64, n)
	struck := make([]int32, n)
	for k, c := range cands {
		w.list[c].votes = 0
		tFor[k] = w.tFor[c]
	}
	marks := make([]int32, n+1)
	votes := make([]int32, n)
	discipline := stats.Threshold32(e.disciplineP)
	f := stats.NewFast(w.r.Uint64())
	var invalid int64
	for v := 0; v < present; v++ {
		m := 0
		k := 0
		for ; k+1 < n; k += 2 {
			x := f.Uint64()
			a, b := b2i(x&0xffffffff < tFor[k]), b2i(x>>32 < tFor[k+1])
			votes[k] += int32(a)
			votes[k+1] += int32(b)
			marks[m] = int32(k)
			m += a
			marks[m] = int32(k + 1)
			m += b
		}
		if k < n {
			a := b2i(f.Uint64()&0xffffffff < tFor[k])
			votes[k] += int32(a)
			marks[m] = int32(k)
			m += a
		}
		if m > seats {
			keep := seats
			if f.Uint64()&0xffffffff >= discipline {
				invalid++
				keep = 0
			}
			for _, k := range marks[keep:m] {
				votes[k]--
				struck[k]++
			}
		}
	}
	abst, against := 0.0, 0.0
	for k, c := range cands {
		w.list[c].votes = votes[k]
		notFor := float64(present - int(votes[k]) - int(struck[k]))
		q := w.qAbst[c]
		abst += notFor * q
		against += notFor * (1 - q)
	}
	w.o.votes.Abstentions1e6 += int64(math.Round(abst * 1e6))
	w.o.votes.Against1e6 += int64(math.Round(against * 1e6))
	w.o.votes.Invalid += invalid
	w.o.votes.Names += int64(present) * int64(n)
	w.o.votes.Ballots += int64(present)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The four-lane ballot kernel draws different random numbers from the
// reference kernel (ballotRef) but must give the same law: every decision
// has the same probability (stats.TestQuadExhaustiveLanes proves it lane
// by lane) and the decisions stay independent, so per-name tallies after
// striking and voiding, the over-marking and invalid rates and the
// abstention tally must agree. Two-sample z-tests on 10^7 ballots per
// kernel (10^6 with -short), in calls of 1,000 voters, 40 names with
// probabilities 0.55–0.97 for 30 seats, so that about half the voters
// over-mark. With discipline 0 every over-marked ballot is void, so the
// invalid rate is the over-marking rate; with discipline 0.7 some are
// struck and some voided.
func TestBallotEqualInDistribution(t *testing.T) {
	ballots := 10_000_000
	if testing.Short() {
		ballots = 1_000_000
	}
	for _, d := range []float64{0, 0.7} {
		t.Run(fmt.Sprint("discipline=", d), func(t *testing.T) {
			cur := ballotMoments(t, (*worker).ballot, d, 2, ballots, nil)
			for _, ref := range []struct {
				name   string
				kernel func(w *worker, cands []int32, seats, present int)
			}{{"two-per-draw", (*worker).ballotRef}, {"four-lane, discipline from the decisions' stream", (*worker).ballotQuadRef}} {
				z := ballotMoments(t, ref.kernel, d, 1, ballots, nil).maxZ(cur)
				t.Logf("against the %s kernel: largest |z| %.2f (%s)", ref.name, z.z, z.name)
				assert.Less(t, math.Abs(z.z), ballotZMax, "against the %s kernel: %s: reference %.4f, current %.4f per call of %d ballots, z = %.2f",
					ref.name, z.name, z.ref, z.cur, ballotCall, z.z)
			}
			if d == 0 {
				// Over-marking happens: the test exercises the correction.
				assert.Greater(t, cur.mean(ballotNames), 0.3*ballotCall)
			}
		})
	}
}

// The same comparison rejects kernels that are slightly wrong: the
// discipline 0.68 instead of 0.7 (invalid ballots), or one name's "for"
// probability 0.3% too high, at 10^7 ballots.
func TestBallotEqualInDistributionRejectsWrongKernels(t *testing.T) {
	const ballots = 10_000_000
	ref := ballotMoments(t, (*worker).ballotQuadRef, 0.7, 1, ballots, nil)
	for _, tc := range []struct {
		name  string
		d     float64
		tweak func(w *worker)
	}{
		{"discipline 0.68", 0.68, nil},
		{"name 17 0.3% likelier", 0.7, func(w *worker) { w.tFor[17] = w.tFor[17] * 1003 / 1000 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := ballotMoments(t, (*worker).ballot, tc.d, 2, ballots, tc.tweak).maxZ(ref)
			t.Logf("largest |z| %.2f (%s)", z.z, z.name)
			assert.Greater(t, math.Abs(z.z), ballotZMax, "largest |z| %.2f (%s)", z.z, z.name)
		})
	}
}

// The distribution tests' ballot: calls of ballotCall voters, ballotNames
// names with probabilities 0.97 down to 0.55 for 30 seats, so that about
// half the voters over-mark. Bonferroni over the 42 statistics (votes of
// each name, invalid ballots, abstentions): family-wise error ≈ 4e-5.
const (
	ballotCall  = 1000
	ballotNames = 40
	ballotZMax  = 4.9
)

// ballotMoments runs kernel on ballots ballots (calls of ballotCall) at
// discipline d from the stream seed and returns the moments of each call's
// votes per name, invalid ballots and abstentions; tweak, if not nil,
// changes the worker before the first call.
func ballotMoments(t *testing.T, kernel func(w *worker, cands []int32, seats, present int), d float64, seed uint64, ballots int, tweak func(w *worker)) *moments {
	const n, seats = ballotNames, 30
	m := compileEmbedded(t, "cpc20")
	e := *m.stages[m.electIdx].elect
	e.disciplineP = d
	m.stages[m.electIdx].elect = &e
	w := newWorker(m)
	stats.Reseed(w.pcg, seed, 0)
	w.list = make([]person, n)
	w.tFor = make([]uint64, n)
	w.qAbst = make([]float64, n)
	cands := make([]int32, n)
	for k := range cands {
		cands[k] = int32(k)
		w.tFor[k] = stats.Threshold32(0.97 - 0.42*float64(k)/(n-1))
		w.qAbst[k] = 0.3
	}
	if tweak != nil {
		tweak(w)
	}
	mo := newMoments(n + 2)
	x := make([]float64, n+2)
	for range ballots / ballotCall {
		before := w.o.votes
		kernel(w, cands, seats, ballotCall)
		for k := range cands {
			x[k] = float64(w.list[k].votes)
		}
		x[n] = float64(w.o.votes.Invalid - before.Invalid)
		x[n+1] = float64(w.o.votes.Abstentions1e6-before.Abstentions1e6) / 1e6
		mo.add(x)
	}
	return mo
}

// zStat is the largest two-sample statistic between two runs of
// ballotMoments, and what it compares.
type zStat struct {
	name     string
	z        float64
	ref, cur float64
}

func (m *moments) maxZ(o *moments) zStat {
	var best zStat
	for k := range m.sum {
		name := fmt.Sprintf("votes of name %d", k)
		switch k {
		case ballotNames:
			name = "invalid ballots"
		case ballotNames + 1:
			name = "abstentions"
		}
		if z := m.z(o, k); math.Abs(z) >= math.Abs(best.z) {
			best = zStat{name: name, z: z, ref: m.mean(k), cur: o.mean(k)}
		}
	}
	return best
}

// moments accumulates the mean and variance of vector samples.
type moments struct {
	n       float64
	sum, sq []float64
}

func newMoments(k int) *moments {
	return &moments{sum: make([]float64, k), sq: make([]float64, k)}
}

func (m *moments) add(x []float64) {
	m.n++
	for i, v := range x {
		m.sum[i] += v
		m.sq[i] += v * v
	}
}

func (m *moments) mean(i int) float64 { return m.sum[i] / m.n }

func (m *moments) variance(i int) float64 {
	mu := m.mean(i)
	return (m.sq[i] - m.n*mu*mu) / (m.n - 1)
}

// z is the two-sample (Welch) statistic for equal means of component i.
func (m *moments) z(o *moments, i int) float64 {
	se := math.Sqrt(m.variance(i)/m.n + o.variance(i)/o.n)
	if se == 0 {
		return 0
	}
	return (m.mean(i) - o.mean(i)) / se
}

// A ballot longer than 4·maxQuads names counts each voter's marks in
// parts: with certain decisions the tallies are exact. Every voter marks
// every name and strikes the last five (discipline 1), or marks none.
func TestBallotOverLongList(t *testing.T) {
	const n, present = 4*maxQuads + 9, 3
	for _, tc := range []struct {
		p     float64
		seats int
	}{{1, n - 5}, {1, n}, {0, 1}} {
		t.Run(fmt.Sprintf("p=%v/seats=%d", tc.p, tc.seats), func(t *testing.T) {
			m := compileEmbedded(t, "cpc20")
			e := *m.stages[m.electIdx].elect
			e.disciplineP = 1
			m.stages[m.electIdx].elect = &e
			w := newWorker(m)
			w.list = make([]person, n)
			w.tFor = make([]uint64, n)
			w.qAbst = make([]float64, n)
			cands := make([]int32, n)
			for k := range cands {
				cands[k] = int32(k)
				w.tFor[k] = stats.Threshold32(tc.p)
			}
			w.ballot(cands, tc.seats, present)
			for k := range cands {
				want := int32(0)
				if tc.p == 1 && k < tc.seats {
					want = present
				}
				if w.list[k].votes != want {
					t.Fatalf("name %d: %d votes, want %d", k, w.list[k].votes, want)
				}
			}
			assert.Zero(t, w.o.votes.Invalid)
		})
	}
}
