package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain makes every test of the command hermetic: no config file of the
// user's, no SIMULATE_* variable of the environment.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "simulate-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	for _, s := range settingDefs {
		os.Unsetenv(s.env)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// writeConfig writes the user's config file under a fresh XDG_CONFIG_HOME
// and returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	path := filepath.Join(dir, "simulate", "config.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

// runSettings runs the teaching scenario and returns the trials and seed
// the run used.
func runSettings(t *testing.T, args ...string) (trials int, seed uint64) {
	t.Helper()
	out, stderr, code := execute(t, append([]string{"run", "teaching", "--format", "json", "--quiet"}, args...)...)
	require.Equal(t, 0, code, stderr)
	var res struct {
		Trials int    `json:"trials"`
		Seed   uint64 `json:"seed"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	return res.Trials, res.Seed
}

// Each layer overrides the ones below it: defaults (the scenario's run
// block) < config file < SIMULATE_* environment < flags < --set. The values
// reach the run only through viper: without its config file, environment
// or flag bindings the layers above the default would read wrong values.
func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		config     string
		env        map[string]string
		args       []string
		wantTrials int
		wantSeed   uint64
	}{
		{"default: the scenario's run block", "", nil, nil, 2000, 7},
		{"config file", "trials: 30\nseed: 3\n", nil, nil, 30, 3},
		{"environment over config file", "trials: 30\nseed: 3\n", map[string]string{"SIMULATE_TRIALS": "40"}, nil, 40, 3},
		{"empty environment variable is unset", "trials: 30\n", map[string]string{"SIMULATE_TRIALS": ""}, nil, 30, 7},
		{"flag over environment", "trials: 30\n", map[string]string{"SIMULATE_TRIALS": "40", "SIMULATE_SEED": "11"}, []string{"--trials", "50"}, 50, 11},
		{"--set over flag", "trials: 30\n", map[string]string{"SIMULATE_TRIALS": "40"}, []string{"--trials", "50", "--set", "run.trials=60"}, 60, 7},
		{"flag equal to its default still counts", "seed: 3\n", nil, []string{"--seed", "0"}, 2000, 0},
		{"--config names the file", "", nil, []string{"--config", "testdata/config.yaml"}, 25, 99},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			writeConfig(t, tc.config)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			trials, seed := runSettings(t, tc.args...)
			assert.Equal(t, tc.wantTrials, trials)
			assert.Equal(t, tc.wantSeed, seed)
		})
	}
}

// loadConfig's values come from viper's bindings of the config file, the
// environment and the flags; origins are computed apart from them, so a
// lost binding shows as a value that disagrees with its origin.
func TestConfigViperBindings(t *testing.T) {
	path := writeConfig(t, "trials: 30\nseed: 3\nworkers: 2\nlang: zh\n")
	t.Setenv("SIMULATE_SEED", "11")
	t.Setenv("SIMULATE_FORMAT", "json")
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	cmd.Flags().Int("workers", 0, "")
	cmd.Flags().String("format", "text", "")
	require.NoError(t, cmd.ParseFlags([]string{"--workers", "4"}))
	c, err := loadConfig(cmd, "trials", "seed", "workers", "lang", "format")
	require.NoError(t, err)
	want := map[string][2]string{
		"trials":  {"30", "config file " + path},
		"seed":    {"11", "environment variable SIMULATE_SEED"},
		"workers": {"4", "flag --workers"},
		"lang":    {"zh", "config file " + path},
		"format":  {"json", "environment variable SIMULATE_FORMAT"},
	}
	for key, w := range want {
		assert.Equal(t, w[0], c.value(key), key)
		assert.Equal(t, w[1], c.origin(key), key)
	}
	ovs, err := c.overrides([]string{"run.trials=5"})
	require.NoError(t, err)
	var got []string
	for _, o := range ovs {
		got = append(got, o.Key+"="+o.Value+" from "+o.Origin)
	}
	assert.Equal(t, []string{
		"run.trials=30 from config file " + path,
		"run.seed=11 from environment variable SIMULATE_SEED",
		"run.workers=4 from flag --workers",
		"run.trials=5 from --set run.trials=5",
	}, got)
}

func TestConfigCommandGolden(t *testing.T) {
	path := writeConfig(t, "trials: 30\nseed: 3\nlang: zh\n")
	t.Setenv("SIMULATE_SEED", "11")
	out, stderr, code := execute(t, "config", "--format", "json")
	require.Equal(t, 0, code, stderr)
	golden(t, "config.txt", strings.ReplaceAll(out, path, "$CONFIG"))

	out, _, code = execute(t, "config", "path")
	require.Equal(t, 0, code)
	assert.Equal(t, path+"\n", out)
	out, _, code = execute(t, "config", "path", "--config", "other.yaml")
	require.Equal(t, 0, code)
	assert.Equal(t, "other.yaml\n", out)

	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	out, _, code = execute(t, "config")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "(not found)")
	assert.Contains(t, out, "trials   -      default: the scenario's run.trials")
}

// A bad config file is bad input (exit 2) whose message names the file,
// and every problem's line and key.
func TestBadConfigFile(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"wrong types", "trials: many\nseed: -1\nworkers: 1.5\nlang: fr\nformat: [json]\n", []string{
			"(5 problems)",
			`line 1: trials: expected an integer, got "many"`,
			"line 2: seed: expected a non-negative integer, got -1",
			"line 3: workers: expected an integer, got 1.5",
			`line 4: lang: expected one of en, zh, got "fr"`,
			"line 5: format: expected a string, got a list",
		}},
		{"unknown key", "trials: 5\ntrails: 6\n", []string{"line 2: trails: unknown setting (known: trials, seed, workers, lang, format)"}},
		{"duplicate key", "trials: 5\ntrials: 6\n", []string{"line 2: trials: duplicate key: already set at line 1"}},
		{"not YAML", "trials: [5\n", []string{"line 1: did not find expected ',' or ']'"}},
		{"not a mapping", "- trials\n", []string{"line 1: expected a mapping of settings"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			for _, args := range [][]string{{"run", "teaching", "--quiet"}, {"config"}} {
				out, stderr, code := execute(t, args...)
				assert.Equal(t, exitBadInput, code)
				assert.Empty(t, out)
				assert.Contains(t, stderr, "config file "+path)
				for _, w := range tc.want {
					assert.Contains(t, stderr, w)
				}
			}
		})
	}
	t.Run("missing --config file", func(t *testing.T) {
		_, stderr, code := execute(t, "run", "teaching", "--config", filepath.Join(t.TempDir(), "none.yaml"))
		assert.Equal(t, exitBadInput, code)
		assert.Contains(t, stderr, "none.yaml")
	})
}

// Problems with a value say where it came from, in the words of its layer.
func TestOriginsInErrors(t *testing.T) {
	tests := []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   string
	}{
		{"--set", "", nil, []string{"--set", "units[0].seats=-1"},
			"units[0].seats: must be between 1 and 1000000, got -1 (set by --set units[0].seats=-1)"},
		{"environment", "", map[string]string{"SIMULATE_TRIALS": "abc"}, nil,
			`run.trials: expected an integer, got the string "abc" (set by environment variable SIMULATE_TRIALS)`},
		{"flag", "", nil, []string{"--workers", "5000"},
			"run.workers: must be between 0 (one per CPU) and 1024, got 5000 (set by flag --workers)"},
		{"config file", "trials: 0\n", nil, nil,
			"run.trials: must be between 1 and 100000000, got 0 (set by config file $CONFIG)"},
		{"format from the environment", "", map[string]string{"SIMULATE_FORMAT": "xml"}, nil,
			`unknown format "xml" from environment variable SIMULATE_FORMAT (want text, json, csv)`},
		{"lang from the config file", "lang: zh\n", map[string]string{"SIMULATE_LANG": "fr"}, []string{"trace"},
			`unknown lang "fr" from environment variable SIMULATE_LANG (want en, zh)`},
		{"bad --set", "", nil, []string{"--set", "noequals"}, `--set "noequals": expected key=value`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.config)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := append([]string{"run", "teaching", "--quiet"}, tc.args...)
			if len(tc.args) > 0 && tc.args[0] == "trace" {
				args = []string{"trace", "teaching"}
			}
			out, stderr, code := execute(t, args...)
			assert.Equal(t, exitBadInput, code)
			assert.Empty(t, out)
			assert.Contains(t, stderr, strings.ReplaceAll(tc.want, "$CONFIG", path))
		})
	}
}
