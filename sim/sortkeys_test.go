package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// sortKeys must give exactly the order of a stable sort by key: inputs with
// many equal keys, already sorted, reversed, constant, and long enough to
// reach the heapsort fallback.
func TestSortKeysIsStableOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	gens := map[string]func(i, n int) float64{
		"random":   func(int, int) float64 { return r.NormFloat64() },
		"few keys": func(int, int) float64 { return float64(r.IntN(4)) },
		"sorted":   func(i, _ int) float64 { return float64(i) },
		"reversed": func(i, n int) float64 { return float64(n - i) },
		"constant": func(int, int) float64 { return 1 },
		"organ":    func(i, n int) float64 { return float64(min(i, n-i)) },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 3, 12, 13, 50, 293, 1000, 5000} {
			t.Run(fmt.Sprintf("%s/n=%d", name, n), func(t *testing.T) {
				ks := make([]sortKey, n)
				for i := range ks {
					ks[i] = sortKey{key: gen(i, n), idx: int32(i)}
				}
				r.Shuffle(n, func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
				want := slices.Clone(ks)
				slices.SortStableFunc(want, func(a, b sortKey) int {
					switch {
					case a.key < b.key:
						return -1
					case a.key > b.key:
						return 1
					}
					return int(a.idx - b.idx)
				})
				sortKeys(ks)
				require.Equal(t, want, ks)
			})
		}
	}
}

func TestHeapsortKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ks := make([]sortKey, 777)
	for i := range ks {
		ks[i] = sortKey{key: float64(r.IntN(50)), idx: int32(i)}
	}
	r.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
	heapsortKeys(ks)
	require.True(t, slices.IsSortedFunc(ks, func(a, b sortKey) int {
		if keyLess(a, b) {
			return -1
		}
		return 1
	}))
}

// cpc20's reserve list scores everyone as its preliminary list does, with
// only the public notice between them: it reuses the preliminary order,
// and the trials are identical to sorting again.
func TestReserveReusesPreliminaryOrder(t *testing.T) {
	m := compileEmbedded(t, "cpc20")
	reuse := map[string]int{}
	for s := range m.stages {
		if m.stages[s].reuseOrder >= 0 {
			reuse[m.stages[s].name] = m.stages[s].reuseOrder
		}
	}
	require.Len(t, reuse, 1)
	require.Contains(t, reuse, "reserve")
	require.Equal(t, "preliminary", m.stages[reuse["reserve"]].name)

	sorted := compileEmbedded(t, "cpc20")
	for s := range sorted.stages {
		sorted.stages[s].reuseOrder = -1
	}
	a, b := newWorker(m), newWorker(sorted)
	for trial := uint64(0); trial < 30; trial++ {
		require.NoError(t, a.runTrial(3, trial))
		require.NoError(t, b.runTrial(3, trial))
		require.Equal(t, b.o, a.o, "trial %d", trial)
	}
}

// Counting a filtered or selected list from the previous stage's counts
// less the people dropped gives exactly the counts of the whole list.
func TestIncrementalCountsMatchFullCounts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		trials uint64
	}{{"cpc20", 20}, {"teaching", 300}, {"union", 100}} {
		t.Run(tc.name, func(t *testing.T) {
			m := compileEmbedded(t, tc.name)
			a, b := newWorker(m), newWorker(m)
			b.fullCounts = true
			for trial := range tc.trials {
				require.NoError(t, a.runTrial(9, trial))
				require.NoError(t, b.runTrial(9, trial))
				require.Equal(t, b.o.count, a.o.count, "trial %d", trial)
				require.Equal(t, b.o, a.o, "trial %d", trial)
			}
		})
	}
}

// Selecting and topping up nominee lists with per-type quota masks choose
// exactly as the quota loops.
func TestMaskedSelectionMatchesLoops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		trials uint64
	}{{"cpc20", 20}, {"teaching", 300}, {"union", 100}} {
		t.Run(tc.name, func(t *testing.T) {
			masked, loops := compileEmbedded(t, tc.name), compileEmbedded(t, tc.name)
			n := 0
			for s := range loops.stages {
				if loops.stages[s].quotaMask != nil {
					n++
				}
				loops.stages[s].quotaMask = nil
			}
			require.Positive(t, n, "some select or nominate stage has quotas")
			a, b := newWorker(masked), newWorker(loops)
			for trial := range tc.trials {
				require.NoError(t, a.runTrial(4, trial))
				require.NoError(t, b.runTrial(4, trial))
				require.Equal(t, b.o, a.o, "trial %d", trial)
			}
		})
	}
}
