package workflow

import (
	"testing"
)

// candidatePath is a candidate's full life in the teaching scenario, passing
// every stage after one further round: the steps a simulation takes per
// elected candidate.
func candidatePath(b *testing.B) (*Workflow, []Trigger) {
	sc, _ := loadEmbedded(b, "teaching")
	w, err := Build(sc)
	if err != nil {
		b.Fatal(err)
	}
	var path []Trigger
	for i := range w.Stages {
		if ft := w.CandidateFurtherRound(i); ft != NoTrigger {
			path = append(path, ft)
		}
		path = append(path, w.CandidatePass(i))
	}
	return w, path
}

// BenchmarkNext measures one transition through the compiled table.
func BenchmarkNext(b *testing.B) {
	w, path := candidatePath(b)
	m := w.Candidate
	s := m.Initial
	var err error
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(path)
		if k == 0 {
			s = m.Initial
		}
		if s, err = m.Next(s, path[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunnerFire measures one transition fired through stateless.
func BenchmarkRunnerFire(b *testing.B) {
	w, path := candidatePath(b)
	r := w.Candidate.newRunner()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(path)
		if k == 0 {
			r.reset(w.Candidate.Initial)
		}
		if err := r.fire(path[k]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRunner measures configuring a stateless machine (per worker,
// never per candidate).
func BenchmarkNewRunner(b *testing.B) {
	w, _ := candidatePath(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = w.Candidate.newRunner()
	}
}

// BenchmarkBuild measures building both machines from the teaching scenario.
func BenchmarkBuild(b *testing.B) {
	sc, _ := loadEmbedded(b, "teaching")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(sc); err != nil {
			b.Fatal(err)
		}
	}
}
