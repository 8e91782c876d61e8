package scenario_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

func TestTypeSpace(t *testing.T) {
	traits := []scenario.Trait{
		{Name: "gender", Values: []string{"male", "female"}},
		{Name: "role", Values: []string{"front_line", "cadre", "other"}},
	}
	ts, err := scenario.NewTypeSpace(traits)
	require.NoError(t, err)
	require.Equal(t, 6, ts.N)
	// Mixed radix, last trait fastest: type 4 is (female, cadre).
	assert.Equal(t, "female", ts.ValueName(4, 0))
	assert.Equal(t, "cadre", ts.ValueName(4, 1))
	assert.Equal(t, []bool{false, false, false, true, true, false},
		ts.Match(scenario.Predicate{"gender": {"female"}, "role": {"front_line", "cadre"}}))

	probs := ts.PoolProbs([]scenario.TraitShares{
		{Trait: "gender", Shares: map[string]float64{"male": 0.7, "female": 0.3}},
		{Trait: "role", Given: "gender", Conditional: map[string]map[string]float64{
			"male":   {"front_line": 0.5, "cadre": 0.5},
			"female": {"front_line": 1},
		}},
	})
	assert.InDeltaSlice(t, []float64{0.35, 0.35, 0, 0.3, 0, 0}, probs, 1e-12)

	ws := []scenario.TraitWeights{{Trait: "role", Values: map[string]float64{"cadre": 3}}}
	assert.Equal(t, []float64{1, 3, 1, 1, 3, 1}, ts.Product(ws))
	assert.Equal(t, []float64{0, 3, 0, 0, 3, 0}, ts.Sum(ws))

	_, err = scenario.NewTypeSpace([]scenario.Trait{{Name: "x"}})
	assert.Error(t, err)
}
