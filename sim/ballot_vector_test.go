package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/sim/stats"
)

// The vector loop makes the same draws as voterDraws and gives the same
// marks, tallies, counts, tie flags and generator, for every length (whole
// groups of four elements and a rest), thresholds of every kind (never,
// always, random) and lanes that tie: some thresholds are set to the very
// lanes the generator is about to draw, so ties occur in every case.
func TestVoterDrawsVectorMatchesPortable(t *testing.T) {
	if !useVector {
		t.Skip("no vector loop on this CPU or architecture")
	}
	src := stats.NewFast(7)
	for _, n := range []int{0, 1, 3, 4, 5, 7, 8, 20, 21, 63, 64, 257} {
		for _, kind := range []string{"random", "never", "always", "ties", "random-ties"} {
			t.Run(fmt.Sprintf("n=%d/%s", n, kind), func(t *testing.T) {
				for rep := range 50 {
					f := stats.NewFast(src.Uint64())
					ahead := f
					hi := make([]uint64, n)
					for i := range hi {
						x := ahead.Uint64() // the draw element i will get
						switch kind {
						case "random":
							hi[i] = src.Uint64() & 0x7fff_7fff_7fff_7fff
						case "never":
						case "always":
							hi[i] = 0x7fff_7fff_7fff_7fff
						case "ties":
							hi[i] = x & 0x7fff_7fff_7fff_7fff
						case "random-ties":
							// Some lanes tie, the others are random.
							r, keep := src.Uint64()&0x7fff_7fff_7fff_7fff, src.Uint64()&0xffff_ffff_ffff_ffff
							mask := keep & 0x8000_8000_8000_8000 >> 15 * 0xffff
							hi[i] = x&0x7fff_7fff_7fff_7fff&mask | r&^mask
						}
					}
					acc0 := make([]uint64, n)
					for i := range acc0 {
						acc0[i] = src.Uint64() & 0x3fff_3fff_3fff_3fff
					}
					missP, accP := make([]uint64, n), append([]uint64(nil), acc0...)
					missV, accV := make([]uint64, n), append([]uint64(nil), acc0...)
					cntP, tieP, fP := voterDraws(hi, missP, accP, f)
					cntV, tieV, fV := voterDrawsVector(hi, missV, accV, f)
					require.Equal(t, missP, missV, "marks, repetition %d", rep)
					require.Equal(t, accP, accV, "tallies, repetition %d", rep)
					require.Equal(t, cntP, cntV, "counts, repetition %d", rep)
					require.Equal(t, tieP&stats.QuadGuard, tieV&stats.QuadGuard, "tie flags, repetition %d", rep)
					require.Equal(t, fP, fV, "generator, repetition %d", rep)
					if kind == "ties" && n > 0 {
						require.NotEqual(t, uint64(stats.QuadGuard), tieV&stats.QuadGuard, "every lane tied")
					}
				}
			})
		}
	}
}

// Whole ballots give the same tallies and counts with and without the
// vector loop, from the same stream: lengths with and without a rest,
// discipline 0, 0.7 and 0.99, ballots where most voters over-mark.
func TestBallotVectorMatchesPortable(t *testing.T) {
	if !useVector {
		t.Skip("no vector loop on this CPU or architecture")
	}
	defer func(v bool) { useVector = v }(useVector)
	for _, n := range []int{3, 16, 80, 83, 150} {
		for _, d := range []float64{0, 0.7, 0.99} {
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
