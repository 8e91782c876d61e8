package main

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/spf13/pflag"

	"simulate/configs"
	"simulate/scenario"
)

// loadScenario reads the scenario named by args (a file path or the name of
// an embedded scenario; the default scenario when args is empty) and applies
// the overrides.
func loadScenario(args []string, opts scenario.Options) (*scenario.Scenario, error) {
	name := configs.Default
	if len(args) > 0 {
		name = args[0]
	}
	data, source, err := readScenario(name)
	if err != nil {
		return nil, err
	}
	return scenario.Load(source, data, opts)
}

func readScenario(name string) (data []byte, source string, err error) {
	data, err = scenario.ReadFile(name)
	if err == nil {
		return data, name, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		var se *scenario.Error
		if errors.As(err, &se) {
			return nil, "", err
		}
		return nil, "", usagef("%v", err)
	}
	if b, ok := configs.Read(name); ok && !strings.ContainsAny(name, "/\\.") {
		return b, "embedded:" + name, nil
	}
	return nil, "", usagef("no scenario file %q and no embedded scenario of that name (embedded: %s)",
		name, strings.Join(configs.Names(), ", "))
}

// runFlags maps scenario keys to the flags and environment variables that
// override them.
func runFlags(fs *pflag.FlagSet) (map[string]*pflag.Flag, map[string]string) {
	flags := map[string]*pflag.Flag{}
	for key, name := range map[string]string{"run.trials": "trials", "run.seed": "seed", "run.workers": "workers"} {
		if f := fs.Lookup(name); f != nil {
			flags[key] = f
		}
	}
	env := map[string]string{
		"run.trials":  "SIMULATE_TRIALS",
		"run.seed":    "SIMULATE_SEED",
		"run.workers": "SIMULATE_WORKERS",
	}
	return flags, env
}

func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usagef("unknown --format %q (want %s)", format, strings.Join(allowed, ", "))
}
