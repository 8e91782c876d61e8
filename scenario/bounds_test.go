package scenario

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTargetBounds(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	i := func(x int) *int { return &x }
	tests := []struct {
		name   string
		target Target
		n      int
		member float64
		lo, hi int
	}{
		{"share", Target{MinShare: f(0.3)}, 20, 0, 6, math.MaxInt},
		{"strict share", Target{MinShare: f(0.3), Strict: true}, 20, 0, 7, math.MaxInt},
		{"counts", Target{MinCount: i(4), MaxCount: i(9)}, 20, 0, 4, 9},
		{"strict counts", Target{MinCount: i(4), MaxCount: i(9), Strict: true}, 20, 0, 5, 8},
		{"max share", Target{MaxShare: f(2.0 / 3)}, 26, 0, 0, 17},
		{"above members", Target{AboveMemberShare: true, Strict: true}, 40, 0.25, 11, math.MaxInt},
		{"nobody", Target{MinShare: f(0.3)}, 0, 0, 1, 0},
		{"strict zero maximum", Target{MaxCount: i(0), Strict: true}, 10, 0, 0, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := tc.target.Bounds(tc.n, tc.member)
			assert.Equal(t, tc.lo, lo)
			assert.Equal(t, tc.hi, hi)
			for c := 0; c <= tc.n; c++ {
				assert.Equal(t, c >= lo && c <= hi, tc.target.Holds(c, tc.n, tc.member), "c=%d", c)
			}
		})
	}
}

func TestGlossaryNames(t *testing.T) {
	g := Glossary{Values: map[string]Label{"female": {LabelZh: "女"}}, Reasons: map[string]Label{"review": {Label: "not seated"}}}
	z, ok := g.Value("female", true)
	assert.True(t, ok)
	assert.Equal(t, "女", z)
	_, ok = g.Value("female", false)
	assert.False(t, ok, "no English label")
	e, ok := g.Reason("review", false)
	assert.True(t, ok)
	assert.Equal(t, "not seated", e)
	_, ok = g.State("review", true)
	assert.False(t, ok, "a reason is not a state")
}
