package scenario_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

func TestEmbeddedScenariosLoad(t *testing.T) {
	names := configs.Names()
	require.NotEmpty(t, names)
	assert.Contains(t, names, configs.Default)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, ok := configs.Read(name)
			require.True(t, ok)
			sc, err := loadBounded(t, "embedded:"+name, data, scenario.Options{})
			require.NoError(t, err)
			assert.Equal(t, name, sc.Name, "the scenario's name matches its file")
			total := 0
			for _, u := range sc.Units {
				total += u.Seats
			}
			assert.Equal(t, sc.Quota, total)
			for i := range sc.Stages {
				assert.NotEmpty(t, sc.Stages[i].Kind(), "stage %d", i)
			}

			again, err := scenario.Load("embedded:"+name, data, scenario.Options{})
			require.NoError(t, err)
			assert.Equal(t, sc.Hash(), again.Hash(), "the hash is stable across loads")
			assert.Len(t, sc.Hash(), 64)
		})
	}
	_, ok := configs.Read("no-such-scenario")
	assert.False(t, ok)
}

func TestBaseLoadsWithDefaults(t *testing.T) {
	sc, err := loadBase(t, scenario.Options{})
	require.NoError(t, err)
	assert.Equal(t, "base", sc.Name)
	assert.Equal(t, 100, sc.Run.Trials)
	assert.Equal(t, uint64(7), sc.Run.Seed)
	e := sc.ElectStage()
	require.NotNil(t, e)
	assert.Equal(t, scenario.MajorityEntitled, e.MajorityOf)
	assert.Equal(t, 0.5, e.Quorum)
	assert.Equal(t, 1.0, e.Turnout)
	assert.Equal(t, 1.0, sc.Stages[2].Select.ScoreSD)
	assert.Equal(t, "nominated", sc.Stages[0].CandidateState)
	assert.Equal(t, "vetoed_inspection", sc.Stages[1].DroppedState)
	assert.Equal(t, scenario.ScopeTotal, sc.Targets[0].Scope)

	h := sc.Hash()
	sc.ApplyDefaults()
	assert.Equal(t, h, sc.Hash(), "defaults are idempotent")
}

func TestHash(t *testing.T) {
	base, err := loadBase(t, scenario.Options{})
	require.NoError(t, err)
	same, err := loadBase(t, scenario.Options{})
	require.NoError(t, err)
	assert.Equal(t, base.Hash(), same.Hash())

	changed, err := loadBase(t, scenario.Options{Sets: []string{"stages[name=election].elect.surplus=0.2"}})
	require.NoError(t, err)
	assert.NotEqual(t, base.Hash(), changed.Hash(), "an override changes the hash")

	explicit, err := loadBase(t, scenario.Options{Sets: []string{"stages[name=election].elect.majority_of=entitled"}})
	require.NoError(t, err)
	assert.Equal(t, base.Hash(), explicit.Hash(), "the hash is of the effective scenario: an explicit default changes nothing")

	run, err := loadBase(t, scenario.Options{Sets: []string{"run.trials=5", "run.seed=99", "run.workers=3"}})
	require.NoError(t, err)
	assert.Equal(t, base.Hash(), run.Hash(), "run settings are reported beside the hash, not in it")
}

func TestExplicitZerosAreKept(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "base.yaml"))
	require.NoError(t, err)
	tests := []struct {
		name string
		sets []string
		want func(t *testing.T, sc *scenario.Scenario)
		err  string
	}{
		{"defaults when absent", nil, func(t *testing.T, sc *scenario.Scenario) {
			e := sc.ElectStage()
			assert.Equal(t, 0.5, e.Quorum)
			assert.Equal(t, 1.0, e.Turnout)
		}, ""},
		{"seed 0 is a seed", []string{"run.seed=0"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, uint64(0), sc.Run.Seed)
		}, ""},
		{"quorum 0 means none", []string{"stages[name=election].elect.quorum=0"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, 0.0, sc.ElectStage().Quorum)
		}, ""},
		{"score_sd 0 ranks by bias alone", []string{"stages[name=reserve].select.score_sd=0"}, func(t *testing.T, sc *scenario.Scenario) {
			for _, st := range sc.Stages {
				if st.Name == "reserve" {
					assert.Equal(t, 0.0, st.Select.ScoreSD)
				}
			}
		}, ""},
		{"trials 0 is refused", []string{"run.trials=0"}, nil, "run.trials: must be between 1"},
		{"turnout 0 is refused", []string{"stages[name=election].elect.turnout=0"}, nil, "turnout: must be above 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := scenario.Load("base", base, scenario.Options{Sets: tc.sets})
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			tc.want(t, sc)
			require.NoError(t, sc.Validate())
		})
	}
}

func TestEmptyValueMeansDefault(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "base.yaml"))
	require.NoError(t, err)
	sc, err := scenario.Load("base", base, scenario.Options{Sets: []string{"run.seed=", "stages[name=election].elect.quorum="}})
	require.NoError(t, err)
	assert.Equal(t, uint64(scenario.DefaultSeed), sc.Run.Seed)
	assert.Equal(t, 0.5, sc.ElectStage().Quorum)
}
