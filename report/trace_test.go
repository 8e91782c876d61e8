package report

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
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

// TestTraceAgreesWithRun replays every trial of a run from its events and
// checks that the lists, the seats filled and every target's verdict add up
// to exactly what sim.Run counted for the same trials.
func TestTraceAgreesWithRun(t *testing.T) {
	tests := []struct {
		name   string
		trials int
		sets   []string
	}{
		{"teaching", 120, nil},
		{"union", 40, nil},
		// Low turnout: congresses without quorum, further rounds and vacancies.
		{"teaching", 60, []string{"units[0].turnout=0.56", "stages[name=election].elect.revotes=0"}},
		{"cpc20", 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, m := loadEmbedded(t, tc.name, tc.sets...)
			const seed = 11
			res, err := sim.Run(context.Background(), m, sim.Options{Trials: tc.trials, Seed: seed, Workers: 1})
			require.NoError(t, err)
			met := make([]int64, len(sc.Targets))
			seated := 0
			entered := make([]int, len(sc.Stages))
			left := make([]int, len(sc.Stages))
			for trial := 0; trial < tc.trials; trial++ {
				events := traceEvents(t, m, seed, uint64(trial))
				rp, err := replay(sc, events)
				require.NoError(t, err)
				for u, ut := range rp.units {
					for s, st := range ut.stages {
						if !st.recorded {
							continue
						}
						require.Equal(t, st.left, len(st.out), "trial %d unit %d stage %s: list out", trial, u, sc.Stages[s].Name)
						if sc.Stages[s].Nominate == nil && !(sc.Stages[s].Elect != nil && st.failed) {
							require.Equal(t, st.entered, len(st.in), "trial %d unit %d stage %s: list in", trial, u, sc.Stages[s].Name)
						}
						entered[s] += st.entered
						left[s] += st.left
					}
				}
				o := rp.outcome()
				seated += o.Seated
				for i, tt := range o.Targets {
					if tt.Met {
						met[i]++
					}
				}
			}
			for i := range sc.Targets {
				assert.Equal(t, res.Targets[i].Met, met[i], "target %s", sc.Targets[i].Name)
			}
			assert.InDelta(t, res.Elected.Mean*float64(tc.trials), float64(seated), 1e-6)
			for s := range sc.Stages {
				assert.InDelta(t, res.Funnel[s].Entered*float64(tc.trials), float64(entered[s]), 1e-6, "entered %s", sc.Stages[s].Name)
				assert.InDelta(t, res.Funnel[s].Left*float64(tc.trials), float64(left[s]), 1e-6, "left %s", sc.Stages[s].Name)
			}
		})
	}
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

func TestJudge(t *testing.T) {
	v := func(votes ...int) []sim.Event {
		var out []sim.Event
		for _, n := range votes {
			out = append(out, sim.Event{Votes: n, Threshold: 61, Seats: 2})
		}
		return out
	}
	tests := []struct {
		name  string
		votes []sim.Event
		want  []verdict
	}{
		{"all pass, fewer than seats", v(70, 40), []verdict{vElected, vBelow}},
		{"ranking", v(70, 90, 80), []verdict{vOutranked, vElected, vElected}},
		{"tie at the last seat", v(90, 80, 80), []verdict{vElected, vTied, vTied}},
		{"tie that fits", v(80, 80, 60), []verdict{vElected, vElected, vBelow}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, judge(tc.votes))
		})
	}
}

func TestMemberShare(t *testing.T) {
	sc, _ := loadEmbedded(t, "teaching")
	rp := &replayed{sc: sc}
	tests := []struct {
		pred scenario.Predicate
		want float64
	}{
		{scenario.Predicate{"gender": {"female"}}, 0.3},
		{scenario.Predicate{"age": {"le45"}}, 0.8*0.5 + 0.2*0.3},
		{scenario.Predicate{"role": {"cadre"}, "age": {"over45"}}, 0.2 * 0.7},
		{scenario.Predicate{}, 1},
	}
	for _, tc := range tests {
		assert.InDelta(t, tc.want, rp.memberShare(0, tc.pred), 1e-12)
	}
	assert.False(t, math.IsNaN(rp.memberShare(0, nil)))
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
}
