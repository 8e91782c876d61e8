package scenario

import (
	"math"
	"sort"
	"strings"
)

// epsilon absorbs binary floating-point error in products like 0.15·20, which
// must count as exactly 3 when rounding list sizes.
const epsilon = 1e-9

// CeilMul returns ⌈r·n⌉, treating r·n within 1e-9 of an integer as that integer.
func CeilMul(r float64, n int) int {
	x := r * float64(n)
	if near := math.Round(x); math.Abs(x-near) < epsilon {
		return int(near)
	}
	return int(math.Ceil(x))
}

// FloorMul returns ⌊r·n⌋, treating r·n within 1e-9 of an integer as that integer.
func FloorMul(r float64, n int) int {
	x := r * float64(n)
	if near := math.Round(x); math.Abs(x-near) < epsilon {
		return int(near)
	}
	return int(math.Floor(x))
}

// Extra is the number of extra names a surplus ratio r asks for on n seats:
// ⌈r·n⌉ ("at least"), or ⌊r·n⌋+1 when strict ("more than"). A zero ratio asks
// for none even when strict.
func Extra(r float64, strict bool, n int) int {
	if r == 0 || n == 0 {
		return 0
	}
	if strict {
		return FloorMul(r, n) + 1
	}
	return CeilMul(r, n)
}

// NomineeCount is how many people a unit with n local seats nominates.
func NomineeCount(m NominationMode, n int) int {
	switch m.Mode {
	case ModeExpanded:
		return n + CeilMul(m.Ratio, n)
	case ModeCombined:
		expanded := CeilMul(m.ExpandedShare, n)
		return n + CeilMul(m.Ratio, expanded)
	}
	return n
}

// ElectStage returns the scenario's election stage, or nil.
func (sc *Scenario) ElectStage() *ElectStage {
	for i := range sc.Stages {
		if sc.Stages[i].Elect != nil {
			return sc.Stages[i].Elect
		}
	}
	return nil
}

// BallotExtra is the number of local candidates beyond the unit's local seats
// that its ballot must carry: none for uncontested units.
func (sc *Scenario) BallotExtra(u *Unit) int {
	e := sc.ElectStage()
	if e == nil || u.Uncontested {
		return 0
	}
	return Extra(e.Surplus, e.Strict, u.Local())
}

// ListSize is the length of a selected list in unit u (local candidates only;
// centrally nominated candidates join at the election).
func (sc *Scenario) ListSize(s ListSize, u *Unit) int {
	local := u.Local()
	switch {
	case s.Count != nil:
		return *s.Count
	case s.Ballot:
		return local + sc.BallotExtra(u)
	case s.Surplus != nil:
		return local + Extra(*s.Surplus, s.Strict, local)
	}
	return local
}

// TargetUnits returns the indexes of the units a target applies to.
func (sc *Scenario) TargetUnits(t *Target) []int {
	var out []int
	for i, u := range sc.Units {
		if len(t.Units) == 0 && len(t.Groups) == 0 {
			out = append(out, i)
			continue
		}
		in := false
		for _, n := range t.Units {
			in = in || n == u.Name
		}
		for _, g := range t.Groups {
			in = in || g == u.Group
		}
		if in {
			out = append(out, i)
		}
	}
	return out
}

// MinCount is the least count c of n with c/n ≥ s, or c/n > s when strict:
// ⌈s·n⌉, or ⌊s·n⌋+1 (with the 1e-9 tolerance of CeilMul and FloorMul).
func MinCount(s float64, strict bool, n int) int {
	if strict {
		return FloorMul(s, n) + 1
	}
	return CeilMul(s, n)
}

// MaxCount is the greatest count c of n with c/n ≤ s, or c/n < s when
// strict: ⌊s·n⌋, or ⌈s·n⌉−1.
func MaxCount(s float64, strict bool, n int) int {
	if strict {
		return CeilMul(s, n) - 1
	}
	return FloorMul(s, n)
}

// Holds reports whether c matching people out of n meet the target's bounds,
// memberShare being the unit's member share of the target's predicate (used
// by AboveMemberShare). A share of nobody meets no positive minimum.
func (t *Target) Holds(c, n int, memberShare float64) bool {
	lo, hi := t.Bounds(n, memberShare)
	return c >= lo && c <= hi
}

// Bounds returns the least and the most matching people out of n that meet
// the target (hi is math.MaxInt when there is no maximum; lo > hi or lo > n
// when nothing can meet it), memberShare as in [Target.Holds].
func (t *Target) Bounds(n int, memberShare float64) (lo, hi int) {
	lo, hi = 0, math.MaxInt
	if n == 0 && (t.AboveMemberShare || (t.MinShare != nil && *t.MinShare > 0)) {
		return 1, 0
	}
	strict := 0
	if t.Strict {
		strict = 1
	}
	if t.AboveMemberShare {
		lo = max(lo, MinCount(memberShare, t.Strict, n))
	}
	if t.MinCount != nil {
		lo = max(lo, *t.MinCount+strict)
	}
	if t.MaxCount != nil {
		hi = min(hi, *t.MaxCount-strict)
	}
	if t.MinShare != nil {
		lo = max(lo, MinCount(*t.MinShare, t.Strict, n))
	}
	if t.MaxShare != nil {
		hi = min(hi, MaxCount(*t.MaxShare, t.Strict, n))
	}
	return lo, hi
}

// LargestRemainder splits n into integer parts proportional to weights (the
// Hamilton method); ties go to the earlier index, so it is deterministic.
func LargestRemainder(weights []float64, n int) []int {
	out := make([]int, len(weights))
	total := 0.0
	for _, w := range weights {
		total += w
	}
	if total <= 0 || n <= 0 {
		return out
	}
	order := make([]int, len(weights))
	frac := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(n) * w / total
		out[i] = int(math.Floor(exact))
		given += out[i]
		frac[i] = exact - float64(out[i])
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return frac[order[a]] > frac[order[b]] })
	for j := 0; given < n && j < len(order); j++ {
		out[order[j]]++
		given++
	}
	return out
}

// Local is the unit's local seats: its seats less the centrally nominated
// candidates, who join only at the ballot.
func (u *Unit) Local() int { return u.Seats - u.Central }

// NominationMode returns the nomination mode unit u uses: its own override
// (units[].nomination), or the nominate stage's.
func (u *Unit) NominationMode(ns *NominateStage) NominationMode {
	if u.Nomination != nil {
		return *u.Nomination
	}
	return ns.NominationMode
}

// Target returns the target of that name, or nil.
func (sc *Scenario) Target(name string) *Target {
	for i := range sc.Targets {
		if sc.Targets[i].Name == name {
			return &sc.Targets[i]
		}
	}
	return nil
}

// String renders a predicate for people: "gender female", "age le45 or
// a46_55 and gender female" (traits in name order), "everyone" when empty.
func (p Predicate) String() string {
	if len(p) == 0 {
		return "everyone"
	}
	var parts []string
	for _, t := range SortedKeys(p) {
		parts = append(parts, t+" "+strings.Join(p[t], " or "))
	}
	return strings.Join(parts, " and ")
}

// SortedKeys returns a map's keys in increasing order.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// RecommendingUnits returns the bodies that nominate for unit u, with their
// weights: its recommending units, or the unit itself as one body.
func (u *Unit) RecommendingUnits() (recs []RecommendingUnit, weights []float64) {
	recs = u.Recommending
	if len(recs) == 0 {
		recs = []RecommendingUnit{{Name: u.Name, Weight: 1}}
	}
	weights = make([]float64, len(recs))
	for j, r := range recs {
		weights[j] = r.Weight
	}
	return recs, weights
}
