package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"

	"simulate/internal/i18n"
	"simulate/report"
	"simulate/scenario"
)

// The configuration layer. Lowest precedence first:
//
//	defaults < config file < SIMULATE_* environment < flags < --set
//
// viper resolves the middle three for each setting; --set is applied by the
// scenario loader after them. The defaults of trials, seed and workers are
// the scenario's run block.

// settingDef is one setting of the configuration layer.
type settingDef struct {
	key  string // key in the config file, in viper and in `simulate config`
	env  string // environment variable
	flag string // the flag of the commands that have one
	// scenarioKey is the scenario path the setting overrides ("" for a
	// setting of the program, not of the scenario).
	scenarioKey string
	// kind is "int", "uint" or "string"; allowed lists a string's values.
	kind    string
	allowed []string
	// dflt describes the default.
	dflt string
}

var settingDefs = []settingDef{
	{key: "trials", env: "SIMULATE_TRIALS", flag: "trials", scenarioKey: "run.trials", kind: "int", dflt: "the scenario's run.trials"},
	{key: "seed", env: "SIMULATE_SEED", flag: "seed", scenarioKey: "run.seed", kind: "uint", dflt: "the scenario's run.seed"},
	{key: "workers", env: "SIMULATE_WORKERS", flag: "workers", scenarioKey: "run.workers", kind: "int", dflt: "the scenario's run.workers"},
	{key: "lang", env: "SIMULATE_LANG", flag: "lang", kind: "string", allowed: i18n.Langs, dflt: string(i18n.En)},
	{key: "format", env: "SIMULATE_FORMAT", flag: "format", kind: "string", allowed: report.Formats, dflt: report.FormatText},
}

func settingByKey(key string) settingDef {
	for _, s := range settingDefs {
		if s.key == key {
			return s
		}
	}
	panic("unknown setting " + key)
}

// runSettingKeys are the settings of commands that run a scenario.
var runSettingKeys = []string{"trials", "seed", "workers"}

// config is the resolved configuration of one command.
type config struct {
	v    *viper.Viper
	path string // the config file's path; "" when there is none to look for
	// found says whether the file exists (and was read).
	found bool
	flags *pflag.FlagSet
	keys  []string // the settings the command takes
}

// configPath returns the config file to read: --config, else
// $XDG_CONFIG_HOME/simulate/config.yaml, else ~/.config/simulate/config.yaml.
func configPath(cmd *cobra.Command) (path string, explicit bool) {
	if f := cmd.Flag("config"); f != nil && f.Changed {
		return f.Value.String(), true
	}
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "simulate", "config.yaml"), false
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".config", "simulate", "config.yaml"), false
	}
	return "", false
}

// loadConfig resolves the settings keys for cmd with viper: the config file,
// the environment and cmd's flags of the same names.
func loadConfig(cmd *cobra.Command, keys ...string) (*config, error) {
	c := &config{v: viper.New(), flags: cmd.Flags(), keys: keys}
	for _, key := range keys {
		s := settingByKey(key)
		if err := c.v.BindEnv(s.key, s.env); err != nil {
			return nil, err
		}
		if f := c.flags.Lookup(s.flag); f != nil {
			if err := c.v.BindPFlag(s.key, f); err != nil {
				return nil, err
			}
		}
	}
	path, explicit := configPath(cmd)
	c.path = path
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return c, nil
	case err != nil:
		return nil, usagef("config file: %v", err)
	}
	if err := checkConfigFile(path, data); err != nil {
		return nil, err
	}
	c.v.SetConfigType("yaml")
	if err := c.v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, usagef("config file %s: %v", path, err)
	}
	c.found = true
	return c, nil
}

// origin says where a setting's value comes from, or "" for its default.
func (c *config) origin(key string) string {
	s := settingByKey(key)
	if f := c.flags.Lookup(s.flag); f != nil && f.Changed {
		return "flag --" + s.flag
	}
	if v, ok := os.LookupEnv(s.env); ok && v != "" {
		return "environment variable " + s.env
	}
	if c.found && c.v.InConfig(s.key) {
		return "config file " + c.path
	}
	return ""
}

// value is a setting's effective value, as viper resolves it.
func (c *config) value(key string) string {
	v := c.v.Get(key)
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// str returns a string setting, checked against the values the command
// accepts (allowed; the setting's own list when empty).
func (c *config) str(key string, allowed ...string) (string, error) {
	s := settingByKey(key)
	if len(allowed) == 0 {
		allowed = s.allowed
	}
	val := c.value(key)
	for _, a := range allowed {
		if val == a {
			return val, nil
		}
	}
	want, near := strings.Join(allowed, ", "), didYouMean(val, allowed)
	switch from := c.origin(key); {
	case strings.HasPrefix(from, "flag "):
		return "", usagef("unknown --%s %q%s (want %s)", s.flag, val, near, want)
	case from != "":
		return "", usagef("unknown %s %q from %s%s (want %s)", key, val, from, near, want)
	}
	return "", usagef("unknown %s %q%s (want %s)", key, val, near, want)
}

// overrides returns the scenario overrides of the command's run settings
// that are set (by the config file, the environment or a flag), then the
// --set values: in the order of their precedence.
func (c *config) overrides(sets []string) ([]scenario.Override, error) {
	var out []scenario.Override
	for _, key := range c.keys {
		s := settingByKey(key)
		if s.scenarioKey == "" {
			continue
		}
		if from := c.origin(key); from != "" {
			out = append(out, scenario.Override{Key: s.scenarioKey, Value: c.value(key), Origin: from})
		}
	}
	sov, err := setOverrides(sets)
	return append(out, sov...), err
}

// setOverrides reads --set values.
func setOverrides(sets []string) ([]scenario.Override, error) {
	var out []scenario.Override
	for _, s := range sets {
		ov, err := scenario.ParseAssignment(s, "--set "+s)
		if err != nil {
			return nil, usagef("--set %v", err)
		}
		out = append(out, ov)
	}
	return out, nil
}

// runOptions resolves the run settings and --set values of a command that
// runs a scenario into loader options.
func runOptions(cmd *cobra.Command, sets []string) (scenario.Options, error) {
	c, err := loadConfig(cmd, runSettingKeys...)
	if err != nil {
		return scenario.Options{}, err
	}
	ovs, err := c.overrides(sets)
	return scenario.Options{Overrides: ovs}, err
}

// checkConfigFile reports every problem of a config file at once, each with
// its line and key.
func checkConfigFile(path string, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return usagef("config file %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return nil // empty: no settings
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return usagef("config file %s: line %d: expected a mapping of settings (%s)", path, root.Line, settingNames())
	}
	var problems []string
	add := func(n *yaml.Node, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", n.Line)+fmt.Sprintf(format, args...))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if line, ok := seen[k.Value]; ok {
			add(k, "%s: duplicate key: already set at line %d", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		var def *settingDef
		for j := range settingDefs {
			if settingDefs[j].key == k.Value {
				def = &settingDefs[j]
			}
		}
		if def == nil {
			add(k, "%s: unknown setting (known: %s)", k.Value, settingNames())
			continue
		}
		if v.Kind != yaml.ScalarNode {
			add(v, "%s: expected %s, got a %s", k.Value, kindWords(def.kind), map[yaml.Kind]string{yaml.SequenceNode: "list", yaml.MappingNode: "mapping", yaml.AliasNode: "alias"}[v.Kind])
			continue
		}
		switch def.kind {
		case "int":
			if _, err := strconv.ParseInt(v.Value, 0, 64); v.ShortTag() != "!!int" || err != nil {
				add(v, "%s: expected %s, got %s", k.Value, kindWords(def.kind), describeScalar(v))
			}
		case "uint":
			if _, err := strconv.ParseUint(strings.TrimPrefix(v.Value, "+"), 0, 64); v.ShortTag() != "!!int" || err != nil {
				add(v, "%s: expected %s, got %s", k.Value, kindWords(def.kind), describeScalar(v))
			}
		case "string":
			if v.ShortTag() != "!!str" || !contains(def.allowed, v.Value) {
				add(v, "%s: expected one of %s, got %s", k.Value, strings.Join(def.allowed, ", "), describeScalar(v))
			}
		}
	}
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return usagef("config file %s: %s", path, problems[0])
	}
	return usagef("config file %s (%d problems):\n  - %s", path, len(problems), strings.Join(problems, "\n  - "))
}

func settingNames() string {
	var names []string
	for _, s := range settingDefs {
		names = append(names, s.key)
	}
	return strings.Join(names, ", ")
}

func kindWords(kind string) string {
	switch kind {
	case "int":
		return "an integer"
	case "uint":
		return "a non-negative integer"
	}
	return "a string"
}

func describeScalar(v *yaml.Node) string {
	switch v.ShortTag() {
	case "!!str":
		return strconv.Quote(v.Value)
	case "!!null":
		return "null"
	}
	return v.Value
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective settings (trials, seed, workers, lang, format) and where each comes from",
		Long: `config shows each setting of the configuration layer, its effective value and
its origin. Lowest precedence first:

  default < config file < environment (SIMULATE_*) < flag < --set

The config file is --config FILE, else $XDG_CONFIG_HOME/simulate/config.yaml,
else ~/.config/simulate/config.yaml (a missing default file is no error). It is
YAML with any of the keys trials, seed, workers (integers), lang (en or zh) and
format (text, json or csv):

  trials: 5000
  seed: 42
  lang: zh

The environment variables are SIMULATE_TRIALS, SIMULATE_SEED,
SIMULATE_WORKERS, SIMULATE_LANG and SIMULATE_FORMAT; an empty one counts as
unset. trials, seed and workers override the scenario's run block in the
commands that run a scenario (run, report, trace, sweep); lang (the
root's --lang) to the human output of every command; format to run, merge,
check and trace. --set run.trials=N
wins over all of them. The flags of this command show how they would change
the result.`,
		Example: `  simulate config
  SIMULATE_TRIALS=500 simulate config --seed 9
  simulate config path`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			keys := make([]string, len(settingDefs))
			for i, s := range settingDefs {
				keys[i] = s.key
			}
			c, err := loadConfig(cmd, keys...)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			file := c.path
			switch {
			case file == "":
				file = "(none: no home directory)"
			case !c.found:
				file += " (not found)"
			}
			fmt.Fprintf(&buf, "config file: %s\n\n", file)
			tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SETTING\tVALUE\tORIGIN")
			for _, s := range settingDefs {
				val, from := c.value(s.key), c.origin(s.key)
				if from == "" {
					val, from = s.dflt, "default"
					if s.scenarioKey != "" {
						val = "-"
						from = "default: " + s.dflt
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.key, val, from)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	fl := cmd.Flags()
	fl.IntP("trials", "n", 0, "number of trials")
	fl.Uint64("seed", 0, "random seed")
	fl.IntP("workers", "w", 0, "parallel workers")
	fl.StringP("format", "f", report.FormatText, "output format: text, json or csv")
	cmd.AddCommand(&cobra.Command{
		Use:         "path",
		Short:       "Print the path of the config file used (whether or not it exists)",
		Annotations: map[string]string{noLangAnnotation: ""},
		Args:        cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, _ := configPath(cmd)
			if path == "" {
				return usagef("no config file: --config is not given and there is no home directory")
			}
			_, err := fmt.Fprintln(cmd.OutOrStdout(), path)
			return err
		},
	})
	return cmd
}
