package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"simulate/sim/stats"
)

// turnoutRef is how a congress counted its present voters before they
// were counted two per draw (stats.Fast.CountBelow): one draw of the
// stage's stream per entitled voter against a 64-bit threshold. Kept as
// the reference the current count must equal in distribution.
func turnoutRef(w *worker, voters int, turnout float64) int {
	present := 0
	t := stats.Threshold(turnout)
	for range voters {
		if stats.Bernoulli(w.r, t) {
			present++
		}
	}
	return present
}

// turnoutNow is elect's count of present voters.
func turnoutNow(w *worker, voters int, turnout float64) int {
	present, _ := stats.NewFast(w.r.Uint64()).CountBelow(voters, stats.Threshold32(turnout))
	return present
}

// TestTurnoutEqualInDistribution compares the present count of elect with
// the previous method's on 2·10^5 congresses each: two-sample z-tests on
// the mean and on every tail P(present ≥ k) within four standard
// deviations of the mean, Bonferroni-corrected (|z| < 4.9).
func TestTurnoutEqualInDistribution(t *testing.T) {
	if testing.Short() {
		t.Skip("2·10^5 congresses per method")
	}
	const samples = 200_000
	for _, tc := range []struct {
		voters  int
		turnout float64
	}{{701, 0.95}, {120, 0.8}, {2300, 0.97}} {
		t.Run(fmt.Sprintf("%d/%v", tc.voters, tc.turnout), func(t *testing.T) {
			w := newWorker(compileEmbedded(t, "teaching"))
			draw := func(f func(*worker, int, float64) int, purpose uint64) []int {
				hist := make([]int, tc.voters+1)
				for i := range samples {
					stats.ReseedSubstream(w.pcg, stats.TrialKey(uint64(i), 1), purpose)
					hist[f(w, tc.voters, tc.turnout)]++
				}
				return hist
			}
			a, b := draw(turnoutRef, 1), draw(turnoutNow, 2)
			mean := func(h []int) (m, v float64) {
				for k, c := range h {
					m += float64(k) * float64(c)
				}
				m /= samples
				for k, c := range h {
					v += (float64(k) - m) * (float64(k) - m) * float64(c)
				}
				return m, v / (samples - 1)
			}
			ma, va := mean(a)
			mb, vb := mean(b)
			const zmax = 4.9
			require.Less(t, math.Abs(ma-mb)/math.Sqrt((va+vb)/samples), zmax, "mean %v vs %v", ma, mb)
			sd := math.Sqrt(float64(tc.voters) * tc.turnout * (1 - tc.turnout))
			ta, tb := 0, 0
			for k := tc.voters; k >= 0; k-- {
				ta += a[k]
				tb += b[k]
				if math.Abs(float64(k)-ma) > 4*sd {
					continue
				}
				pa, pb := float64(ta)/samples, float64(tb)/samples
				pool := (pa + pb) / 2
				if pool == 0 || pool == 1 {
					continue
				}
				z := (pa - pb) / math.Sqrt(pool*(1-pool)*2/samples)
				require.Less(t, math.Abs(z), zmax, "P(present ≥ %d): %v vs %v", k, pa, pb)
			}
		})
	}
}
