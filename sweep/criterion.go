package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"simulate/scenario"
	"simulate/sim"
	"simulate/sim/stats"
)

// Criterion is a per-trial condition whose probability a sweep row or a
// solve reports: one of the scenario's targets, or a tracked share compared
// with a threshold ("women>=0.27": the elected women's share is at least 27%
// in the trial).
type Criterion struct {
	// Spec is the criterion as written: a target name or SHARE>=X / SHARE<=X.
	Spec string
	// Target is the index of the scenario target, or −1 for a share criterion.
	Target int
	// Share is the index of the tracked share of a share criterion.
	Share int
	// AtLeast is true for SHARE>=X, false for SHARE<=X.
	AtLeast   bool
	Threshold float64
}

// ParseCriterion resolves spec against the scenario: a target name, or a
// share name followed by >= or <= and a number in [0, 1].
func ParseCriterion(sc *scenario.Scenario, spec string) (Criterion, error) {
	spec = strings.TrimSpace(spec)
	for _, op := range []string{">=", "<="} {
		name, num, ok := strings.Cut(spec, op)
		if !ok {
			continue
		}
		name, num = strings.TrimSpace(name), strings.TrimSpace(num)
		x, err := strconv.ParseFloat(num, 64)
		if err != nil || !(x >= 0 && x <= 1) {
			return Criterion{}, fmt.Errorf("%q: the threshold must be a share between 0 and 1, got %q", spec, num)
		}
		for i, s := range sc.Shares {
			if s.Name == name {
				return Criterion{Spec: name + op + num, Target: -1, Share: i, AtLeast: op == ">=", Threshold: x}, nil
			}
		}
		return Criterion{}, fmt.Errorf("%q: the scenario tracks no share %q (shares: %s)", spec, name, shareNames(sc))
	}
	for i, t := range sc.Targets {
		if t.Name == spec {
			return Criterion{Spec: spec, Target: i}, nil
		}
	}
	return Criterion{}, fmt.Errorf("the scenario has no target %q (targets: %s; or compare a tracked share, e.g. %s>=0.3)",
		spec, targetNames(sc), firstShare(sc))
}

// IsShare reports whether the criterion compares a share.
func (c Criterion) IsShare() bool { return c.Target < 0 }

// Met counts the trials of a tally that meet the criterion. A share is
// compared at the resolution of the share histogram, 10⁻⁴: a trial whose
// share rounds to the threshold's bin counts as reaching it. Trials in which
// the share is undefined (an empty denominator) do not meet it.
func (c Criterion) Met(t *sim.Tally) int64 {
	if !c.IsShare() {
		return t.Met[c.Target]
	}
	h := t.Hists[c.Share]
	k := c.Threshold * (stats.ShareBins - 1)
	if r := math.Round(k); math.Abs(k-r) < 1e-6 {
		k = r
	}
	var met int64
	if c.AtLeast {
		for i := int(math.Ceil(k)); i < stats.ShareBins; i++ {
			met += h.Bin(i)
		}
	} else {
		for i := 0; i <= int(math.Floor(k)); i++ {
			met += h.Bin(i)
		}
	}
	return met
}

func targetNames(sc *scenario.Scenario) string {
	if len(sc.Targets) == 0 {
		return "none"
	}
	names := make([]string, len(sc.Targets))
	for i, t := range sc.Targets {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

func shareNames(sc *scenario.Scenario) string {
	if len(sc.Shares) == 0 {
		return "none"
	}
	names := make([]string, len(sc.Shares))
	for i, s := range sc.Shares {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

func firstShare(sc *scenario.Scenario) string {
	if len(sc.Shares) == 0 {
		return "SHARE"
	}
	return sc.Shares[0].Name
}
