package sim_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"simulate/sim"
)

// BenchmarkTrial measures one whole trial (every unit, every stage, every
// voter's ballot) on one goroutine; trials/s is 1e9 / ns/op.
func BenchmarkTrial(b *testing.B) {
	for _, name := range []string{"teaching", "union", "cpc20"} {
		b.Run(name, func(b *testing.B) {
			sc := embedded(b, name)
			m, err := sim.Compile(sc)
			require.NoError(b, err)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(context.Background(), m, sim.Options{Trials: 1, Seed: 1, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRunCPC20 measures a 200-trial run of the default scenario with one
// and two workers, reporting trials per second.
func BenchmarkRunCPC20(b *testing.B) {
	sc := embedded(b, "cpc20")
	m, err := sim.Compile(sc)
	require.NoError(b, err)
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			const trials = 200
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(context.Background(), m, sim.Options{Trials: trials, Seed: uint64(i), Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(trials*b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}

// BenchmarkCompile measures building the model (types, predicates, alias
// tables, machines) of the default scenario.
func BenchmarkCompile(b *testing.B) {
	sc := embedded(b, "cpc20")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := sim.Compile(sc); err != nil {
			b.Fatal(err)
		}
	}
}
