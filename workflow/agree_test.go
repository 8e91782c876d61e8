package workflow

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

// loadEmbedded loads an embedded scenario with the package's loader (which
// applies defaults and validates). The teaching scenario must load; another
// one that does not is skipped with a log line, since configs/ is being
// edited concurrently.
func loadEmbedded(t testing.TB, name string) (*scenario.Scenario, bool) {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok, name)
	sc, err := scenario.Load(name+".yaml", data, scenario.Options{})
	if err != nil {
		if name == "teaching" {
			require.NoError(t, err)
		}
		t.Logf("skipping scenario %s: %v", name, err)
		return nil, false
	}
	return sc, true
}

// TestRunnerAgreesWithTable proves that the stateless definition (runner.fire),
// the compiled table (Machine.Next) the simulation fires on and the drawn
// diagrams (DOT and Mermaid) are the same machine, for every embedded
// scenario and the scenarios built in Go: exhaustively over every (state,
// trigger) pair, then along long random walks.
func TestRunnerAgreesWithTable(t *testing.T) {
	type named struct {
		name string
		sc   *scenario.Scenario
	}
	scs := []named{{"go:five", fiveStages()}, {"go:reordered", reordered()}}
	for _, name := range configs.Names() {
		if sc, ok := loadEmbedded(t, name); ok {
			scs = append(scs, named{name, sc})
		}
	}
	for _, n := range scs {
		w, err := Build(n.sc)
		require.NoError(t, err, n.name)
		for _, m := range []*Machine{w.Unit, w.Candidate} {
			t.Run(n.name+"/"+m.Name, func(t *testing.T) {
				agreeExhaustive(t, m)
				agreeRandomWalk(t, m, 20000)
				agreeDiagrams(t, m)
			})
		}
	}
}

// agreeExhaustive fires every trigger (and two out-of-range ones) in every
// state through both paths, and checks Permitted and Terminal against
// stateless's own PermittedTriggers.
func agreeExhaustive(t *testing.T, m *Machine) {
	r := m.newRunner()
	for s := range State(len(m.States)) {
		r.reset(s)
		perm, err := r.sm.PermittedTriggers()
		require.NoError(t, err)
		var want []string
		for _, p := range perm {
			want = append(want, fmt.Sprint(p))
		}
		var got []string
		for _, tr := range m.permitted(s) {
			got = append(got, m.Triggers[tr])
		}
		slices.Sort(want)
		slices.Sort(got)
		require.Equal(t, want, got, "permitted in %s", m.States[s])
		require.Equal(t, len(want) == 0, m.Terminal(s), "terminal %s", m.States[s])

		for tr := Trigger(-1); tr <= Trigger(len(m.Triggers)); tr++ {
			r.reset(s)
			compare(t, m, r, s, tr)
		}
	}
}

// agreeDiagrams requires the edges of both diagrams to be exactly the
// table's permitted cells: a DOT line per (from, to) pair carrying each of
// its triggers, and a Mermaid line per (from, trigger, to).
func agreeDiagrams(t *testing.T, m *Machine) {
	for _, s := range m.States {
		require.True(t, plainID(s) && !dotKeyword[strings.ToLower(s)] && !mermaidKeyword[strings.ToLower(s)], "state %q", s)
	}
	wantDOT := map[string][]string{}
	var wantMMD []string
	for s := range State(len(m.States)) {
		for tr := range Trigger(len(m.Triggers)) {
			to, err := m.Next(s, tr)
			if err != nil {
				continue
			}
			pair := m.States[s] + " -> " + m.States[to]
			wantDOT[pair] = append(wantDOT[pair], m.Triggers[tr])
			wantMMD = append(wantMMD, m.States[s]+" --> "+m.States[to]+" : "+m.Triggers[tr])
		}
	}
	gotDOT := map[string]string{}
	for _, l := range strings.Split(m.DOT(), "\n") {
		l = strings.TrimSpace(l)
		from, rest, ok := strings.Cut(l, " -> ")
		if !ok || strings.HasPrefix(from, "init") {
			continue
		}
		to, label, _ := strings.Cut(rest, " ")
		gotDOT[from+" -> "+to] = label
	}
	require.Len(t, gotDOT, len(wantDOT), "DOT edges")
	for pair, trs := range wantDOT {
		label, ok := gotDOT[pair]
		require.True(t, ok, "DOT lacks %s", pair)
		for _, tr := range trs {
			require.Contains(t, label, ">"+tr+"<", pair)
		}
	}
	var gotMMD []string
	for _, l := range strings.Split(m.Mermaid(), "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, " : ") {
			gotMMD = append(gotMMD, l)
		}
	}
	require.ElementsMatch(t, wantMMD, gotMMD, "Mermaid edges")
	require.Len(t, m.Edges(), len(wantMMD))
}

// agreeRandomWalk fires random triggers, mostly permitted ones, resetting at
// terminal states (to the initial state or, one time in four, to a random
// non-terminal state).
func agreeRandomWalk(t *testing.T, m *Machine, steps int) {
	rng := rand.New(rand.NewPCG(20260, uint64(len(m.States))))
	r := m.newRunner()
	var live []State
	for s := range State(len(m.States)) {
		if !m.Terminal(s) {
			live = append(live, s)
		}
	}
	s := m.Initial
	r.reset(s)
	legal, illegal := 0, 0
	for range steps {
		var tr Trigger
		if p := m.permitted(s); len(p) > 0 && rng.IntN(3) > 0 {
			tr = p[rng.IntN(len(p))]
		} else {
			tr = Trigger(rng.IntN(len(m.Triggers)+2) - 1)
		}
		next, ok := compare(t, m, r, s, tr)
		if ok {
			legal++
		} else {
			illegal++
		}
		s = next
		if m.Terminal(s) {
			s = m.Initial
			if rng.IntN(4) == 0 {
				s = live[rng.IntN(len(live))]
			}
			r.reset(s)
		}
	}
	require.Positive(t, legal)
	require.Positive(t, illegal)
	t.Logf("%d steps: %d legal, %d illegal", steps, legal, illegal)
}

// compare fires tr in s through the table and the runner (already in s) and
// requires the same outcome: the same next state, or the same error with the
// state unchanged.
func compare(t *testing.T, m *Machine, r *runner, s State, tr Trigger) (State, bool) {
	require.Equal(t, s, r.state())
	next, nerr := m.Next(s, tr)
	ferr := r.fire(tr)
	where := fmt.Sprintf("%s --%s-->", m.stateName(s), m.triggerName(tr))
	if nerr != nil {
		require.Error(t, ferr, where)
		require.Equal(t, nerr.Error(), ferr.Error(), where)
		require.ErrorIs(t, ferr, ErrNotPermitted, where)
		require.Equal(t, s, next, where)
		require.Equal(t, s, r.state(), where)
		return s, false
	}
	require.NoError(t, ferr, where)
	require.Equal(t, m.stateName(next), m.stateName(r.state()), where)
	return next, true
}

// TestConcurrentRunners shares one Machine between goroutines, each with its
// own runner, walking every candidate through all stages by both paths (run
// with -race).
func TestConcurrentRunners(t *testing.T) {
	w, err := Build(fiveStages())
	require.NoError(t, err)
	m := w.Candidate
	const workers = 4
	errs := make(chan error, workers)
	for range workers {
		go func() {
			r := m.newRunner()
			for range 500 {
				r.reset(m.Initial)
				s := m.Initial
				for i := range w.Stages {
					var err error
					if s, err = m.Next(s, w.CandidatePass(i)); err != nil {
						errs <- err
						return
					}
					if err := r.fire(w.CandidatePass(i)); err != nil {
						errs <- err
						return
					}
					if r.state() != s {
						errs <- fmt.Errorf("runner in %s, table in %s", m.stateName(r.state()), m.stateName(s))
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		require.NoError(t, <-errs)
	}
}
