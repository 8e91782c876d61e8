package feasible

import (
	"math"
	"slices"
)

// Status is the answer to a feasibility question.
type Status int

// Answers. Unknown means the search hit its node limit (or numerical
// trouble) before deciding; it is reported, never guessed.
const (
	Feasible Status = iota
	Infeasible
	Unknown
)

// Verdict is an answer as reported: feasible, infeasible or unknown.
type Verdict string

// Reported answers.
const (
	VerdictFeasible   Verdict = "feasible"
	VerdictInfeasible Verdict = "infeasible"
	VerdictUnknown    Verdict = "unknown"
	// VerdictConditional: the targets cannot be met as planned (every seat
	// filled, central candidates elected, quotas met), but some trial can
	// meet them through outcomes the plan does not count on
	// (Report.Relies).
	VerdictConditional Verdict = "conditional"
)

// Verdict reports the status.
func (s Status) Verdict() Verdict { return Verdict(s.String()) }

func (s Status) String() string {
	switch s {
	case Feasible:
		return "feasible"
	case Infeasible:
		return "infeasible"
	}
	return "unknown"
}

// ilpResult is the outcome of an integer feasibility search.
type ilpResult struct {
	status Status
	// x is an integer point meeting every row (checked exactly), when feasible.
	x []int64
	// certified: every pruned node of an infeasible answer carries a Farkas
	// certificate checked in exact arithmetic.
	certified bool
	nodes     int
	pivots    int
	// support: when the root relaxation is already infeasible, the rows its
	// certificate combines (nil otherwise).
	support []int
	// tooLarge, stopped: why an answer is Unknown.
	tooLarge, stopped bool
}

// defaultNodeLimit bounds the branch and bound. The problems built from
// scenarios are decided at the root or within a few dozen nodes; the
// limit only guards against pathological inputs.
const defaultNodeLimit = 20000

// solve decides whether the problem has an integer point, by depth-first
// branch and bound on the linear relaxation. A found point is verified in
// exact integer arithmetic, so "feasible" is always proven; "infeasible" is
// proven when every leaf's relaxation has a verified Farkas certificate.
func (p *problem) solve(s *lpSolver, nodeLimit int, stop func() bool) ilpResult {
	if nodeLimit <= 0 {
		nodeLimit = defaultNodeLimit
	}
	if s == nil {
		s = &lpSolver{}
	}
	// The search keeps one box (lo, hi) and a trail of the bound changes
	// made since the root: a node on the stack is its parent's trail
	// length, the one bound its branch moves, and its parent, so that
	// visiting it undoes the trail back to the parent's box, moves that
	// bound and propagates. Nodes cost a few words instead of two copies
	// of every variable's bounds. A node knows its parent, so that the
	// child solved right after its parent (the nearer side, depth first)
	// starts from the parent's final tableau.
	type node struct {
		mark       int   // trail length of the parent's box
		col        int32 // the variable branched on; -1 at the root
		up         bool  // lo[col] = bound (else hi[col] = bound)
		bound      int64
		id, parent int
	}
	tr := &boundTrail{lo: append([]int64(nil), p.lo...), hi: append([]int64(nil), p.hi...)}
	lo, hi := tr.lo, tr.hi
	lastSolved, nextID := -1, 1
	if !propagate(p, lo, hi, nil, stop) {
		return ilpResult{status: Infeasible, certified: true, nodes: 1}
	}
	stack := []node{{col: -1, parent: -1}}
	res := ilpResult{certified: true}
	undecided := false
	for len(stack) > 0 {
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if nd.col >= 0 {
			// Back to the parent's box, then this node's branch. A node
			// whose propagation fails is pruned without counting, as if
			// never pushed.
			tr.undo(nd.mark)
			j := nd.col
			if nd.up {
				tr.setLo(j, nd.bound)
			} else {
				tr.setHi(j, nd.bound)
			}
			if !propagate(p, lo, hi, tr, stop) {
				continue
			}
		}
		if res.nodes >= nodeLimit || (stop != nil && stop()) {
			res.status, res.stopped = Unknown, true
			return res
		}
		res.nodes++
		lr := s.solveFrom(p, lo, hi, nd.parent >= 0 && nd.parent == lastSolved)
		lastSolved = nd.id
		res.pivots += lr.pivots
		switch lr.status {
		case lpInfeasible:
			res.certified = res.certified && lr.certified
			if res.nodes == 1 {
				res.support = lr.support
			}
			continue
		case lpFailed:
			if lr.stopped {
				res.status, res.stopped = Unknown, true
				return res
			}
			if lr.tooLarge {
				res.status, res.tooLarge = Unknown, true
				return res
			}
			undecided = true
			continue
		}
		// Branch on the most fractional variable, those the problem
		// names first before the others.
		bj, bfrac := -1, 1e-6
		for _, j := range p.first {
			if f := math.Abs(lr.x[j] - math.Round(lr.x[j])); f > bfrac {
				bj, bfrac = int(j), f
			}
		}
		for j, v := range lr.x {
			if bj >= 0 && slices.Contains(p.first, int32(bj)) {
				break
			}
			f := math.Abs(v - math.Round(v))
			if f > bfrac {
				bj, bfrac = j, f
			}
		}
		if bj < 0 {
			x := make([]int64, len(lr.x))
			for j, v := range lr.x {
				x[j] = int64(math.Round(v))
			}
			if p.satisfies(x) {
				res.status, res.x = Feasible, x
				return res
			}
			undecided = true
			continue
		}
		v := lr.x[bj]
		fl := int64(math.Floor(v))
		mark := len(tr.log)
		down := node{mark: mark, col: int32(bj), bound: fl, id: nextID, parent: nd.id}
		up := node{mark: mark, col: int32(bj), up: true, bound: fl + 1, id: nextID + 1, parent: nd.id}
		nextID += 2
		// Depth first, nearer side first (pushed last).
		first, second := down, up
		if v-float64(fl) > 0.5 {
			first, second = up, down
		}
		stack = append(stack, second, first)
	}
	if undecided {
		res.status = Unknown
		return res
	}
	res.status = Infeasible
	return res
}

// boundTrail is the branch and bound's box with an undo log: every bound
// change is recorded with the value it replaced, so that going back to an
// ancestor's box is undoing the log to that ancestor's length.
type boundTrail struct {
	lo, hi []int64
	log    []boundChange
}

type boundChange struct {
	col int32
	hi  bool
	old int64
}

func (t *boundTrail) setLo(j int32, v int64) {
	t.log = append(t.log, boundChange{col: j, old: t.lo[j]})
	t.lo[j] = v
}

func (t *boundTrail) setHi(j int32, v int64) {
	t.log = append(t.log, boundChange{col: j, hi: true, old: t.hi[j]})
	t.hi[j] = v
}

// undo restores the box as it was when the log had mark entries.
func (t *boundTrail) undo(mark int) {
	for k := len(t.log) - 1; k >= mark; k-- {
		c := t.log[k]
		if c.hi {
			t.hi[c.col] = c.old
		} else {
			t.lo[c.col] = c.old
		}
	}
	t.log = t.log[:mark]
}

// propagate tightens variable bounds from the rows (each row's activity
// range minus one term bounds that term) until nothing changes, and reports
// false when a row cannot be met. Tightened bounds are implied, so an
// infeasibility found here is proven by integer arithmetic alone. When stop
// (polled every 256 rows) asks it to, it returns true with the bounds
// tightened so far, which are as valid. With a trail (tr, whose box lo, hi
// must be), every change is logged so that it can be undone.
func propagate(p *problem, lo, hi []int64, tr *boundTrail, stop func() bool) bool {
	for j := range lo {
		if lo[j] > hi[j] {
			return false
		}
	}
	for pass := 0; pass < 20; pass++ {
		changed := false
		for i := range p.rows {
			if stop != nil && i%256 == 255 && stop() {
				return true
			}
			r := &p.rows[i]
			amin, amax := activity(r, lo, hi)
			if amax < r.lo || amin > r.hi || r.lo > r.hi {
				return false
			}
			for _, t := range r.terms {
				j := t.col
				// Contribution range of this term.
				var cmin, cmax int64
				if t.coef > 0 {
					cmin, cmax = t.coef*lo[j], t.coef*hi[j]
				} else {
					cmin, cmax = t.coef*hi[j], t.coef*lo[j]
				}
				restMin, restMax := amin-cmin, amax-cmax
				// coef·x ≤ r.hi − restMin and coef·x ≥ r.lo − restMax.
				up := r.hi - restMin
				dn := r.lo - restMax
				var nlo, nhi int64
				if t.coef > 0 {
					nhi = floorDiv(up, t.coef)
					nlo = ceilDiv(dn, t.coef)
				} else {
					nlo = ceilDiv(up, t.coef)
					nhi = floorDiv(dn, t.coef)
				}
				if r.hi >= noHi {
					if t.coef > 0 {
						nhi = hi[j]
					} else {
						nlo = lo[j]
					}
				}
				if r.lo <= noLo {
					if t.coef > 0 {
						nlo = lo[j]
					} else {
						nhi = hi[j]
					}
				}
				moved := false
				if nlo > lo[j] {
					if tr != nil {
						tr.setLo(j, nlo)
					} else {
						lo[j] = nlo
					}
					moved = true
				}
				if nhi < hi[j] {
					if tr != nil {
						tr.setHi(j, nhi)
					} else {
						hi[j] = nhi
					}
					moved = true
				}
				if lo[j] > hi[j] {
					return false
				}
				if moved {
					changed = true
					amin, amax = activity(r, lo, hi)
				}
			}
		}
		if !changed {
			return true
		}
	}
	return true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) == (b < 0)) {
		q++
	}
	return q
}
