package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"simulate/configs"
	"simulate/exercise"
	"simulate/report"
	"simulate/scenario"
	"simulate/sensitivity"
	"simulate/sweep"
)

// Shell completion of values, beyond cobra's commands and flags: scenario
// names and files, exercise ids, unit, stage, target and share names (in
// --set, --vary, --param, --unit, --find), and every flag with a fixed set
// of values (--format, --lang, --machine, --method …).

// flagValues lists the values of flags that take one of a few words, by
// command path and flag name ("" for every command with the flag).
var flagValues = map[string]map[string][]string{
	"": {
		"lang":    {report.LangEn, report.LangZh},
		"machine": {"unit", "candidate"},
	},
	"simulate run":              {"format": report.Formats},
	"simulate merge":            {"format": report.Formats},
	"simulate trace":            {"format": {report.FormatText, report.FormatJSON}},
	"simulate check":            {"format": {"text", "json"}},
	"simulate calibrate":        {"format": {"text", "json"}},
	"simulate solve":            {"format": {"text", "json"}},
	"simulate version":          {"format": {"text", "json"}},
	"simulate exercise check":   {"format": {"text", "json"}},
	"simulate exercise handout": {"format": {exercise.HandoutMarkdown, exercise.HandoutHTML}},
	"simulate graph":            {"format": {"dot", "mermaid", "svg"}},
	"simulate sweep":            {"format": {sweep.EncodingCSV, sweep.EncodingJSONL}, "design": {sweep.DesignGrid, sweep.DesignLHS}},
	"simulate sensitivity": {
		"format": {"text", "json", "csv"}, "method": {sensitivity.Sobol, sensitivity.Morris},
		"sampler": {sensitivity.Halton, sensitivity.Random}, "trajectory-design": {sensitivity.Campolongo, sensitivity.Random},
	},
}

// registerCompletions gives every command of the tree its value completions.
func registerCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := c.CommandPath()
		if c.ValidArgsFunction == nil && takesScenario(c) {
			c.ValidArgsFunction = completeScenario
		}
		flag := func(name string, f cobra.CompletionFunc) {
			if c.Flag(name) != nil {
				if _, ok := c.GetFlagCompletionFunc(name); !ok {
					_ = c.RegisterFlagCompletionFunc(name, f)
				}
			}
		}
		for name, values := range flagValues[path] {
			flag(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
		for name, values := range flagValues[""] {
			flag(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
		if takesScenario(c) {
			flag("set", completeKeys("="))
			flag("vary", completeKeys("="))
			flag("param", completeKeys(""))
			flag("unit", completeUnits)
			flag("target", completeNames(func(sc *scenario.Scenario) []string { return targetNames(sc) }))
			flag("find", completeFind)
		}
		flag("exercises", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		})
		switch path {
		case "simulate exercise show", "simulate exercise check", "simulate exercise handout":
			c.ValidArgsFunction = completeExercises
		case "simulate scenarios show":
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return configs.Names(), cobra.ShellCompDirectiveNoFileComp
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// takesScenario reports whether a command's argument is a scenario file or
// name (its usage line says FILE|NAME).
func takesScenario(c *cobra.Command) bool {
	return strings.Contains(c.Use, "FILE|NAME") && !strings.HasPrefix(c.Use, "scenarios")
}

// completeScenario offers the embedded scenarios, then YAML files and
// directories.
func completeScenario(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	if !strings.ContainsAny(toComplete, "/.") {
		out = prefixed(configs.Names(), toComplete)
	}
	dir, base := filepath.Split(toComplete)
	entries, _ := os.ReadDir(cmpDir(dir))
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		switch {
		case e.IsDir():
			out = append(out, dir+name+"/")
		case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
			out = append(out, dir+name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func cmpDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// completionScenario loads the scenario the command line names, without
// overrides; nil when it does not load.
func completionScenario(args []string) *scenario.Scenario {
	sc, err := loadScenario(args, scenario.Options{})
	if err != nil {
		return nil
	}
	return sc
}

// completeKeys offers scenario keys for --set, --vary and --param: the run
// settings and quota, and the named stages, units, targets and shares as
// selectors to continue from (stages[name=election].).
func completeKeys(assign string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		sc := completionScenario(args)
		if sc == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		keys := []string{"quota" + assign, "run.trials" + assign, "run.seed" + assign, "run.workers" + assign}
		for _, s := range sc.Stages {
			keys = append(keys, "stages[name="+s.Name+"].")
		}
		for _, u := range sc.Units {
			keys = append(keys, "units[name="+u.Name+"].")
		}
		for _, t := range sc.Targets {
			keys = append(keys, "targets[name="+t.Name+"].")
		}
		for _, s := range sc.Shares {
			keys = append(keys, "shares[name="+s.Name+"].")
		}
		return prefixed(keys, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

func completeNames(names func(*scenario.Scenario) []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		sc := completionScenario(args)
		if sc == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return prefixed(names(sc), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

var completeUnits = completeNames(func(sc *scenario.Scenario) []string {
	names := []string{"all"}
	for _, u := range sc.Units {
		names = append(names, u.Name)
	}
	return names
})

var completeFind = completeNames(func(sc *scenario.Scenario) []string {
	var out []string
	for _, kind := range []string{findMissed, findMet} {
		for _, t := range targetNames(sc) {
			out = append(out, kind+":"+t)
		}
	}
	return append(out, findFailedQuorum, findFurther)
})

// completeExercises offers the exercise ids (of --exercises DIR when given).
func completeExercises(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	dir, _ := cmd.Flags().GetString("exercises")
	all, err := loadExercises(dir)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var ids []string
	for _, ex := range all {
		ids = append(ids, ex.ID+"\t"+ex.Title)
	}
	if cmd.Name() == "handout" {
		ids = append(ids, "all\tevery exercise")
	}
	return prefixed(ids, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// prefixed keeps the completions that start with prefix.
func prefixed(all []string, prefix string) []string {
	return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return !strings.HasPrefix(s, prefix) })
}
