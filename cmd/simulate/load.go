package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"simulate/configs"
	"simulate/internal/output"
	"simulate/scenario"
)

// loadScenario reads the scenario named by args (a file path or the name of
// an embedded scenario; the default scenario when args is empty) and applies
// the overrides.
func loadScenario(args []string, opts scenario.Options) (*scenario.Scenario, error) {
	data, source, err := readScenario(scenarioArg(args))
	if err != nil {
		return nil, err
	}
	return scenario.Load(source, data, opts)
}

// notInput refuses an output path that names the command's scenario file:
// writing there would destroy the input.
func notInput(out string, args []string) error {
	if out == "" || out == "-" || len(args) == 0 {
		return nil
	}
	if _, err := os.Stat(args[0]); err == nil && output.Same(out, args[0]) {
		return usagef("the output %s is the scenario file itself: write to another file", out)
	}
	return nil
}

// scenarioArg is the scenario a command names: its argument, or the
// embedded default.
func scenarioArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return configs.Default
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
	if near := nearestName(name, configs.Names()); near != "" && !strings.ContainsAny(name, "/\\") {
		return nil, "", usagef("no scenario file %q and no embedded scenario of that name; did you mean %q?", name, near)
	}
	return nil, "", usagef("no scenario file %q and no embedded scenario of that name (embedded: %s)",
		name, strings.Join(configs.Names(), ", "))
}

func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usagef("unknown --format %q%s (want %s)", format, didYouMean(format, allowed), strings.Join(allowed, ", "))
}

// didYouMean is "; did you mean "x"?" for the name nearest typed, or "".
func didYouMean(typed string, names []string) string {
	if near := nearestName(typed, names); near != "" {
		return fmt.Sprintf("; did you mean %q?", near)
	}
	return ""
}
