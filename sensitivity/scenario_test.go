package sensitivity

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"simulate/sweep"
)

func TestSeedAtCommonOrIndependent(t *testing.T) {
	p, err := sweep.ParseVary("a=0:1")
	assert.NoError(t, err)
	s := &Simulation{Keys: []*sweep.Param{p}, Seed: 42}
	assert.Equal(t, uint64(42), s.SeedAt([]float64{0.25}), "common random numbers: the seed at every point")
	s.Independent = true
	assert.Equal(t, sweep.PointSeed(42, []string{"a"}, []string{"0.25"}), s.SeedAt([]float64{0.25}))
	assert.NotEqual(t, s.SeedAt([]float64{0.25}), s.SeedAt([]float64{0.5}))
}
