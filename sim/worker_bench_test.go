package sim

import (
	"testing"

	"simulate/configs"
	"simulate/scenario"
)

func compileEmbedded(b testing.TB, name string) *Model {
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

// BenchmarkStage measures each stage model alone on cpc20's largest unit
// (central Party and state organs, 293 seats): the list entering the stage
// is prepared once and restored before every call.
func BenchmarkStage(b *testing.B) {
	m := compileEmbedded(b, "cpc20")
	u := 0
	for i, um := range m.units {
		if um.seats > m.units[u].seats {
			u = i
		}
	}
	w := newWorker(m)
	if err := w.runTrial(1, 0); err != nil {
		b.Fatal(err)
	}
	// The list entering each stage, from one pass through the pipeline.
	entering := make([][]person, len(m.stages))
	w.list = w.list[:0]
	for s := range m.stages {
		entering[s] = append([]person(nil), w.list...)
		fi := 0
		if err := w.runStage(u, s, &fi); err != nil {
			b.Fatal(err)
		}
	}
	for s := range m.stages {
		st := &m.stages[s]
		b.Run(st.name+"-"+st.kind, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				w.list = append(w.list[:0], entering[s]...)
				fi := 0
				if err := w.runStage(u, s, &fi); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
