package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompletion asks the shell-completion entry point (what bash, zsh and
// fish call) for values: scenarios, exercises, units, stages, targets and
// the values of flags with a fixed set.
func TestCompletion(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"scenario names", []string{"run", ""}, []string{"cpc20", "teaching", "union"}, nil},
		{"scenario by prefix", []string{"validate", "te"}, []string{"teaching"}, []string{"cpc20"}},
		{"one scenario only", []string{"run", "teaching", ""}, nil, []string{"cpc20"}},
		{"formats of run", []string{"run", "--format", ""}, []string{"text", "json", "csv"}, nil},
		{"formats of handout", []string{"exercise", "handout", "1", "--format", ""}, []string{"md", "html"}, []string{"csv"}},
		{"formats of trace", []string{"trace", "--format", ""}, []string{"text", "json"}, []string{"csv"}},
		{"machines", []string{"graph", "--machine", ""}, []string{"unit", "candidate"}, nil},
		{"methods", []string{"sensitivity", "--method", ""}, []string{"sobol", "morris"}, nil},
		{"exercises", []string{"exercise", "check", ""}, []string{"nomination-surplus\t", "objections\t"}, []string{"all\t"}},
		{"handout of all", []string{"exercise", "handout", ""}, []string{"all\tevery exercise"}, nil},
		{"units", []string{"trace", "cpc20", "--unit", "Gu"}, []string{"Guangdong", "Guangxi", "Guizhou"}, []string{"Beijing"}},
		{"stages in --set", []string{"run", "teaching", "--set", "stages[name=e"}, []string{"stages[name=election]."}, []string{"quota="}},
		{"keys in --set", []string{"run", "teaching", "--set", ""}, []string{"quota=", "run.trials=", "stages[name=review].", "targets[name=women].", "units[name=County]."}, nil},
		{"keys in --vary", []string{"sweep", "teaching", "--vary", "q"}, []string{"quota="}, nil},
		{"keys in --param", []string{"solve", "teaching", "--param", "q"}, []string{"quota"}, []string{"quota="}},
		{"targets of --find", []string{"trace", "teaching", "--find", "missed:"}, []string{"missed:women", "missed:young"}, []string{"met:women"}},
		{"events of --find", []string{"trace", "teaching", "--find", "f"}, []string{"failed_quorum", "further_round"}, nil},
		{"targets of --target", []string{"solve", "teaching", "--target", ""}, []string{"women", "front_line", "young"}, nil},
		{"commands", []string{"ver"}, []string{"version"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := execute(t, append([]string{"__complete"}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			lines := strings.Split(out, "\n")
			for _, w := range tc.want {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, w)
				}
				assert.True(t, found, "%q not offered in:\n%s", w, out)
			}
			for _, n := range tc.not {
				for _, l := range lines {
					assert.False(t, strings.HasPrefix(l, n), "%q offered in:\n%s", n, out)
				}
			}
		})
	}
}

// TestManPages generates the man pages: one per command, each saying what
// its --help says.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	_, errOut, code := execute(t, "gen-man", dir)
	require.Equal(t, 0, code, errOut)
	for _, name := range []string{"simulate.1", "simulate-run.1", "simulate-trace.1", "simulate-exercise-handout.1", "simulate-version.1"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err, name)
		assert.Contains(t, string(data), `.TH "SIMULATE" "1" "Jan 1970" "simulate test"`, name)
	}
	data, err := os.ReadFile(filepath.Join(dir, "simulate-trace.1"))
	require.NoError(t, err)
	assert.Contains(t, string(data), `\fB--find\fP`)
	_, err = os.Stat(filepath.Join(dir, "simulate-gen-man.1"))
	assert.ErrorIs(t, err, os.ErrNotExist, "the hidden command has no page")
}
