package sim

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim/stats"
)

// Whole ballots give the same tallies and counts with and without the
// vector loop, from the same stream: lengths with and without a rest,
// discipline 0, 0.7 and 0.99, ballots where most voters over-mark.
func TestBallotVectorMatchesPortable(t *testing.T) {
	if !useVector {
		t.Skip("no vector loop on this CPU or architecture")
	}
	defer func(v bool) { useVector = v }(useVector)
	for _, n := range []int{3, 11, 16, 27, 80, 83, 150} {
		for _, d := range []float64{0, 0.7, 0.99, 1} {
			t.Run(fmt.Sprintf("n=%d/discipline=%v", n, d), func(t *testing.T) {
				run := func(vector bool) ([]int32, ElectionCounts) {
					useVector = vector
					m := compileEmbedded(t, "cpc20")
					e := *m.stages[m.electIdx].elect
					e.disciplineP = d
					m.stages[m.electIdx].elect = &e
					w := newWorker(m)
					stats.Reseed(w.pcg, 3, 0)
					w.list = make([]person, n)
					w.tFor = make([]uint64, n)
					w.qAbst = make([]float64, n)
					cands := make([]int32, n)
					for k := range cands {
						cands[k] = int32(k)
						w.tFor[k] = stats.Threshold32(0.97 - 0.3*float64(k)/float64(n))
						w.qAbst[k] = 0.3
					}
					var votes []int32
					for range 40 {
						w.ballot(cands, n*4/5, 701)
						for k := range cands {
							votes = append(votes, w.list[k].votes)
						}
					}
					return votes, w.o.votes
				}
				vp, op := run(false)
				vv, ov := run(true)
				require.Equal(t, vp, vv, "votes per name")
				assert.Equal(t, op, ov, "election counts")
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
		unsafe.Offsetof(b.invalid), unsafe.Offsetof(b.cnt),
	}
	for i, o := range off {
		assert.Equal(t, uintptr(8*i), o, "field %d", i)
	}
}
