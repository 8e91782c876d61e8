package scenario_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

// TestExplore: an explore parameter names a number of the model and a grid;
// anything else is refused with its field, and the block leaves the hash alone.
func TestExplore(t *testing.T) {
	base, err := os.ReadFile("testdata/base.yaml")
	require.NoError(t, err)
	plain, err := scenario.Load("base", base, scenario.Options{})
	require.NoError(t, err)
	tests := []struct {
		name, block, want string
	}{
		{"ok", `[{path: "stages[0].nominate.ratio", values: "1:2:0.5", label: r}]`, ""},
		{"no path", `[{values: "0:1:0.1"}]`, "explore[0].path: is required"},
		{"run key", `[{path: run.trials, values: "1:9:1"}]`, "a setting of the run"},
		{"not a number", `[{path: name, values: "0:1:0.1"}]`, "not a number"},
		{"unknown key", `[{path: "stages[0].nominate.sise", values: "0:1:0.1"}]`, "explore[0].path"},
		{"two parts", `[{path: quota, values: "0:1"}]`, "want a grid start:stop:step"},
		{"backwards", `[{path: quota, values: "9:1:1"}]`, "want start < stop and step > 0"},
		{"too many points", `[{path: quota, values: "0:5000:1"}]`, "at most 1001"},
		{"twice", `[{path: quota, values: "1:9:1"}, {path: quota, values: "1:9:2"}]`, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenario.Load("base", base, scenario.Options{Sets: []string{"explore=" + tt.block}})
			if tt.want == "" {
				require.NoError(t, err)
				assert.Len(t, sc.Explore, 1)
				assert.Equal(t, plain.Hash(), sc.Hash(), "explore changes nothing in a run")
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
