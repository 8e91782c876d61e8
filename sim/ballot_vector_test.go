package sim

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim/stats"
)

// Whole ballots give the same tallies and counts with every voter loop
// this CPU can run as with the portable one, from the same stream: every
// length from 1 to 40 names and some longer (every remainder of the
// element count modulo four and eight, fewer than one group), discipline
// 0, 0.7, 0.99 and 1, ballots where most voters over-mark. Ties (a lane
// equal to its threshold's top bits, 2^-15 a decision) occur tens of times
// in the longer ballots' 28,040 voters. One ballot of 140,000 voters
// crosses the tallies' chunks of 2^16 − 1 voters.
func TestBallotKernelsAgree(t *testing.T) {
	kernels := kernelsAvailable()
	if len(kernels) == 1 {
		t.Skip("no vector voter loop on this CPU or architecture")
	}
	defer func(k int) { ballotKernel = k }(ballotKernel)
	m := compileEmbedded(t, "cpc20")
	type shape struct{ n, present, calls int }
	var shapes []shape
	for n := 1; n <= 40; n++ {
		shapes = append(shapes, shape{n, 301, 10})
	}
	for _, n := range []int{45, 61, 80, 83, 150} {
		shapes = append(shapes, shape{n, 701, 40})
	}
	shapes = append(shapes, shape{13, 140_000, 1})
	for _, sh := range shapes {
		for _, d := range []float64{0, 0.7, 0.99, 1} {
			t.Run(fmt.Sprintf("n=%d/voters=%d/discipline=%v", sh.n, sh.present, d), func(t *testing.T) {
				e := *m.stages[m.electIdx].elect
				e.disciplineP = d
				m.stages[m.electIdx].elect = &e
				run := func(kernel int) ([]int32, ElectionCounts) {
					ballotKernel = kernel
					w := newWorker(m)
					stats.Reseed(w.pcg, 3, 0)
					w.list = make([]person, sh.n)
					w.tFor = make([]uint64, sh.n)
					w.qAbst = make([]float64, sh.n)
					cands := make([]int32, sh.n)
					for k := range cands {
						cands[k] = int32(k)
						w.tFor[k] = stats.Threshold32(0.97 - 0.3*float64(k)/float64(sh.n))
						w.qAbst[k] = 0.3
					}
					var votes []int32
					for range sh.calls {
						w.ballot(cands, max(1, sh.n*4/5), sh.present)
						for k := range cands {
							votes = append(votes, w.list[k].votes)
						}
					}
					return votes, w.o.votes
				}
				vp, op := run(kernelPortable)
				for _, k := range kernels[1:] {
					vk, ok := run(k)
					require.Equal(t, vp, vk, "votes per name, loop %d", k)
					assert.Equal(t, op, ok, "election counts, loop %d", k)
				}
			})
		}
	}
}

// The assembly reads voterBatch by these offsets.
func TestVoterBatchLayout(t *testing.T) {
	var b voterBatch
	off := []uintptr{
		unsafe.Offsetof(b.hi), unsafe.Offsetof(b.miss), unsafe.Offsetof(b.acc), unsafe.Offsetof(b.struck),
		unsafe.Offsetof(b.groups), unsafe.Offsetof(b.rest), unsafe.Offsetof(b.lanes), unsafe.Offsetof(b.seats),
		unsafe.Offsetof(b.discipline), unsafe.Offsetof(b.s), unsafe.Offsetof(b.v), unsafe.Offsetof(b.end),
		unsafe.Offsetof(b.invalid), unsafe.Offsetof(b.misses), unsafe.Offsetof(b.groups8), unsafe.Offsetof(b.rest8),
		unsafe.Offsetof(b.advance), unsafe.Offsetof(b.advance8),
		unsafe.Offsetof(b.lastStart), unsafe.Offsetof(b.lastBit), unsafe.Offsetof(b.dseed),
	}
	for i, o := range off {
		assert.Equal(t, uintptr(8*i), o, "field %d", i)
	}
}

// A ballot with no names counts its ballots and nothing else, with every
// voter loop.
func TestBallotNoNames(t *testing.T) {
	defer func(k int) { ballotKernel = k }(ballotKernel)
	for _, k := range kernelsAvailable() {
		ballotKernel = k
		m := compileEmbedded(t, "cpc20")
		w := newWorker(m)
		w.ballot(nil, 3, 50)
		assert.Equal(t, int64(50), w.o.votes.Ballots, "loop %d", k)
		assert.Zero(t, w.o.votes.Names+w.o.votes.Invalid, "loop %d", k)
	}
}
