package feasible

import (
	"math"
	"math/big"
)

// term is one nonzero coefficient of a constraint row.
type term struct {
	col  int32
	coef int64
}

// row is a linear constraint lo ≤ Σ coef·x[col] ≤ hi on integer variables.
// noLo and noHi stand for a missing bound.
type row struct {
	terms  []term
	lo, hi int64
	// tag identifies the row for the caller (which constraint it encodes);
	// the solver ignores it.
	tag int
	// link marks a row that joins the problem's blocks (a national row
	// spanning every unit): the sparse solver meets the other rows first,
	// block by block, and these last (lp_sparse.go). Only speed depends on
	// it.
	link bool
}

const (
	noLo = math.MinInt64 / 4
	noHi = math.MaxInt64 / 4
)

// problem is an integer feasibility problem: find integers x with
// lo[j] ≤ x[j] ≤ hi[j] and every row within its bounds. Every variable must
// have finite bounds; coefficients and bounds are small integers (counts of
// people), so activities fit in int64 with room to spare.
type problem struct {
	lo, hi []int64
	rows   []row
	// first are variables the search branches on before any other.
	first []int32
}

func (p *problem) addVar(lo, hi int64) int32 {
	p.lo = append(p.lo, lo)
	p.hi = append(p.hi, hi)
	return int32(len(p.lo) - 1)
}

func (p *problem) addRow(terms []term, lo, hi int64, tag int) {
	p.rows = append(p.rows, row{terms: terms, lo: lo, hi: hi, tag: tag})
}

// markLinks marks the rows from index `from` on as rows joining the
// problem's blocks.
func (p *problem) markLinks(from int) {
	for i := from; i < len(p.rows); i++ {
		p.rows[i].link = true
	}
}

// activity returns the least and greatest value of a row over the box lo..hi.
func activity(r *row, lo, hi []int64) (amin, amax int64) {
	for _, t := range r.terms {
		if t.coef > 0 {
			amin += t.coef * lo[t.col]
			amax += t.coef * hi[t.col]
		} else {
			amin += t.coef * hi[t.col]
			amax += t.coef * lo[t.col]
		}
	}
	return amin, amax
}

// satisfies reports whether the integer point x meets every bound and row,
// in exact integer arithmetic.
func (p *problem) satisfies(x []int64) bool {
	for j := range x {
		if x[j] < p.lo[j] || x[j] > p.hi[j] {
			return false
		}
	}
	for i := range p.rows {
		r := &p.rows[i]
		var a int64
		for _, t := range r.terms {
			a += t.coef * x[t.col]
		}
		if a < r.lo || a > r.hi {
			return false
		}
	}
	return true
}

type lpStatus int

const (
	lpFeasible lpStatus = iota
	lpInfeasible
	lpFailed // iteration limit or numerical trouble
)

// lpResult is the outcome of one linear relaxation.
type lpResult struct {
	status lpStatus
	x      []float64
	// certified: for lpInfeasible, a Farkas certificate was checked in exact
	// rational arithmetic.
	certified bool
	// support lists the rows (indexes into problem.rows) the certificate
	// combines: an infeasible subsystem of the relaxation.
	support []int
	pivots  int
	// tooLarge: the sparse tableau filled in beyond maxTableau nonzeros.
	tooLarge bool
	// stopped: the solver's stop function asked it to give up.
	stopped bool
	// tableau: the answer comes from a final tableau (which a warm start
	// can continue from).
	tableau bool
}

// maxTableau bounds the sparse tableau's nonzero entries (12 bytes each
// with their column, up to twice that with the rows' spare capacity): 16
// million is 200–400 MB. Problems whose pivots would fill it are reported
// as undecided rather than exhausting memory.
const maxTableau = 16_000_000

// Status of a tableau column.
const (
	atLower int8 = iota
	atUpper
	basic
)

// Tolerances. Data are small integers, so pivots and values stay well
// scaled; the exact certificate check guards every infeasibility claim.
const (
	pivotTol = 1e-9
	costTol  = 1e-9
	feasTol  = 1e-7
	dropTol  = 1e-14 // entries that cancel to rounding noise stay exactly zero
)

// denseLimit is the largest dense tableau (entries) the solver uses:
// 250,000 entries are 2 MB. Above it the sparse tableau is faster: its
// phase one keeps the units' blocks apart, reads a column from its block's
// rows and prices from a heap, where the dense one clears, prices and
// scans whole rows (with a limit of 4 million, 300 units × 12 targets,
// infeasible, took 20.6 s against 4.1 s; cpc20's check 56 ms against 51).
var denseLimit int64 = 250_000

// antiCycle is the pivot rules' guard against cycling: after a run of more
// than 50 degenerate pivots (steps of length 0) they switch to Bland's
// rule, which cannot cycle, for the rest of the solve.
type antiCycle struct {
	degenerate int
	bland      bool
}

// step records the length of a pivot's step.
func (a *antiCycle) step(step float64) {
	if step >= 1e-12 {
		a.degenerate = 0
		return
	}
	if a.degenerate++; a.degenerate > 50 {
		a.bland = true
	}
}

// lpSolver solves linear relaxations with a dense tableau when it is small
// and a sparse one otherwise, keeping both one's buffers between calls.
type lpSolver struct {
	dense  denseLP
	sparse sparseLP
	// stop, when set, is polled before every pivot; when it returns true
	// the solve gives up (lpFailed, stopped).
	stop func() bool
}

func (s *lpSolver) solve(p *problem, lo, hi []int64) lpResult {
	return s.solveFrom(p, lo, hi, false)
}

// solveFrom is solve, starting from the last solve's final tableau when warm
// is set (lo, hi only tighter than that solve's box, e.g. a branch's child)
// and that tableau is usable; a warm start that fails falls back to a cold
// one, so its answers are the same.
func (s *lpSolver) solveFrom(p *problem, lo, hi []int64, warm bool) lpResult {
	m := int64(len(p.rows))
	if m*(int64(len(lo))+2*m) <= denseLimit {
		s.dense.stop = s.stop
		if warm && s.dense.last == p {
			if res, ok := s.dense.warm(p, lo, hi); ok {
				return res
			}
		}
		return s.dense.solve(p, lo, hi)
	}
	s.sparse.stop = s.stop
	if warm && s.sparse.last == p {
		if res, ok := s.sparse.warm(p, lo, hi); ok {
			return res
		}
	}
	return s.sparse.solve(p, lo, hi)
}

// certify checks, in exact rational arithmetic, the Farkas certificate read
// off the final phase-one tableau: with π_r the reduced cost of the row
// variable s_r, every point of the system satisfies π·(A·x − s) = 0, so if
// that expression cannot be 0 anywhere in the box, the system has no point.
// It tries π as computed, then π rounded to nearby fractions.
func certify(p *problem, lo, hi []int64, active []int, d []float64, n, m int) bool {
	pi := make([]float64, m)
	for r := 0; r < m; r++ {
		pi[r] = d[n+r]
	}
	if checkFarkas(p, lo, hi, active, pi, false) {
		return true
	}
	return checkFarkas(p, lo, hi, active, pi, true)
}

// infeasibleResult is an infeasible relaxation's answer from the row
// multipliers pi (indexed by column: the row variables n…n+m−1): whether they
// form a certificate checked in exact arithmetic, and the rows they combine.
func infeasibleResult(p *problem, lo, hi []int64, active []int, pi []float64, n, m int) lpResult {
	res := lpResult{status: lpInfeasible, tableau: true}
	res.certified = certify(p, lo, hi, active, pi, n, m)
	for r := 0; r < m; r++ {
		if math.Abs(pi[n+r]) > 1e-9 {
			res.support = append(res.support, active[r])
		}
	}
	return res
}

// warmMultipliers are the row multipliers of a warm phase one that cannot
// reduce the violation: the reduced costs of the row variables, or the
// costs of those that are basic.
func warmMultipliers(d, cost []float64, basis []int, n, m int) []float64 {
	pi := make([]float64, n+m)
	copy(pi[n:], d[n:n+m])
	for r := 0; r < m; r++ {
		if b := basis[r]; b >= n && b < n+m {
			pi[b] += cost[r]
		}
	}
	return pi
}

func checkFarkas(p *problem, lo, hi []int64, active []int, pi []float64, round bool) bool {
	n := len(lo)
	y := make([]*big.Rat, len(pi))
	for r, v := range pi {
		if round {
			y[r] = nearFraction(v, 1<<20)
		} else {
			y[r] = new(big.Rat).SetFloat64(v)
		}
		if y[r] == nil {
			return false
		}
	}
	g := make([]*big.Rat, n)
	tmp := new(big.Rat)
	minV, maxV := new(big.Rat), new(big.Rat)
	for r, ri := range active {
		if y[r].Sign() == 0 {
			continue
		}
		for _, t := range p.rows[ri].terms {
			if g[t.col] == nil {
				g[t.col] = new(big.Rat)
			}
			tmp.SetInt64(t.coef)
			tmp.Mul(tmp, y[r])
			g[t.col].Add(g[t.col], tmp)
		}
		// −π_r·s_r with s_r in the row's (clamped) bounds.
		amin, amax := activity(&p.rows[ri], lo, hi)
		rlo, rhi := max(p.rows[ri].lo, amin), min(p.rows[ri].hi, amax)
		addRange(minV, maxV, new(big.Rat).Neg(y[r]), rlo, rhi)
	}
	for j, gj := range g {
		if gj != nil && gj.Sign() != 0 {
			addRange(minV, maxV, gj, lo[j], hi[j])
		}
	}
	return minV.Sign() > 0 || maxV.Sign() < 0
}

// addRange adds the range of c·v for v in [lo, hi] to [minV, maxV].
func addRange(minV, maxV, c *big.Rat, lo, hi int64) {
	a := new(big.Rat).Mul(c, new(big.Rat).SetInt64(lo))
	b := new(big.Rat).Mul(c, new(big.Rat).SetInt64(hi))
	if a.Cmp(b) > 0 {
		a, b = b, a
	}
	minV.Add(minV, a)
	maxV.Add(maxV, b)
}

// nearFraction returns the continued-fraction approximation of v with
// denominator at most maxDen, or nil for non-finite v.
func nearFraction(v float64, maxDen int64) *big.Rat {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	neg := v < 0
	x := math.Abs(v)
	var h0, h1, k0, k1 int64 = 0, 1, 1, 0
	for i := 0; i < 64; i++ {
		a := math.Floor(x)
		if a > 1e15 {
			break
		}
		ai := int64(a)
		h2, k2 := ai*h1+h0, ai*k1+k0
		if k2 > maxDen {
			break
		}
		h0, h1, k0, k1 = h1, h2, k1, k2
		f := x - a
		if f < 1e-12 {
			break
		}
		x = 1 / f
	}
	if k1 == 0 {
		return new(big.Rat)
	}
	r := big.NewRat(h1, k1)
	if neg {
		r.Neg(r)
	}
	return r
}

func resizeF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func resizeI(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func resizeS(s []int8, n int) []int8 {
	if cap(s) < n {
		return make([]int8, n)
	}
	return s[:n]
}

func resizeB(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

func resize32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
