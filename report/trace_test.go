package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
	"simulate/sim"
)

func loadEmbedded(t *testing.T, name string, sets ...string) (*scenario.Scenario, *sim.Model) {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok, name)
	return loadScenario(t, name, data, sets...)
}

func loadScenario(t *testing.T, name string, data []byte, sets ...string) (*scenario.Scenario, *sim.Model) {
	t.Helper()
	sc, err := scenario.Load(name, data, scenario.Options{Sets: sets})
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	return sc, m
}

func traceEvents(t *testing.T, m *sim.Model, seed, trial uint64) []sim.Event {
	t.Helper()
	var events []sim.Event
	require.NoError(t, sim.Trace(m, seed, trial, func(e sim.Event) { events = append(events, e) }))
	return events
}

// club is a one-unit scenario whose variants force every path of the
// engine: a select stage from the targets, a filter, a congress.
const club = `
name: club
quota: 7
traits:
  - name: gender
    values: [man, woman]
  - name: age
    values: [young, old]
pool:
  - trait: gender
    shares: {man: 0.7, woman: 0.3}
  - trait: age
    shares: {young: 0.4, old: 0.6}
units:
  - name: Club
    seats: 7
    entitled_voters: 80
stages:
  - name: nomination
    nominate: {mode: expanded, ratio: 1}
  - name: check
    filter:
      vetoes:
        - {reason: arrears, rate: 0.1}
        - {reason: conflict, rate: 0.1, when: {age: [old]}}
  - name: slate
    select:
      size: {ballot: true}
      from_targets: true
  - name: election
    elect:
      surplus: 0.25
      voters: {approval: 0.75, appeal_sd: 0.5, discipline: 0.95}
      further_rounds: 1
      revotes: 1
targets:
  - name: women
    when: {gender: [woman]}
    min_share: 0.4
  - name: young_each
    when: {age: [young]}
    min_count: 2
    scope: each
  - name: old_cap
    when: {age: [old]}
    max_share: 0.7
shares:
  - name: women
    when: {gender: [woman]}
  - name: young_women
    when: {gender: [woman]}
    of: {age: [young]}
`

// agreement is what the run counted over a range of trials next to what
// the traces of the same trials show, both as plain sums.
type agreement struct {
	sc    *scenario.Scenario
	tally *sim.Tally
	res   *sim.Result
}

// TestTraceAgreesWithRun traces every trial of several runs and checks that
// what the narrative shows (its events grouped as TraceText groups them)
// adds up to exactly what sim.RunTally counted for the same trials: list
// sizes in and out per stage and unit, each target's and share's count,
// drops by reason, elected per unit, shortfalls, vacancies, further rounds,
// congresses without quorum and each target's verdict, per unit too.
func TestTraceAgreesWithRun(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte // nil: the embedded scenario name
		trials int
		sets   []string
		forces []string // what some trial must show: see checkAgreement's markers
	}{
		{"teaching", nil, 120, nil, nil},
		{"union", nil, 40, nil, nil},
		{"cpc20", nil, 2, nil, []string{"central", "uncontested"}},
		// Low turnout: congresses without quorum, further rounds and vacancies.
		{"teaching", nil, 60, []string{"units[0].turnout=0.56", "stages[name=election].elect.revotes=0"}, []string{"no quorum", "further"}},
		{"club", []byte(club), 100, nil, nil},
		{"club", []byte(club), 80, []string{"units[0].turnout=0.52"}, []string{"no quorum"}},
		{"club", []byte(club), 80, []string{"stages[name=election].elect.voters.approval=0.35"}, []string{"further", "vacancies"}},
		{"club", []byte(club), 60, []string{"units[0].uncontested=true"}, []string{"uncontested"}},
		{"club", []byte(club), 60, []string{"units[0].central=2", "stages[name=election].elect.central_appeal=1"}, []string{"central"}},
		{"club", []byte(club), 60, []string{"units[0].entitled_voters=9", "units[0].turnout=1"}, []string{"revote", "lot"}},
		{"club", []byte(club), 60, []string{"stages[name=nomination].nominate={mode: expanded, ratio: 0.3, from_targets: true}"}, []string{"replaced"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.name, tc.sets), func(t *testing.T) {
			var sc *scenario.Scenario
			var m *sim.Model
			if tc.data == nil {
				sc, m = loadEmbedded(t, tc.name, tc.sets...)
			} else {
				sc, m = loadScenario(t, tc.name, tc.data, tc.sets...)
			}
			const seed = 11
			tally, err := sim.RunTally(context.Background(), m, sim.Options{Trials: tc.trials, Seed: seed, Workers: 1})
			require.NoError(t, err)
			seen := checkAgreement(t, &agreement{sc: sc, tally: tally, res: tally.Result()}, m, seed, tc.trials)
			for _, f := range tc.forces {
				assert.True(t, seen[f], "no trial shows %s", f)
			}
		})
	}
}

// checkAgreement returns the markers of what the trials showed: no quorum,
// further, vacancies, uncontested, central, revote, lot, replaced.
func checkAgreement(t *testing.T, a *agreement, m *sim.Model, seed uint64, trials int) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	sc := a.sc
	S, U := len(sc.Stages), len(sc.Units)
	in, out, short := make([]int64, S*U), make([]int64, S*U), make([]int64, S*U)
	compNum := make([]int64, S*len(sc.Shares))
	drops := make([]map[string]int64, S)
	for s := range drops {
		drops[s] = map[string]int64{}
	}
	met := make([]int64, len(sc.Targets))
	unitMisses := make([][]int64, len(sc.Targets))
	for i := range unitMisses {
		unitMisses[i] = make([]int64, U)
	}
	var seated, vacancies, failed, further int64
	for trial := 0; trial < trials; trial++ {
		events := traceEvents(t, m, seed, uint64(trial))
		log, err := NewTraceLog(sc, events, seed, uint64(trial), "test", nil)
		require.NoError(t, err)
		units, err := group(sc, log.Events)
		require.NoError(t, err)
		ids := map[int]bool{}
		for _, e := range events {
			switch {
			case e.Kind == sim.EventCentral:
				seen["central"] = true
			case e.Kind == sim.EventLot:
				seen["lot"] = true
			case e.Kind == sim.EventRound && e.Round == sim.RoundRevote:
				seen["revote"] = true
			case e.Kind == sim.EventRound && e.Round == sim.RoundFurther:
				seen["further"] = true
			case e.Kind == sim.EventVacancies && e.Seats > 0:
				seen["vacancies"] = true
			case e.Kind == sim.EventCongress && !*e.Met:
				seen["no quorum"] = true
			case e.Kind == sim.EventCongress && sc.Units[slices.IndexFunc(sc.Units, func(u scenario.Unit) bool { return u.Name == e.Unit })].Uncontested:
				seen["uncontested"] = true
			case e.Outcome == sim.OutcomeReplaced:
				seen["replaced"] = true
			}
			if e.Person != nil && (e.Kind == sim.EventCentral || e.Outcome == sim.OutcomeReplaced ||
				(e.Kind == sim.EventCandidate && sc.Stages[stageIndex(sc, e.Stage)].Nominate != nil)) {
				require.False(t, ids[e.Person.ID], "trial %d: person %d enters twice", trial, e.Person.ID)
				ids[e.Person.ID] = true
			}
		}
		for u, ut := range units {
			for s, st := range ut.stages {
				if st.done == nil {
					continue
				}
				where := fmt.Sprintf("trial %d unit %s stage %s", trial, sc.Units[u].Name, sc.Stages[s].Name)
				passed := st.passed()
				require.Equal(t, st.done.Entered, len(st.people), "%s: list in", where)
				require.Equal(t, st.done.Left, len(passed), "%s: list out", where)
				in[s*U+u] += int64(len(st.people))
				out[s*U+u] += int64(len(passed))
				short[s*U+u] += int64(st.done.Shortfall)
				for i := range sc.Targets {
					require.Equal(t, st.done.Counts.Targets[sc.Targets[i].Name], countMatching(sc, passed, sc.Targets[i].When, nil),
						"%s: target %s", where, sc.Targets[i].Name)
				}
				for i := range sc.Shares {
					sh := &sc.Shares[i]
					c := countMatching(sc, passed, sh.When, sh.Of)
					require.Equal(t, st.done.Counts.Shares[sh.Name], c, "%s: share %s", where, sh.Name)
					compNum[s*len(sc.Shares)+i] += int64(c)
				}
				for _, e := range st.dropped() {
					if sc.Stages[s].Filter != nil {
						drops[s][e.Reason]++
					}
				}
				if st.vacancies != nil {
					vacancies += int64(st.vacancies.Seats)
				}
				if c := st.congress(); c != nil && !*c.Met {
					failed++
				}
				for _, e := range st.election {
					if e.Kind == sim.EventRound && e.Round == sim.RoundFurther {
						further++
					}
				}
			}
		}
		seated += int64(log.Outcome.Seated)
		require.Len(t, log.Outcome.Targets, len(sc.Targets))
		for i, to := range log.Outcome.Targets {
			if to.Met {
				met[i]++
			}
			for _, uo := range to.Units {
				if !uo.Met {
					unitMisses[i][slices.IndexFunc(sc.Units, func(u scenario.Unit) bool { return u.Name == uo.Unit })]++
				}
			}
		}
		// The narrative renders in both languages from the same events.
		if trial < 3 {
			for _, lang := range []string{LangEn, LangZh} {
				var buf bytes.Buffer
				require.NoError(t, TraceText(&buf, sc, log, lang))
				assert.NotContains(t, buf.String(), "the engine counts")
			}
		}
	}
	tl := a.tally
	assert.Equal(t, tl.In, in, "entered per stage × unit")
	assert.Equal(t, tl.Out, out, "left per stage × unit (the last stage: elected per unit)")
	assert.Equal(t, tl.Shortfall, short, "shortfall per stage × unit")
	assert.Equal(t, tl.CompNum, compNum, "share counts per stage")
	assert.Equal(t, tl.Met, met, "targets met")
	assert.Equal(t, tl.UnitMisses, unitMisses, "units missing scope-each targets")
	assert.Equal(t, tl.ElectedSum, seated, "seats filled")
	assert.Equal(t, tl.Vacancies, vacancies, "vacancies")
	assert.Equal(t, tl.Failed, failed, "congresses without quorum")
	assert.Equal(t, tl.FurtherRounds, further, "further rounds")
	for s, f := range a.res.Funnel {
		for _, r := range f.Reasons {
			assert.InDelta(t, r.Mean*float64(trials), float64(drops[s][r.Reason]), 1e-6, "stage %s: drops for %s", f.Stage, r.Reason)
			delete(drops[s], r.Reason)
		}
		for r, c := range drops[s] {
			assert.Zero(t, c, "stage %s: drops for %s the run did not count", f.Stage, r)
		}
	}
	return seen
}

func stageIndex(sc *scenario.Scenario, name string) int {
	return slices.IndexFunc(sc.Stages, func(s scenario.Stage) bool { return s.Name == name })
}

// countMatching counts the people matching when (and of, when not empty).
func countMatching(sc *scenario.Scenario, people []sim.Event, when, of scenario.Predicate) int {
	match := func(p *sim.Person, pred scenario.Predicate) bool {
		for trait, vals := range pred {
			if !slices.Contains(vals, p.Traits[trait]) {
				return false
			}
		}
		return true
	}
	c := 0
	for _, e := range people {
		if match(e.Person, when) && match(e.Person, of) {
			c++
		}
	}
	return c
}

// TestTraceQuorumFidelity is the reproducer of the fidelity issue: 100
// entitled voters, 29 present and a quorum of "more than 29%" is no quorum,
// in the engine's count and in the narrative alike.
func TestTraceQuorumFidelity(t *testing.T) {
	sc, m := loadScenario(t, "club", []byte(club), "units[0].entitled_voters=100", "units[0].turnout=0.29",
		"stages[name=election].elect.quorum=0.29")
	const seed = 3
	for trial := uint64(0); trial < 400; trial++ {
		events := traceEvents(t, m, seed, trial)
		i := slices.IndexFunc(events, func(e sim.Event) bool { return e.Kind == sim.EventCongress })
		require.GreaterOrEqual(t, i, 0)
		if events[i].Present != 29 {
			continue
		}
		c := events[i]
		assert.Equal(t, 30, c.Quorum)
		assert.False(t, *c.Met)
		tally, err := sim.RunTally(context.Background(), m, sim.Options{Trials: 1, FirstTrial: int(trial), Seed: seed, Workers: 1})
		require.NoError(t, err)
		assert.Equal(t, int64(1), tally.Failed, "the run counts no quorum")
		log, err := NewTraceLog(sc, events, seed, trial, "test", nil)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, TraceText(&buf, sc, log, LangEn))
		assert.Contains(t, buf.String(), "29 of 100 entitled voters present; quorum (more than 29%: at least 30) NOT met")
		assert.Equal(t, 0, log.Outcome.Seated)
		return
	}
	t.Fatal("no trial with 29 present")
}

// TestTraceReplaysFromJSON checks that the JSON event log renders the same
// narrative as the live trace, in both languages.
func TestTraceReplaysFromJSON(t *testing.T) {
	sc, m := loadEmbedded(t, "teaching")
	for _, lang := range []string{LangEn, LangZh} {
		t.Run(lang, func(t *testing.T) {
			log, err := NewTraceLog(sc, traceEvents(t, m, 7, 5), 7, 5, "test", nil)
			require.NoError(t, err)
			var live, js, replayed bytes.Buffer
			require.NoError(t, TraceText(&live, sc, log, lang))
			require.NoError(t, TraceJSON(&js, log))
			var back TraceLog
			require.NoError(t, json.Unmarshal(js.Bytes(), &back))
			require.NoError(t, TraceText(&replayed, sc, &back, lang))
			assert.Equal(t, live.String(), replayed.String())
		})
	}
}

func TestTraceNarrativeContent(t *testing.T) {
	// Low turnout forces further rounds (另行选举) and vacancies.
	sc, m := loadEmbedded(t, "teaching", "units[0].turnout=0.6")
	tests := []struct {
		lang string
		want []string
	}{
		{LangEn, []string{"unit machine: allocated --start--> nomination", "Organisational inspection (inspection)",
			"list in ", "list out", "a name needs more than half of the 120 entitled voters: at least 61 votes",
			"further round 1", "further_round_election", "== Outcome of trial"}},
		{LangZh, []string{"推荐提名", "组织考察", "代表候选人初步人选", "代表候选人预备人选", "差额选举", "资格审查",
			"另行选举", "应到选举人", "当选"}},
	}
	var trial uint64
	var log *TraceLog
	for trial = 0; trial < 200; trial++ {
		var err error
		log, err = NewTraceLog(sc, traceEvents(t, m, 7, trial), 7, trial, "test", nil)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, TraceText(&buf, sc, log, LangEn))
		if bytes.Contains(buf.Bytes(), []byte("further round 1")) {
			break
		}
	}
	require.Less(t, trial, uint64(200), "no trial with a further round")
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, TraceText(&buf, sc, log, tc.lang))
			for _, w := range tc.want {
				assert.Contains(t, buf.String(), w)
			}
		})
	}
}

// TestTraceNamesComeFromTheScenario checks that Chinese names are the
// scenario's (glossary, label_zh, name_zh) and that an identifier the
// scenario does not translate is printed as is.
func TestTraceNamesComeFromTheScenario(t *testing.T) {
	tests := []struct {
		name    string
		sets    []string
		want    []string
		notWant []string
	}{
		{"glossary", nil, []string{"男，", "党员（member）", "考察合格（inspected）"}, nil},
		{"no glossary", []string{"glossary={}", "vocabulary={}", "targets[name=front_line].label_zh=一线代表不少于三分之一"},
			[]string{"male，", "member --pass_nomination-->", "inspected ×", "按原文显示：allocated、male、female"}, []string{"男", "党员"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, m := loadEmbedded(t, "teaching", tc.sets...)
			log, err := NewTraceLog(sc, traceEvents(t, m, 7, 0), 7, 0, "test", nil)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, TraceText(&buf, sc, log, LangZh))
			for _, w := range tc.want {
				assert.Contains(t, buf.String(), w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, buf.String(), w)
			}
		})
	}
}

func TestTraceUnits(t *testing.T) {
	sc, _ := loadEmbedded(t, "cpc20")
	tests := []struct {
		arg  string
		want []string
		err  bool
	}{
		{"", []string{sc.Units[0].Name}, false},
		{"all", nil, false},
		{"guangxi", []string{"Guangxi"}, false},
		{"广西", []string{"Guangxi"}, false},
		{"Atlantis", nil, true},
	}
	for _, tc := range tests {
		got, err := TraceUnits(sc, tc.arg)
		if tc.err {
			assert.ErrorIs(t, err, ErrNoUnit)
			continue
		}
		require.NoError(t, err, tc.arg)
		assert.Equal(t, tc.want, got, tc.arg)
	}
	// A unit called "all" is that unit; "*" still means every unit.
	sc.Units[1].Name = "All"
	got, err := TraceUnits(sc, "all")
	require.NoError(t, err)
	assert.Equal(t, []string{"All"}, got)
	got, err = TraceUnits(sc, "*")
	require.NoError(t, err)
	assert.Nil(t, got)
}
