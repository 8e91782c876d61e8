package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"simulate/sim/stats"
)

// vetoesRef is how a filter stage decided its vetoes before they were drawn
// from an inlined generator (stageModel.vetoReason): one draw of the
// stage's stream per person and veto tested. It writes each person's reason
// index (-1: kept) to reasons. Kept as the reference the current method must
// equal in distribution.
func vetoesRef(w *worker, st *stageModel, types []int32, reasons []int) {
	for i, typ := range types {
		reasons[i] = -1
		for _, v := range st.vetoes {
			if v.match != nil && !v.match[typ] {
				continue
			}
			if stats.Bernoulli(w.r, v.threshold) {
				reasons[i] = v.reasonIdx
				break
			}
		}
	}
}

// vetoesNow is filter's decision: a generator seeded from the stage's
// stream, then vetoReason per person.
func vetoesNow(w *worker, st *stageModel, types []int32, reasons []int) {
	f := stats.NewFast(w.r.Uint64())
	for i, typ := range types {
		reasons[i], f = st.vetoReason(typ, f)
	}
}

// testVetoStage has three vetoes with reasons 0, 1, 2; the second applies
// to type 1 only, as cpc20's regulator veto applies to managers only.
func testVetoStage(rates [3]float64) *stageModel {
	st := &stageModel{}
	for j, r := range rates {
		v := vetoModel{reasonIdx: j, rate: r, threshold: stats.Threshold(r)}
		if j == 1 {
			v.match = []bool{false, true}
		}
		st.vetoes = append(st.vetoes, v)
	}
	return st
}

// vetoLaw is the exact probability that a person of type typ is dropped for
// each reason (index 0..2) or kept (index 3): the first veto that applies and
// drops decides.
func vetoLaw(st *stageModel, typ int32) [4]float64 {
	var law [4]float64
	keep := 1.0
	for _, v := range st.vetoes {
		if v.match != nil && !v.match[typ] {
			continue
		}
		law[v.reasonIdx] = keep * v.rate
		keep *= 1 - v.rate
	}
	law[3] = keep
	return law
}

// Every person's reason against its exact law: 10^6 people of each type,
// every outcome's frequency within 5 standard errors.
func TestVetoReasonExactLaw(t *testing.T) {
	for _, rates := range [][3]float64{{0.3, 0.2, 0.1}, {0.005, 0.02, 0.01}, {0, 1, 0.5}, {1, 0.5, 0.5}} {
		st := testVetoStage(rates)
		for _, typ := range []int32{0, 1} {
			t.Run(fmt.Sprintf("%v/type%d", rates, typ), func(t *testing.T) {
				const n = 1_000_000
				var hist [4]int
				f := stats.NewFast(uint64(typ) + 7)
				for range n {
					var r int
					r, f = st.vetoReason(typ, f)
					if r < 0 {
						r = 3
					}
					hist[r]++
				}
				for k, p := range vetoLaw(st, typ) {
					se := math.Sqrt(p * (1 - p) / n)
					require.InDelta(t, p, float64(hist[k])/n, 5*se+1e-12, "outcome %d", k)
				}
			})
		}
	}
}

// vetoSample is, for each of samples stages of a list of people of the
// given types, the number dropped for each reason (0..2) and in all (3).
func vetoSample(w *worker, st *stageModel, types []int32, samples int, purpose uint64,
	method func(*worker, *stageModel, []int32, []int)) [4][]int {
	reasons := make([]int, len(types))
	var out [4][]int
	for k := range out {
		out[k] = make([]int, samples)
	}
	for i := range samples {
		stats.ReseedSubstream(w.pcg, stats.TrialKey(uint64(i), 1), purpose)
		method(w, st, types, reasons)
		for _, r := range reasons {
			if r >= 0 {
				out[r][i]++
				out[3][i]++
			}
		}
	}
	return out
}

// vetoZ is the largest |z| of two-sample tests between a and b: on the mean
// number dropped for each reason and in all, and on every tail
// P(dropped ≥ k) of each of those counts with a pooled proportion strictly
// between 0 and 1.
func vetoZ(a, b [4][]int) (float64, string) {
	worst, what := 0.0, ""
	for c := range a {
		n := float64(len(a[c]))
		mean := func(xs []int) (m, v float64) {
			for _, x := range xs {
				m += float64(x)
			}
			m /= n
			for _, x := range xs {
				v += (float64(x) - m) * (float64(x) - m)
			}
			return m, v / (n - 1)
		}
		ma, va := mean(a[c])
		mb, vb := mean(b[c])
		if va+vb > 0 {
			if z := math.Abs(ma-mb) / math.Sqrt((va+vb)/n); z > worst {
				worst, what = z, fmt.Sprintf("count %d: mean %v vs %v", c, ma, mb)
			}
		}
		hist := func(xs []int) map[int]int {
			h := map[int]int{}
			for _, x := range xs {
				h[x]++
			}
			return h
		}
		ha, hb := hist(a[c]), hist(b[c])
		top := 0
		for _, x := range append(append([]int(nil), a[c]...), b[c]...) {
			top = max(top, x)
		}
		ta, tb := 0, 0
		for k := top; k >= 1; k-- {
			ta += ha[k]
			tb += hb[k]
			pa, pb := float64(ta)/n, float64(tb)/n
			pool := (pa + pb) / 2
			if pool <= 0 || pool >= 1 || ta+tb < 20 {
				continue
			}
			if z := math.Abs(pa-pb) / math.Sqrt(pool*(1-pool)*2/n); z > worst {
				worst, what = z, fmt.Sprintf("count %d: P(≥ %d) %v vs %v", c, k, pa, pb)
			}
		}
	}
	return worst, what
}

// TestVetoesEqualInDistribution compares the current vetoes with the
// previous per-draw method on 2·10^5 filter stages each (60 people, half of
// them subject to the second veto): two-sample z-tests on the mean number
// dropped for each reason and in all, and on every tail of those counts,
// Bonferroni-corrected (|z| < 4.9). The same tests must reject methods that
// are slightly wrong (a rate 5% high, a veto applied to everyone, vetoes in
// the wrong order), so they can fail.
func TestVetoesEqualInDistribution(t *testing.T) {
	if testing.Short() {
		t.Skip("2·10^5 filter stages per method")
	}
	const samples = 200_000
	const zmax = 4.9
	rates := [3]float64{0.005, 0.02, 0.01} // cpc20's inspection
	types := make([]int32, 60)
	for i := range types {
		types[i] = int32(i % 2)
	}
	w := newWorker(compileEmbedded(t, "teaching"))
	st := testVetoStage(rates)
	ref := vetoSample(w, st, types, samples, 1, vetoesRef)
	wide := testVetoStage([3]float64{0.3, 0.2, 0.1})
	reversed := testVetoStage([3]float64{0.3, 0.2, 0.1})
	reversed.vetoes[0], reversed.vetoes[2] = reversed.vetoes[2], reversed.vetoes[0]
	everyone := testVetoStage(rates)
	everyone.vetoes[1].match = nil
	for _, tc := range []struct {
		name     string
		ref, now *stageModel
		equal    bool
	}{
		{"current", st, st, true},
		{"current, high rates", wide, wide, true},
		{"mutant: second rate 5% high", st, testVetoStage([3]float64{rates[0], rates[1] * 1.05, rates[2]}), false},
		{"mutant: second veto for everyone", st, everyone, false},
		{"mutant: vetoes in reverse order", wide, reversed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ref
			if tc.ref != st {
				a = vetoSample(w, tc.ref, types, samples, 1, vetoesRef)
			}
			b := vetoSample(w, tc.now, types, samples, 2, vetoesNow)
			z, what := vetoZ(a, b)
			t.Logf("largest |z| %.1f (%s)", z, what)
			if tc.equal {
				require.Less(t, z, zmax, what)
			} else {
				require.Greater(t, z, zmax, "the tests did not tell a wrong method apart")
			}
		})
	}
}
