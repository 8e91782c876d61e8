package scenario

import (
	"fmt"
	"runtime"

	"simulate/sim/stats"
)

// Resource limits, checked before anything is built: each bounds a size that
// validation, the model or a run allocates or loops over, so that a hostile
// or mistaken scenario is refused in milliseconds with the limit and the
// value rather than taking minutes or gigabytes. They are generous for real
// scenarios (the 20th-Congress default: 38 units, 1,296 types, 7 stages, 4
// targets, 12 shares, 4 quotas); docs/limits.md lists them all.
const (
	// MaxStages bounds the stages: every stage adds a state to every
	// candidate machine and a row per unit to every tally.
	MaxStages = 64
	// MaxTargets bounds the targets; the feasibility check's integer
	// program grows with the cells of their Venn diagram.
	MaxTargets = 256
	// MaxShares bounds the tracked shares: each keeps a histogram of
	// stats.ShareBins bins (about 80 KB) in every worker.
	MaxShares = 256
	// MaxQuotas bounds the quotas of all select stages together.
	MaxQuotas = 1024
	// MaxTypeUnits bounds the number of types of person times the number of
	// units: the model keeps a sampling table of every type in every unit.
	MaxTypeUnits = 1 << 20
	// MaxDepth bounds the nesting of the scenario file (mappings and lists
	// inside each other); the format itself needs 9 levels.
	MaxDepth = 64
	// MaxWorkerBytes bounds the memory one simulation worker needs
	// (EstimateWorkerBytes); a run needs about workers times this.
	MaxWorkerBytes = 256 << 20
	// MaxRunBytes bounds the memory of all workers of a run together
	// (run.workers, or one per CPU).
	MaxRunBytes = 2 << 30
)

// shareHistBytes is the size of one share histogram.
const shareHistBytes = stats.ShareBins * 8

// candidateBytes is an upper estimate of the memory a candidate on a list
// takes in a worker (its traits, scores and list entries).
const candidateBytes = 128

// EstimateWorkerBytes estimates the memory one simulation worker allocates
// for this scenario before it runs: a histogram per tracked share, the
// per-stage and per-unit counters of its tally, and list buffers for the
// candidates of every unit. It assumes the sizes passed validation.
func (sc *Scenario) EstimateWorkerBytes() int64 {
	S, U := int64(len(sc.Stages)), int64(len(sc.Units))
	T, H := int64(len(sc.Targets)), int64(len(sc.Shares))
	b := H * shareHistBytes
	b += 8 * (3*S*U + 3*H*U + T*(S+U) + 2*S*H + S*8)
	var names int64
	for i := range sc.Units {
		u := &sc.Units[i]
		n := int64(u.Local()) + int64(u.Central)
		for j := range sc.Stages {
			if nm := sc.Stages[j].Nominate; nm != nil {
				n = max(n, int64(NomineeCount(u.NominationMode(nm), u.Local()))+int64(u.Central))
			}
		}
		names += n
	}
	return b + 2*names*candidateBytes
}

// checkCounts checks the limits on the numbers of stages, targets, shares
// and quotas. They are checked first, and the rest of validation is
// skipped when one is exceeded, since it loops over them.
func (sc *Scenario) checkCounts(ps *problems) bool {
	ok := true
	limit := func(path, what string, n, most int) {
		if n > most {
			ps.add(path, "%d %s; at most %d are supported (docs/limits.md)", n, what, most)
			ok = false
		}
	}
	limit("stages", "stages", len(sc.Stages), MaxStages)
	limit("targets", "targets", len(sc.Targets), MaxTargets)
	limit("shares", "tracked shares", len(sc.Shares), MaxShares)
	quotas := 0
	for i := range sc.Stages {
		if s := sc.Stages[i].Select; s != nil {
			quotas += len(s.Quotas)
		}
	}
	limit("stages", "quotas in the select stages", quotas, MaxQuotas)
	return ok
}

// checkResources checks the limits that combine sizes: types × units and
// the memory of a worker. It runs after the other rules, on a scenario
// whose sizes are valid.
func (sc *Scenario) checkResources(ps *problems) {
	types := int64(1)
	for _, t := range sc.Traits {
		types *= int64(max(1, len(t.Values)))
		if types > MaxTypes {
			return // reported by validateTraits
		}
	}
	if tu := types * int64(len(sc.Units)); tu > MaxTypeUnits {
		ps.add("units", "%d types of person × %d units = %d sampling cells; at most %d are supported (docs/limits.md): use fewer traits or values, or fewer units",
			types, len(sc.Units), tu, MaxTypeUnits)
		return
	}
	b := sc.EstimateWorkerBytes()
	if b > MaxWorkerBytes {
		ps.add("shares", "a run would need about %d MiB per worker (%d tracked shares × %d KB of histogram, plus the units' lists); at most %d MiB are supported (docs/limits.md)",
			b>>20, len(sc.Shares), shareHistBytes/1000, MaxWorkerBytes>>20)
		return
	}
	workers := sc.Run.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, max(1, sc.Run.Trials)) // a run never has more workers than trials
	if total := b * int64(workers); total > MaxRunBytes {
		ps.add("run.workers", "%d workers would need about %d MiB (%d MiB each: %d tracked shares × %d KB of histogram, plus the units' lists); at most %d MiB are supported (docs/limits.md): use fewer workers",
			workers, total>>20, b>>20, len(sc.Shares), shareHistBytes/1000, MaxRunBytes>>20)
	}
}

// errDepth describes a file nested deeper than MaxDepth.
func errDepth(depth int) string {
	return fmt.Sprintf("nesting is deeper than %d levels (mappings and lists inside each other, at least %d here); a scenario needs fewer than 10", MaxDepth, depth)
}
