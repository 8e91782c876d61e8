package sim

import (
	"testing"

	"simulate/configs"
	"simulate/scenario"
)

func compileEmbedded(b *testing.B, name string) *Model {
	b.Helper()
	data, _ := configs.Read(name)
	sc, err := scenario.Load(name, data, scenario.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := Compile(sc)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkSteadyTrial measures one national trial on a warmed-up worker,
// tallied as a run would: the steady state of a long run. allocs/op is the
// allocations per trial.
func BenchmarkSteadyTrial(b *testing.B) {
	for _, name := range []string{"teaching", "cpc20"} {
		b.Run(name, func(b *testing.B) {
			m := compileEmbedded(b, name)
			w, t := newWorker(m), newTally(m)
			for i := uint64(0); i < 20; i++ { // warm the buffers
				if err := w.runTrial(1, i); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := w.runTrial(1, uint64(i)); err != nil {
					b.Fatal(err)
				}
				t.add(&w.o)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}
