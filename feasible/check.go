package feasible

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"simulate/scenario"
)

// Options control a check.
type Options struct {
	// MaxRelax bounds every proposed relaxation: a share bound moves by at
	// most MaxRelax (e.g. 0.05 = 5 points), a count bound by at most
	// MaxRelax × the seats it counts. 0 means no bound.
	MaxRelax float64
	// MaxRelaxFor overrides MaxRelax for one target (by name), in the
	// target's own unit: a share for share bounds, a count for count bounds.
	MaxRelaxFor map[string]float64
	// NodeLimit bounds every branch and bound (0: a default of 20,000).
	NodeLimit int
	// NoRelax skips the search for conflicts' fixes and repairs (the
	// verdict and the conflicts are still reported).
	NoRelax bool
	// TimeLimit bounds the whole check (0: two minutes). Questions not
	// decided in time are reported as undecided, never guessed.
	TimeLimit time.Duration
	// Start is when the time limit starts counting (zero: when Check is
	// called); a command sets it to its own start, so that loading the
	// scenario counts too.
	Start time.Time
	// Version is copied into the report.
	Version string
	// VerdictOnly decides the verdict alone — one question as planned and,
	// when it fails, what some trial can do — without conflicts, repairs,
	// per-target and per-unit reports or the worst case (what 'simulate
	// run' asks before simulating).
	VerdictOnly bool

	// exactGuarantee skips the quick sufficient plan of the national
	// worst-case check (tests use it to exercise the exact model).
	exactGuarantee bool
}

// Check decides, before any randomness, whether a validated scenario's
// targets and quotas can be met at all, unit by unit and nationally; works
// out what each unit's lists must hold for the targets to survive the worst
// the voters can do; and, when the targets cannot be met, names minimal sets
// of conflicting constraints and the smallest relaxations that repair them.
func Check(sc *scenario.Scenario, opts Options) (*Report, error) {
	return CheckContext(context.Background(), sc, opts)
}

// CheckContext is Check stopped by ctx: when ctx is cancelled the search
// stops at its next branch-and-bound node and CheckContext returns ctx's
// error instead of a report.
func CheckContext(ctx context.Context, sc *scenario.Scenario, opts Options) (*Report, error) {
	start := time.Now()
	m, err := compile(sc)
	if err != nil {
		return nil, err
	}
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = 2 * time.Minute
	}
	from := start
	if !opts.Start.IsZero() {
		from = opts.Start
	}
	// The search stops early — a tenth of the limit, and at least 150 ms
	// plus 0.2 ms a unit (at most a third of it): writing up what was
	// decided for every unit, freeing the tableaux and exiting take that
	// long on a loaded machine, so the whole command ends within the limit.
	base := 150*time.Millisecond + time.Duration(len(sc.Units))*200*time.Microsecond
	reserve := max(limit/10, min(limit/3, base))
	c := &checker{m: m, opts: opts, deadline: from.Add(limit - reserve), ctx: ctx, broken: make([]bool, len(m.units))}
	c.lp.stop = c.expired
	r := &Report{
		Scenario: sc.Name, Title: sc.Title, Hash: sc.Hash(), Version: opts.Version,
		Units: len(m.units), Certified: true, Election: m.electIdx >= 0,
	}
	for i := range m.units {
		r.Seats += m.units[i].seats
		r.Central += m.units[i].central
		c.stats.Atoms += len(m.units[i].atoms)
	}
	c.stats.Atoms += len(m.central)
	r.Assumptions = c.assumptions()
	r.Checks = c.arithmetic()
	if opts.VerdictOnly {
		c.verdictOnly(r)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.stats.Millis = float64(time.Since(start).Microseconds()) / 1000
		c.stats.VerdictMillis = c.stats.Millis
		r.Solver = c.stats
		return r, nil
	}
	c.decide(r)
	r.Planned = r.Verdict
	if r.Planned == VerdictInfeasible {
		c.anyTrial(r)
	}
	c.stats.VerdictMillis = float64(time.Since(start).Microseconds()) / 1000
	c.conflicts(r)
	r.Targets = c.targetReports()
	r.UnitReports = c.unitReports()
	if r.Planned == VerdictInfeasible && !opts.NoRelax {
		c.repairs(r)
	}
	r.Guarantee = c.guarantee(r)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.tooLarge {
		r.Notes = append(r.Notes, fmt.Sprintf("Some questions were too large for the solver (their tableau filled in beyond %d nonzero entries) and are reported as undecided: a scenario with fewer units or targets, or checked in parts (--set to restrict a target's units), is smaller.", maxTableau))
	}
	if c.stopped {
		advice := "A larger --time-limit lets the search finish"
		if !opts.NoRelax && r.Planned == VerdictInfeasible {
			advice += "; --no-relax skips the search for repairs, usually the longest part"
		}
		r.Notes = append(r.Notes, fmt.Sprintf("The time limit (%v) was reached: questions not yet decided are reported as undecided. %s.", limit, advice))
	}
	if c.nodeLimited {
		nodes := c.opts.NodeLimit
		if nodes <= 0 {
			nodes = defaultNodeLimit
		}
		r.Notes = append(r.Notes, fmt.Sprintf("The branch and bound hit its node limit (%d) on some question, reported as undecided: a larger --node-limit lets it go on.", nodes))
	}
	c.stats.Millis = float64(time.Since(start).Microseconds()) / 1000
	r.Solver = c.stats
	return r, nil
}

type checker struct {
	m     *model
	opts  Options
	lp    lpSolver
	stats Stats
	// broken units cannot fill their lists at all; localBad units cannot
	// meet their own unit-level constraints.
	broken, localBad []bool
	unitStatus       []Status
	deadline         time.Time
	ctx              context.Context
	// tooLarge, stopped record why some question stayed undecided.
	tooLarge, stopped bool
	// nodeLimited: some branch and bound hit its node limit.
	nodeLimited bool
	// pending are the candidate sets of the conflicts decide found, shrunk
	// to minimal conflicts after the verdict is complete (conflicts).
	pending [][]cid
}

// conflicts shrinks the conflicts decide found to minimal ones, once the
// verdict (as planned and in every trial) is decided: within a time limit
// the verdict comes first.
func (c *checker) conflicts(r *Report) {
	for _, cands := range c.pending {
		r.Conflicts = append(r.Conflicts, c.conflict(cands, nil))
	}
	c.pending = nil
}

// expired reports whether the check must stop: its context is cancelled
// or its time limit has passed.
func (c *checker) expired() bool {
	return c.ctx.Err() != nil || time.Now().After(c.deadline)
}

// solve builds a question and decides it; once the check has expired it
// neither builds nor solves, and the question is undecided.
func (c *checker) solve(build func() *built) ilpResult {
	if c.expired() {
		c.stopped = c.stopped || c.ctx.Err() == nil
		return ilpResult{status: Unknown, stopped: true}
	}
	b := build()
	c.stats.Problems++
	c.stats.Variables = max(c.stats.Variables, len(b.p.lo))
	c.stats.Rows = max(c.stats.Rows, len(b.p.rows))
	r := b.p.solve(&c.lp, c.opts.NodeLimit, c.expired)
	c.stats.Nodes += r.nodes
	c.stats.Pivots += r.pivots
	c.tooLarge = c.tooLarge || r.tooLarge
	c.stopped = c.stopped || (r.stopped && time.Now().After(c.deadline))
	c.nodeLimited = c.nodeLimited || (r.stopped && !c.expired())
	return r
}

func only(n, u int) []bool {
	out := make([]bool, n)
	out[u] = true
	return out
}

// decide fills the verdict as planned and collects the candidate sets of
// its conflicts (pending), minimised later.
func (c *checker) decide(r *Report) {
	m := c.m
	U := len(m.units)
	c.localBad = make([]bool, U)
	c.unitStatus = make([]Status, U)
	unknown := false
	// The background of each unit: can its lists be filled at all?
	for ui := range m.units {
		res := c.solve(func() *built { return buildExist(m, buildOpts{units: only(U, ui)}) })
		if res.status == Feasible {
			continue
		}
		c.unitStatus[ui] = res.status
		if res.status == Unknown {
			unknown = true
			continue
		}
		c.broken[ui] = true
		r.Certified = r.Certified && res.certified
		r.Conflicts = append(r.Conflicts, c.structural(ui))
	}
	// Each unit on its own, with its unit-level targets and quotas.
	for ui := range m.units {
		if c.broken[ui] || c.unitStatus[ui] == Unknown {
			continue
		}
		own := map[cid]bool{}
		for _, x := range c.softCids(func(x cid) bool { return c.owner(x) == ui }) {
			own[x] = true
		}
		res := c.solve(func() *built {
			return buildExist(m, buildOpts{units: only(U, ui), soft: true, national: true, only: own})
		})
		c.unitStatus[ui] = res.status
		switch res.status {
		case Unknown:
			unknown = true
		case Infeasible:
			c.localBad[ui] = true
			r.Certified = r.Certified && res.certified
			cands := c.softCids(func(x cid) bool { return c.owner(x) == ui })
			c.pending = append(c.pending, cands)
		}
	}
	anyBroken := false
	for _, b := range c.broken {
		anyBroken = anyBroken || b
	}
	if anyBroken {
		// National targets count every seat in scope; with a unit that
		// cannot fill its lists at all they cannot be analysed meaningfully.
		r.Verdict = VerdictInfeasible
		r.Notes = append(r.Notes, "National targets were not analysed: a unit cannot fill its lists at all (see the structural conflict); fix that first.")
		return
	}
	// Everything together. Units whose own constraints conflict are left
	// out (their conflicts are reported), so that a national conflict shows.
	units := make([]bool, U)
	for ui := range units {
		units[ui] = !c.broken[ui]
	}
	off := map[cid]bool{}
	for _, x := range c.softCids(func(x cid) bool { o := c.owner(x); return o >= 0 && c.localBad[o] }) {
		off[x] = true
	}
	var b *built
	res := c.solve(func() *built {
		b = buildExist(m, buildOpts{units: units, soft: true, national: true, off: off})
		return b
	})
	switch res.status {
	case Unknown:
		unknown = true
	case Infeasible:
		r.Certified = r.Certified && res.certified
		cands := c.softCids(func(x cid) bool { return !off[x] && (x.unit < 0 || units[x.unit]) })
		cands = c.narrow(cands, b, res)
		if len(cands) == 0 {
			unknown = true // cannot happen: the background alone was feasible
			break
		}
		c.pending = append(c.pending, cands)
	}
	switch {
	case len(r.Conflicts) > 0 || len(c.pending) > 0:
		r.Verdict = VerdictInfeasible
	case unknown:
		r.Verdict = VerdictUnknown
		r.Certified = false
	default:
		r.Verdict = VerdictFeasible
	}
}

// narrow returns a smaller infeasible set to start a conflict's deletion
// filter from, when one is found in a question or two: the national targets
// alone (a conflict among a few national targets is the one to report, and
// the cheapest to find), else the soft rows of the certificate res carries
// for the problem b built from cands (an infeasible subsystem of its
// relaxation).
func (c *checker) narrow(cands []cid, b *built, res ilpResult) []cid {
	var nat []cid
	for _, x := range cands {
		if x.unit < 0 {
			nat = append(nat, x)
		}
	}
	if len(nat) > 0 && len(nat) < len(cands) && c.statusWith(nat, nil) == Infeasible {
		return nat
	}
	if sup := c.supportOf(cands, b, res, nil); sup != nil {
		return sup
	}
	return cands
}

// supportOf is the soft constraints of the certificate res carries for the
// problem b built from cands (an infeasible subsystem of its relaxation),
// when they are fewer than cands and infeasible on their own under rel;
// otherwise nil.
func (c *checker) supportOf(cands []cid, b *built, res ilpResult, rel relaxation) []cid {
	if sup := supportCids(b, res); len(sup) > 0 && len(sup) < len(cands) && c.statusWith(sup, rel) == Infeasible {
		return sup
	}
	return nil
}

// supportCids are the soft constraints among the rows of an infeasibility
// certificate.
func supportCids(b *built, res ilpResult) []cid {
	var out []cid
	seen := map[cid]bool{}
	for _, ri := range res.support {
		if tag := b.p.rows[ri].tag; tag >= 0 && !seen[b.rows[tag]] {
			seen[b.rows[tag]] = true
			out = append(out, b.rows[tag])
		}
	}
	return out
}

// owner is the unit a constraint belongs to on its own (its unit, or the
// only unit of a total-scope target's scope), or −1 for a national one.
func (c *checker) owner(x cid) int {
	if x.unit >= 0 {
		return x.unit
	}
	if t := &c.m.targets[x.index]; len(t.units) == 1 {
		return t.units[0]
	}
	return -1
}

// softCids lists the soft constraints that actually bind (a bound that
// every list meets is no constraint), filtered by keep.
func (c *checker) softCids(keep func(cid) bool) []cid {
	m := c.m
	var out []cid
	for ti := range m.targets {
		t := &m.targets[ti]
		if !t.each {
			lo, hi := t.bounds(t.seats, 0, nil)
			if x := (cid{kindTarget, ti, -1}); (lo > 0 || hi < t.seats) && keep(x) {
				out = append(out, x)
			}
			continue
		}
		for _, u := range t.units {
			un := &m.units[u]
			lo, hi := t.bounds(un.final, un.memberShare[ti], nil)
			if x := (cid{kindTarget, ti, u}); (lo > 0 || hi < un.final) && keep(x) {
				out = append(out, x)
			}
		}
	}
	for ui := range m.units {
		u := &m.units[ui]
		for _, l := range u.lists {
			for _, qi := range l.quotas {
				lo, hi := quotaBounds(m.quotas[qi].q, l.size)
				if x := (cid{kindQuota, qi, ui}); (lo > 0 || hi < l.size) && keep(x) {
					out = append(out, x)
				}
			}
		}
	}
	return out
}

// touched is the set of units a set of constraints involves.
func (c *checker) touched(set []cid) []bool {
	out := make([]bool, len(c.m.units))
	for _, x := range set {
		if x.unit >= 0 {
			out[x.unit] = true
			continue
		}
		for _, u := range c.m.targets[x.index].units {
			out[u] = !c.broken[u]
		}
	}
	return out
}

// statusWith decides the problem made of exactly the given soft
// constraints (with their units' background), under a relaxation.
func (c *checker) statusWith(set []cid, rel relaxation) Status {
	return c.solve(func() *built { return c.buildWith(set, rel, Planned) }).status
}

// buildWith builds the problem statusWith decides, at a level.
func (c *checker) buildWith(set []cid, rel relaxation, lv Level) *built {
	on := make(map[cid]bool, len(set))
	for _, x := range set {
		on[x] = true
	}
	off := map[cid]bool{}
	for _, x := range c.softCids(func(cid) bool { return true }) {
		if !on[x] {
			off[x] = true
		}
	}
	return buildExist(c.m, buildOpts{units: c.touched(set), soft: true, national: true, off: off, relax: rel, level: lv})
}

// conflict shrinks an infeasible set of constraints to a minimal one by a
// deletion filter (first whole units' constraints, then one by one, national
// targets last), so that removing any member leaves a feasible rest.
//
// Large sets are narrowed first: whole units in growing chunks when the set
// spans many units, then to the rows of an infeasibility certificate, then
// by QuickXplain when many constraints remain. A constraint whose removal
// once left a feasible rest stays needed in every smaller infeasible set, so
// the last pass does not ask about it again.
func (c *checker) conflict(cands []cid, rel relaxation) Conflict {
	keep := append([]cid(nil), cands...)
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].unit >= 0 && keep[j].unit < 0 })
	minimal := true
	needed := map[cid]bool{}
	var units []int
	seen := map[int]bool{}
	for _, x := range keep {
		if x.unit >= 0 && !seen[x.unit] {
			seen[x.unit] = true
			units = append(units, x.unit)
		}
	}
	if len(units) > chunkUnitsFrom {
		keep = c.dropUnits(keep, units, rel, true, &minimal, needed)
		units = nil // every unit was asked about
	}
	if len(keep) > supportFrom {
		keep = c.toSupport(keep, rel)
	}
	var known, rest []cid
	for _, x := range keep {
		if needed[x] {
			known = append(known, x)
		} else {
			rest = append(rest, x)
		}
	}
	if len(rest) > quickXplainFrom {
		// Many candidates: divide and conquer first (QuickXplain), which
		// needs about 2k·log₂(n/k) questions for a conflict of k out of n
		// instead of n; the deletion filter below then only confirms. The
		// constraints known to be needed are its background, not asked
		// about again.
		keep = append(known, c.quickXplain(known, false, rest, rel, &minimal)...)
	}
	without := func(set []cid, drop func(cid) bool) []cid {
		var out []cid
		for _, x := range set {
			if !drop(x) {
				out = append(out, x)
			}
		}
		return out
	}
	keep = c.dropUnits(keep, units, rel, false, &minimal, needed)
	for i := 0; i < len(keep); {
		if len(keep) == 1 {
			break
		}
		x := keep[i]
		if needed[x] {
			i++
			continue
		}
		trial := without(keep, func(y cid) bool { return y == x })
		switch c.statusWith(trial, rel) {
		case Infeasible:
			keep = trial
		case Unknown:
			minimal = false
			i++
		default:
			i++
		}
	}
	cf := Conflict{Minimal: minimal}
	for _, x := range keep {
		cf.Constraints = append(cf.Constraints, c.ref(x, rel))
	}
	cf.Explanation = c.explainConflict(keep, rel)
	if !c.opts.NoRelax {
		cf.Fixes = c.conflictFixes(keep, rel)
		cf.Explanation = append(cf.Explanation, c.explainFixes(keep, cf.Fixes, rel)...)
	}
	if !minimal {
		for i, line := range cf.Explanation {
			if line == "Drop or relax any one of them and the rest can be met." {
				cf.Explanation[i] = "A limit stopped the search for the smallest set: dropping one of them may not be enough."
			}
		}
	}
	return cf
}

// quickXplainFrom is the number of candidates above which a conflict is
// first narrowed by QuickXplain.
var quickXplainFrom = 48

// quickXplain returns a minimal subset of cands that is infeasible together
// with the background set bg (Junker's QuickXplain): if bg alone is
// infeasible (asked only when something was just added to it), nothing of
// cands is needed; one candidate left is needed; otherwise each half is
// explained against the other's explanation. An undecided question counts
// as feasible (the constraint is kept) and clears minimal.
func (c *checker) quickXplain(bg []cid, added bool, cands []cid, rel relaxation, minimal *bool) []cid {
	if added && len(bg) > 0 {
		switch c.statusWith(bg, rel) {
		case Infeasible:
			return nil
		case Unknown:
			*minimal = false
		}
	}
	if len(cands) <= 1 {
		return cands
	}
	half := len(cands) / 2
	c1, c2 := cands[:half], cands[half:]
	d2 := c.quickXplain(append(append([]cid(nil), bg...), c1...), len(c1) > 0, c2, rel, minimal)
	d1 := c.quickXplain(append(append([]cid(nil), bg...), d2...), len(d2) > 0, c1, rel, minimal)
	return append(append([]cid(nil), d1...), d2...)
}

// chunkUnitsFrom is the number of units above which a conflict's units are
// dropped in growing chunks rather than one at a time; supportFrom the
// number of constraints above which a conflict is first shrunk to an
// infeasibility certificate's rows.
var (
	chunkUnitsFrom = 48
	supportFrom    = 8
)

// dropUnits drops whole units' constraints from an infeasible set while it
// stays infeasible, one unit at a time or, with chunks, in chunks of
// consecutive units that double after each success and halve after each
// failure: a unit is kept only when dropping it alone leaves a feasible rest
// (then, if it had one constraint left, that constraint is needed). Units
// that matter cost one question each; with chunks, runs of units that do
// not cost about two per doubling.
func (c *checker) dropUnits(keep []cid, units []int, rel relaxation, chunks bool, minimal *bool, needed map[cid]bool) []cid {
	size := 1
	for i := 0; i < len(units); {
		n := min(size, len(units)-i)
		drop := map[int]bool{}
		for _, u := range units[i : i+n] {
			drop[u] = true
		}
		var trial []cid
		for _, x := range keep {
			if x.unit < 0 || !drop[x.unit] {
				trial = append(trial, x)
			}
		}
		if len(trial) == len(keep) {
			i += n
			continue
		}
		if len(trial) == 0 {
			// Dropping these would drop everything: ask about fewer.
			if n == 1 {
				i++
				continue
			}
			size = max(1, n/2)
			continue
		}
		status := c.statusWith(trial, rel)
		switch {
		case status == Infeasible:
			keep = trial
			i += n
			if chunks {
				size = 2 * n
			}
		case n > 1:
			size = max(1, n/2)
		default:
			if status == Unknown {
				*minimal = false
			} else if len(keep)-len(trial) == 1 {
				for _, x := range keep {
					if x.unit == units[i] {
						needed[x] = true
					}
				}
			}
			i++
			size = 1
		}
	}
	return keep
}

// toSupport shrinks an infeasible set to the soft constraints its
// certificate combines, when they are fewer and infeasible on their own
// (two questions instead of one per constraint left out).
func (c *checker) toSupport(keep []cid, rel relaxation) []cid {
	var b *built
	res := c.solve(func() *built {
		b = c.buildWith(keep, rel, Planned)
		return b
	})
	if res.status != Infeasible {
		return keep
	}
	// b holds keep's soft rows only, so its certificate's are among them.
	sup := c.supportOf(keep, b, res, rel)
	if sup == nil {
		return keep
	}
	// Keep the set's order (units first, national targets last).
	in := make(map[cid]bool, len(sup))
	for _, x := range sup {
		in[x] = true
	}
	var out []cid
	for _, x := range keep {
		if in[x] {
			out = append(out, x)
		}
	}
	return out
}

// maxSteps is the number of relaxation steps after which a side no longer
// binds anywhere.
func (c *checker) maxSteps(ti, side int) int {
	t := &c.m.targets[ti]
	if hasShare(t.t, side) {
		return int(1/shareStep) + 2
	}
	n := t.seats
	if t.each {
		for _, u := range t.units {
			n = max(n, c.m.units[u].final)
		}
	}
	return n + 2
}

// limitSteps is the user's bound on a side's relaxation, in steps (−1: none).
func (c *checker) limitSteps(ti, side int) int {
	t := &c.m.targets[ti]
	share := hasShare(t.t, side)
	if v, ok := c.opts.MaxRelaxFor[t.t.Name]; ok {
		if share {
			return int(math.Floor(v/shareStep + 1e-9))
		}
		return int(math.Floor(v + 1e-9))
	}
	if c.opts.MaxRelax <= 0 {
		return -1
	}
	if share {
		return int(math.Floor(c.opts.MaxRelax/shareStep + 1e-9))
	}
	n := t.seats
	if t.each {
		n = 0
		for _, u := range t.units {
			n = max(n, c.m.units[u].final)
		}
	}
	return scenario.FloorMul(c.opts.MaxRelax, n)
}

// smallestRelax finds the fewest steps relaxing one side of a target that
// make test feasible; ok is false when even dropping the bound does not.
// drop reports that only dropping the bound works. hint, when above 0, is a
// number of steps known not to be enough minus one (the fix of a conflict
// is a lower bound for the whole scenario), tried first.
func (c *checker) smallestRelax(ti, side int, base relaxation, test func(relaxation) Status, hint ...int) (k int, drop, ok bool) {
	lo := base.steps(ti, side)
	if lo < 0 {
		lo = 0
	}
	hi := c.maxSteps(ti, side)
	if len(hint) > 0 && hint[0] > lo && hint[0] < hi {
		if test(base.with(ti, side, hint[0])) == Feasible {
			if hint[0]-1 <= lo {
				return hint[0], false, true
			}
			hi = hint[0]
		} else {
			lo = hint[0]
		}
		lo = max(lo, hint[0]-1)
	}
	if hi == c.maxSteps(ti, side) {
		if test(base.with(ti, side, -1)) != Feasible {
			return 0, false, false
		}
		if test(base.with(ti, side, hi)) != Feasible {
			return hi, true, true
		}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if test(base.with(ti, side, mid)) == Feasible {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, false, true
}

// conflictFixes finds, for each target in a conflict, the smallest
// relaxation of that target alone that makes the conflict's constraints
// feasible together.
func (c *checker) conflictFixes(set []cid, rel relaxation) []Relaxation {
	var out []Relaxation
	done := map[[2]int]bool{}
	for _, x := range set {
		if x.kind != kindTarget {
			continue
		}
		for _, side := range sides {
			if done[[2]int{x.index, side}] || !hasSide(c.m.targets[x.index].t, side) || !c.sideBinds(x, side, rel) {
				continue
			}
			done[[2]int{x.index, side}] = true
			k, drop, ok := c.smallestRelax(x.index, side, rel, func(r relaxation) Status { return c.statusWith(set, r) })
			if ok {
				out = append(out, c.relaxation(x.index, side, k, drop))
			}
		}
	}
	return out
}

// sideBinds reports whether a side of a target's row in a conflict could
// be what fails (a minimum of 0 or a maximum of n cannot be).
func (c *checker) sideBinds(x cid, side int, rel relaxation) bool {
	lo, hi, n := c.rowBounds(x, rel)
	// The side must also be what sets the bound: a count below a share's
	// minimum does not.
	dlo, dhi, _ := c.rowBounds(x, rel.with(x.index, side, -1))
	if isMinSide(side) {
		return lo > 0 && dlo != lo
	}
	return hi < n && dhi != hi
}

// rowBounds are the bounds of a target's row for one scope.
func (c *checker) rowBounds(x cid, rel relaxation) (lo, hi, n int) {
	t := &c.m.targets[x.index]
	if x.unit < 0 {
		lo, hi = t.bounds(t.seats, 0, rel)
		return lo, hi, t.seats
	}
	u := &c.m.units[x.unit]
	lo, hi = t.bounds(u.final, u.memberShare[x.index], rel)
	return lo, hi, u.final
}

// repairs proposes the smallest changes that make the whole scenario
// feasible: single relaxations if any suffices, otherwise one per conflict,
// together (verified).
func (c *checker) repairs(r *Report) {
	m := c.m
	for _, b := range c.broken {
		if b {
			return // no target relaxation can fill a unit's lists
		}
	}
	units := make([]bool, len(m.units))
	for i := range units {
		units[i] = !c.broken[i]
	}
	full := func(rel relaxation) Status {
		return c.solve(func() *built { return buildExist(m, buildOpts{units: units, soft: true, national: true, relax: rel}) }).status
	}
	type cand struct{ t, side int }
	var cands []cand
	seen := map[cand]bool{}
	for _, cf := range r.Conflicts {
		for _, ref := range cf.Constraints {
			if ref.Kind != "target" {
				continue
			}
			for _, side := range sides {
				k := cand{ref.target, side}
				if !seen[k] && hasSide(m.targets[ref.target].t, side) && c.sideBinds(ref.cid, side, nil) {
					seen[k] = true
					cands = append(cands, k)
				}
			}
		}
	}
	var singles []Relaxation
	for _, k := range cands {
		// Each conflict's own fix is a lower bound for the whole scenario.
		hint := 0
		for _, cf := range r.Conflicts {
			for _, f := range cf.Fixes {
				if f.target == k.t && f.side == k.side && !f.Drop {
					hint = max(hint, f.steps)
				}
			}
		}
		steps, drop, ok := c.smallestRelax(k.t, k.side, nil, full, hint)
		if ok {
			singles = append(singles, c.relaxation(k.t, k.side, steps, drop))
		}
	}
	singles = append(singles, c.listRepairs(r, full)...)
	if len(singles) > 0 {
		// Within the limits first, then those beyond (marked), smallest first.
		sort.SliceStable(singles, func(i, j int) bool {
			a, b := singles[i], singles[j]
			if a.WithinLimit != b.WithinLimit {
				return a.WithinLimit
			}
			return c.size(a) < c.size(b)
		})
		r.Repairs = singles
		return
	}
	// No single change: one fix per conflict, together, checked.
	rel := relaxation{}
	var plan []Relaxation
	conflicts := r.Conflicts
	for round := 0; round < 6; round++ {
		progressed := false
		for _, cf := range conflicts {
			best := -1
			for i, f := range cf.Fixes {
				if f.WithinLimit && (best < 0 || c.size(f) < c.size(cf.Fixes[best])) {
					best = i
				}
			}
			if best < 0 {
				continue
			}
			f := cf.Fixes[best]
			cur := rel.steps(f.target, f.side)
			if cur < 0 || (f.steps >= 0 && cur >= f.steps && !f.Drop) {
				continue
			}
			if f.Drop {
				rel = rel.with(f.target, f.side, -1)
			} else {
				rel = rel.with(f.target, f.side, max(cur, f.steps))
			}
			progressed = true
		}
		if full(rel) == Feasible {
			plan = nil
			for t, v := range rel {
				for _, side := range sides {
					if v[side] != 0 {
						plan = append(plan, c.relaxation(t, side, max(v[side], 0), v[side] < 0))
					}
				}
			}
			sort.SliceStable(plan, func(i, j int) bool { return plan[i].Target < plan[j].Target })
			// A target whose every bound the plan drops keeps a neutral one.
			dropped := map[int]int{}
			for i := range plan {
				if x := &plan[i]; x.Drop && x.target >= 0 {
					x.Set = c.setArgs(m.targets[x.target].t, *x, dropped[x.target])
					dropped[x.target]++
				}
			}
			r.Repairs, r.RepairsTogether = plan, true
			return
		}
		if !progressed {
			return
		}
		// Find what still conflicts under the relaxation.
		cands := c.softCids(func(x cid) bool { return x.unit < 0 || units[x.unit] })
		if c.solve(func() *built { return buildExist(m, buildOpts{units: units, soft: true, national: true, relax: rel}) }).status != Infeasible {
			return
		}
		conflicts = []Conflict{c.conflict(cands, rel)}
	}
}

// maxListScan bounds the nominee-list sizes tried per unit.
const maxListScan = 200

// listRepairs proposes, for each unit of a conflict whose nominee list is
// split among recommending units or drawn from a finite pool, the smallest
// longer nominee list that makes the whole scenario feasible. Larger lists
// are tried one by one: the largest-remainder split among recommending units
// is not monotone in the list's length (the Alabama paradox).
func (c *checker) listRepairs(r *Report, full func(relaxation) Status) []Relaxation {
	m := c.m
	var out []Relaxation
	seen := map[int]bool{}
	for _, cf := range r.Conflicts {
		for _, ref := range cf.Constraints {
			for ui, in := range c.touched([]cid{ref.cid}) {
				if !in || seen[ui] || !m.units[ui].split {
					continue
				}
				seen[ui] = true
				u := &m.units[ui]
				saved := append([]recInfo(nil), u.recs...)
				weights := make([]float64, len(u.u.Recommending))
				for j, rr := range u.u.Recommending {
					weights[j] = rr.Weight
				}
				if len(weights) == 0 {
					weights = []float64{1}
				}
				for n := u.nominees + 1; n <= u.nominees+maxListScan && n <= scenario.MaxListSize; n++ {
					for j, k := range scenario.LargestRemainder(weights, n) {
						u.recs[j].count = k
					}
					// A finite pool's lists are as long as it can fill.
					m.fit(u)
					m.seatTargets()
					if full(nil) == Feasible {
						local := u.seats - u.central
						// The 4-decimal ratio just below (n−local)/local still
						// gives exactly n nominees: local + ⌈ratio·local⌉.
						ratio := math.Floor(float64(n-local)/float64(local)*1e4) / 1e4
						out = append(out, Relaxation{Bound: "nominees", Unit: u.name, From: strconv.Itoa(u.nominees), To: strconv.Itoa(n), WithinLimit: true, target: -1,
							Ratio: ratio, Set: []string{fmt.Sprintf("units[name=%s].nomination={mode: expanded, ratio: %s}", u.name, num(ratio))},
							Text: fmt.Sprintf("let %s nominate %d people instead of %d (set units[name=%s].nomination to {mode: expanded, ratio: %s}), so that its recommending units can supply enough",
								u.name, n, u.nominees, u.name, num(ratio))})
						break
					}
				}
				copy(u.recs, saved)
				m.fit(u)
				m.seatTargets()
			}
		}
	}
	return out
}

// size is a relaxation's change as a share of the seats it counts.
func (c *checker) size(r Relaxation) float64 {
	if r.Drop {
		return 2
	}
	if r.target < 0 {
		return 1.5 // a list change: after any target change of the same order
	}
	t := &c.m.targets[r.target]
	if hasShare(t.t, r.side) {
		return float64(r.steps) * shareStep
	}
	return float64(r.steps) / float64(max(1, t.seats))
}

// guarantee decides whether every unit can compose a ballot such that all
// targets hold whatever the voters do.
func (c *checker) guarantee(r *Report) Guarantee {
	m := c.m
	switch r.Planned {
	case VerdictInfeasible:
		return Guarantee{Verdict: "not_assessed", Text: []string{"Not assessed: the targets cannot all be met as planned, even in the best case."}}
	case VerdictUnknown:
		return Guarantee{Verdict: "not_assessed", Text: []string{"Not assessed: whether the targets can be met at all is undecided."}}
	}
	if m.electIdx < 0 {
		return Guarantee{Verdict: "guaranteed", Text: []string{"There is no vote: the lists the organisation draws up are final, so what is possible is also guaranteed."}}
	}
	unitOK := make([]bool, len(m.units))
	bad := 0
	var badNames []string
	for i := range r.UnitReports {
		unitOK[i] = r.UnitReports[i].Guaranteed
		if !unitOK[i] {
			bad++
			badNames = append(badNames, m.units[i].name)
		}
	}
	g := Guarantee{Verdict: "guaranteed"}
	hasNational := false
	for i := range m.targets {
		hasNational = hasNational || !m.targets[i].unitLevel()
	}
	if hasNational {
		res := ilpResult{status: Unknown}
		if !c.opts.exactGuarantee {
			res = c.solve(func() *built { return buildRobustNational(m, unitOK, false) })
		}
		if res.status != Feasible {
			res = c.solve(func() *built { return buildRobustNational(m, unitOK, true) })
		}
		switch res.status {
		case Feasible:
			g.Text = append(g.Text, "National targets: ballots exist in every unit such that every national target holds whatever the voters do.")
		case Infeasible:
			g.Verdict = "not_guaranteed"
			g.Text = append(g.Text, "National targets: no choice of ballots makes every national target hold whatever the voters do; they are possible, but depend on the vote.")
		default:
			g.Verdict = "unknown"
			g.Text = append(g.Text, "National targets: the worst-case search hit its limit before deciding.")
		}
		g.Text = append(g.Text, c.nationalWorstCase()...)
	}
	if bad > 0 {
		g.Verdict = "not_guaranteed"
		g.Text = append(g.Text, fmt.Sprintf("%d unit(s) cannot compose a ballot that guarantees their own targets: %s.", bad, joinNames(badNames, 6)))
	} else {
		g.Text = append(g.Text, "Unit-level targets: every unit can compose a ballot that guarantees them (see the least compositions per unit).")
	}
	return g
}

// anyTrial asks, when the targets cannot be met as planned, whether some
// trial of the simulation can still meet them: the vote defeating central
// candidates, selections missing their best-effort quotas, seats left
// vacant (each level allowing what the ones before it do). The first level
// with a witness makes the verdict conditional and says what that trial
// needs; when even the widest level has none, no trial meets the targets
// and the verdict stays infeasible.
func (c *checker) anyTrial(r *Report) {
	m := c.m
	var levels []Level
	central := false
	for i := range m.units {
		central = central || m.units[i].central > 0
	}
	if central {
		levels = append(levels, CentralDefeated)
	}
	if len(m.quotas) > 0 {
		levels = append(levels, QuotasMissed)
	}
	if m.mayShrink {
		levels = append(levels, SeatsVacant)
	}
	if len(levels) == 0 {
		return // the plan is all a trial can do
	}
	// Each level allows what the ones before it do, so the widest answers
	// for all of them when it has no witness: one question instead of
	// three when no trial meets the targets. When it has one (or is
	// undecided), the narrower levels are asked in order for the first with
	// a witness, and the widest's answer is kept for its own turn.
	ask := func(lv Level) (ilpResult, *built) {
		var b *built
		res := c.solve(func() *built {
			b = buildExist(m, buildOpts{soft: true, national: true, level: lv})
			return b
		})
		return res, b
	}
	widest := levels[len(levels)-1]
	// A conflict found as planned that no trial escapes either answers
	// for the whole scenario: its constraints alone are a smaller question
	// than every unit and target at once.
	for _, cands := range c.pending {
		res := c.solve(func() *built { return c.buildWith(cands, nil, widest) })
		if res.status == Infeasible {
			r.Certified = r.Certified && res.certified
			return
		}
	}
	wres, wb := ask(widest)
	if wres.status == Infeasible {
		r.Certified = r.Certified && wres.certified
		return
	}
	for _, lv := range levels {
		res, b := wres, wb
		if lv != widest {
			res, b = ask(lv)
		}
		switch res.status {
		case Feasible:
			r.Verdict = VerdictConditional
			r.Relies = c.relies(b, res.x, lv)
			return
		case Unknown:
			r.Verdict = VerdictUnknown
			r.Certified = false
			r.Notes = append(r.Notes, "The targets cannot all be met as planned; whether some trial (with defeated central candidates, missed quotas or vacant seats) can meet them is undecided.")
			return
		}
		r.Certified = r.Certified && res.certified
	}
}

// relies states what the trial of a witness needs beyond the plan.
func (c *checker) relies(b *built, x []int64, lv Level) []string {
	m := c.m
	var defeated, vacant []string
	for ui := range m.units {
		u := &m.units[ui]
		var local, cen int64
		for _, v := range b.top[ui] {
			if v >= 0 {
				local += x[v]
			}
		}
		for _, v := range b.central[ui] {
			cen += x[v]
		}
		if d := int64(u.central) - cen; d > 0 {
			defeated = append(defeated, fmt.Sprintf("%d of %d in %s", d, u.central, u.name))
		}
		if v := int64(u.final) - local - cen; v > 0 {
			vacant = append(vacant, fmt.Sprintf("%d of %d in %s", v, u.final, u.name))
		}
	}
	var out []string
	if lv >= CentralDefeated && len(defeated) > 0 {
		out = append(out, fmt.Sprintf("the vote defeats central candidates (%s) and their seats go to local names on the ballot", joinNames(defeated, 6)))
	}
	if lv >= QuotasMissed && len(m.quotas) > 0 {
		var names []string
		seen := map[string]bool{}
		for _, q := range m.quotas {
			if !seen[q.name] {
				seen[q.name] = true
				names = append(names, q.name)
			}
		}
		out = append(out, fmt.Sprintf("selections miss their best-effort quotas (%s) where too few people for them reach the stage", joinNames(names, 6)))
	}
	if lv >= SeatsVacant {
		what := "the vote leaves seats vacant"
		if m.electIdx < 0 {
			what = "random vetoes leave lists short"
		}
		if len(vacant) > 0 {
			out = append(out, fmt.Sprintf("%s (%s), and targets count only the people elected", what, joinNames(vacant, 6)))
		} else {
			out = append(out, what+", and targets count only the people elected")
		}
	}
	return out
}

// verdictOnly decides the verdict with as few questions as possible: every
// unit and target at once as planned, then, if that fails, what some trial
// can do.
func (c *checker) verdictOnly(r *Report) {
	var b *built
	res := c.solve(func() *built {
		b = buildExist(c.m, buildOpts{soft: true, national: true})
		return b
	})
	switch res.status {
	case Feasible:
		r.Verdict = VerdictFeasible
	case Unknown:
		r.Verdict, r.Certified = VerdictUnknown, false
	default:
		r.Verdict = VerdictInfeasible
		r.Certified = res.certified
		// A smaller conflict, if one is quickly found, lets anyTrial ask
		// it before the whole scenario.
		all := c.softCids(func(cid) bool { return true })
		if set := c.narrow(all, b, res); len(set) < len(all) {
			c.pending = [][]cid{set}
		}
	}
	r.Planned = r.Verdict
	if r.Planned == VerdictInfeasible {
		c.anyTrial(r)
	}
	if c.stopped {
		r.Notes = append(r.Notes, "The time limit was reached: the verdict is undecided (a larger time limit lets the search finish).")
	}
}
