package stats_test

import (
	"fmt"
	"log"

	"simulate/sim/stats"
)

func ExampleStream() {
	// Trial 7 of a run with seed 42 draws the same numbers whichever
	// worker runs it, and in whatever order trials are scheduled.
	a := stats.Stream(42, 7)
	b := stats.Stream(42, 7)
	fmt.Println(a.Uint64() == b.Uint64(), a.Float64() == b.Float64())

	// Neighbouring trials get unrelated streams.
	fmt.Println(stats.Stream(42, 8).Uint64() == stats.Stream(42, 7).Uint64())
	// Output:
	// true true
	// false
}

func ExampleBernoulli() {
	r := stats.Stream(1, 0)
	t := stats.Threshold(0.3) // once, when the model is compiled
	hits := 0
	for range 100000 {
		if stats.Bernoulli(r, t) {
			hits++
		}
	}
	fmt.Printf("%.2f\n", float64(hits)/100000)
	fmt.Println(stats.Bernoulli(r, stats.Threshold(1)), stats.Bernoulli(r, stats.Threshold(0)))
	// Output:
	// 0.30
	// true false
}

func ExampleNewAlias() {
	a, err := stats.NewAlias([]float64{1, 0, 3})
	if err != nil {
		log.Fatal(err)
	}
	r := stats.Stream(2, 0)
	var counts [3]int
	for range 100000 {
		counts[a.Sample(r)]++
	}
	fmt.Printf("%.2f %.2f %.2f\n", float64(counts[0])/100000, float64(counts[1])/100000, float64(counts[2])/100000)

	_, err = stats.NewAlias([]float64{0, 0})
	fmt.Println(err)
	// Output:
	// 0.25 0.00 0.75
	// stats: all weights are zero
}

func ExampleWilson() {
	z := stats.ZForConfidence(0.95)
	for _, s := range []int64{0, 5, 10} {
		lo, hi := stats.Wilson(s, 10, z)
		fmt.Printf("%2d/10: [%.4f, %.4f]\n", s, lo, hi)
	}
	// Output:
	//  0/10: [0.0000, 0.2775]
	//  5/10: [0.2366, 0.7634]
	// 10/10: [0.7225, 1.0000]
}

func ExampleHypergeometric() {
	// 12 seats filled from 100 nominees of whom 30 are women, at random:
	// how likely are at least 6 women?
	h, err := stats.NewHypergeometric(100, 30, 12)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("P(X = 6)  = %.6f\n", h.PMF(6))
	fmt.Printf("P(X ≤ 5)  = %.6f\n", h.CDF(5))
	fmt.Printf("P(X ≥ 6)  = %.6f\n", h.Survival(6))
	// Output:
	// P(X = 6)  = 0.074116
	// P(X ≤ 5)  = 0.896500
	// P(X ≥ 6)  = 0.103500
}

func ExampleBinomialSurvival() {
	// Probability of at least 60 heads in 100 fair tosses.
	fmt.Printf("%.6g\n", stats.BinomialSurvival(100, 0.5, 60))
	// Output:
	// 0.028444
}

func ExampleShareHist() {
	// Each worker fills its own histogram; merging is exact, so the
	// result does not depend on how trials were split.
	var w1, w2 stats.ShareHist
	for _, v := range []float64{0.30, 0.35, 0.40} {
		w1.Add(v)
	}
	for _, v := range []float64{0.25, 0.45} {
		w2.Add(v)
	}
	total := stats.NewShareHist()
	total.Merge(&w2)
	total.Merge(&w1)
	fmt.Println(total.Count(), total.Mean(), total.Min(), total.Max())
	fmt.Println(total.Quantile(0.05), total.Quantile(0.5), total.Quantile(0.95))
	// Output:
	// 5 0.35 0.25 0.45
	// 0.25 0.35 0.45
}
