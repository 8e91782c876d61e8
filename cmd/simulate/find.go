package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

// findTrial runs trace --find: the first trial from from on (up to the
// scenario's run.trials of them) that matches, and the units to narrate —
// the one where it happened unless --unit chose.
func findTrial(cmd *cobra.Command, sc *scenario.Scenario, m *sim.Model, spec string, from uint64, units []string, quiet bool) (uint64, []string, error) {
	only := ""
	if cmd.Flags().Changed("unit") && len(units) == 1 {
		only = units[0]
	}
	f, err := parseFind(spec, sc, only)
	if err != nil {
		return 0, nil, err
	}
	n := uint64(sc.Run.Trials)
	seed := sc.Run.Seed
	bar := newProgress(quiet, int64(n), "searching trials")
	trial, where, ok, err := f.find(cmd.Context(), m, seed, from, from+n, sc.Run.Workers, func(done int) { bar.Set(int64(done)) })
	bar.Done()
	if err != nil {
		return 0, nil, interrupted(cmd, err)
	}
	if !ok {
		return 0, nil, fmt.Errorf("no trial of %d–%d (seed %d) in which %s; search more with --trials N, or from another --trial", from, from+n-1, seed, f)
	}
	if where != "" && only == "" && !cmd.Flags().Changed("unit") {
		if units, err = report.TraceUnits(sc, where); err != nil {
			return 0, nil, err
		}
	}
	if !quiet {
		L := langOf(cmd)
		in := ""
		if where != "" && only == "" {
			in = fmt.Sprintf(L.T(" (in %s)"), where)
		}
		what := f.String()
		if L.Zh() {
			what = f.zh()
		}
		fmt.Fprintf(cmd.ErrOrStderr(), L.T("trace: trial %d is the first from %d (seed %d) in which %s%s; --trial %d instead of --find narrates it again\n"),
			trial, from, seed, what, in, trial)
	}
	return trial, units, nil
}

// What trace --find looks for.
const (
	findMissed       = sim.FindMissed
	findMet          = sim.FindMet
	findFailedQuorum = sim.FindFailedQuorum
	findFurther      = sim.FindFurther
)

var findKinds = []string{findMissed + ":TARGET", findMet + ":TARGET", findFailedQuorum, findFurther}

// trialFinder is a parsed --find: a trial in which a target was missed or
// met, a congress failed its quorum, or a ballot went to a further round;
// in unit only, when unit is set.
type trialFinder struct {
	kind, target string
	scope        scenario.Scope
	unit         string
}

// parseFind reads a --find value against the scenario's targets.
func parseFind(spec string, sc *scenario.Scenario, unit string) (*trialFinder, error) {
	kind, target, hasTarget := strings.Cut(strings.TrimSpace(spec), ":")
	kinds := []string{findMissed, findMet, findFailedQuorum, findFurther}
	if !slices.Contains(kinds, kind) {
		if near := nearestName(kind, kinds); near != "" {
			return nil, usagef("--find %q: did you mean %q?", spec, near+strings.TrimPrefix(spec, kind))
		}
		return nil, usagef("--find %q: want one of %s", spec, strings.Join(findKinds, ", "))
	}
	f := &trialFinder{kind: kind, unit: unit}
	needsTarget := kind == findMissed || kind == findMet
	if needsTarget != hasTarget {
		if needsTarget {
			return nil, usagef("--find %s needs a target: %s:TARGET (targets: %s)", kind, kind, strings.Join(targetNames(sc), ", "))
		}
		return nil, usagef("--find %s takes no target (write --find %s)", spec, kind)
	}
	if needsTarget {
		t := sc.Target(target)
		if t == nil {
			names := targetNames(sc)
			if near := nearestName(target, names); near != "" {
				return nil, usagef("--find %s: no target %q; did you mean %q?", spec, target, near)
			}
			return nil, usagef("--find %s: no target %q (targets: %s)", spec, target, strings.Join(names, ", "))
		}
		f.target, f.scope = t.Name, t.Scope
	}
	return f, nil
}

func targetNames(sc *scenario.Scenario) []string {
	var names []string
	for _, t := range sc.Targets {
		names = append(names, t.Name)
	}
	return names
}

// String says what the finder looks for, in words.
func (f *trialFinder) String() string {
	var s string
	switch f.kind {
	case findMissed:
		s = fmt.Sprintf("target %s was missed", f.target)
	case findMet:
		s = fmt.Sprintf("target %s was met", f.target)
	case findFailedQuorum:
		s = "a congress failed its quorum"
	case findFurther:
		s = "a ballot went to a further round"
	}
	if f.unit != "" {
		s += " in " + f.unit
	}
	return s
}

// zh says what the finder looks for, in Chinese.
func (f *trialFinder) zh() string {
	var s string
	switch f.kind {
	case findMissed:
		s = fmt.Sprintf("目标 %s 未达到", f.target)
	case findMet:
		s = fmt.Sprintf("目标 %s 达到", f.target)
	case findFailedQuorum:
		s = "有选举未达到法定人数"
	case findFurther:
		s = "有选举进行了另行选举"
	}
	if f.unit != "" {
		s = f.unit + "：" + s
	}
	return s
}

// find scans trials from, from+1 … below end with the run's seed and
// returns the first that matches (sim.FindTrial).
func (f *trialFinder) find(ctx context.Context, m *sim.Model, seed, from, end uint64, workers int, progress func(done int)) (trial uint64, unit string, ok bool, err error) {
	q := sim.TrialQuery{Kind: f.kind, Target: f.target, Scope: f.scope, Unit: f.unit}
	return sim.FindTrial(ctx, m, q, seed, from, end, workers, progress)
}
