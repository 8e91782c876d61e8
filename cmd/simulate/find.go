package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

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
	findMissed       = "missed"
	findMet          = "met"
	findFailedQuorum = "failed_quorum"
	findFurther      = "further_round"
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

// matches traces one trial and reports whether it is one sought, with the
// unit where it happened ("" for a target of the whole scenario).
func (f *trialFinder) matches(m *sim.Model, seed, trial uint64) (bool, string, error) {
	found, where := false, ""
	hit := func(unit string) {
		if !found {
			found, where = true, unit
		}
	}
	err := sim.Trace(m, seed, trial, func(e sim.Event) {
		switch {
		case f.kind == findFailedQuorum && e.Kind == sim.EventCongress && e.Met != nil && !*e.Met,
			f.kind == findFurther && e.Kind == sim.EventRound && e.Round == sim.RoundFurther:
			if f.unit == "" || e.Unit == f.unit {
				hit(e.Unit)
			}
		case (f.kind == findMissed || f.kind == findMet) && e.Kind == sim.EventTarget && e.Target.Name == f.target:
			want := f.kind == findMet
			if f.scope != scenario.ScopeEach {
				if e.Target.Met == want {
					hit("")
				}
				return
			}
			// A target for each unit is missed when one unit misses it
			// and met when all meet it; with a unit, that unit decides.
			for _, u := range e.Target.Units {
				if f.unit != "" && u.Unit != f.unit {
					continue
				}
				if f.unit != "" || (!want && !u.Met) {
					if u.Met == want {
						hit(u.Unit)
					}
					return
				}
			}
			if f.unit == "" && want && e.Target.Met {
				hit("")
			}
		}
	})
	return found, where, err
}

// find scans trials from, from+1 … below end with the run's seed and
// returns the first that matches. Trials are traced in parallel batches, and
// the first match is the lowest number, so the answer does not depend on the
// number of workers.
func (f *trialFinder) find(ctx context.Context, m *sim.Model, seed, from, end uint64, workers int, progress func(done int)) (trial uint64, unit string, ok bool, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		found bool
		unit  string
		err   error
	}
	batch := uint64(4 * workers)
	for lo := from; lo < end; lo += batch {
		if err := ctx.Err(); err != nil {
			return 0, "", false, err
		}
		hi := min(end, lo+batch)
		results := make([]result, hi-lo)
		var wg sync.WaitGroup
		next := make(chan uint64)
		for range min(uint64(workers), hi-lo) {
			wg.Go(func() {
				for k := range next {
					r := &results[k-lo]
					r.found, r.unit, r.err = f.matches(m, seed, k)
				}
			})
		}
		for k := lo; k < hi; k++ {
			next <- k
		}
		close(next)
		wg.Wait()
		for i, r := range results {
			if r.err != nil {
				return 0, "", false, r.err
			}
			if r.found {
				return lo + uint64(i), r.unit, true, nil
			}
		}
		if progress != nil {
			progress(int(hi - from))
		}
	}
	return 0, "", false, nil
}
