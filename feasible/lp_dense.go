package feasible

import "math"

// denseLP solves the linear relaxation of a problem over a box with a
// bounded-variable primal simplex (phase one only: the problems here are
// pure feasibility questions). It keeps its buffers between calls.
//
// Form: every active row r gets a row variable s_r = A_r·x bounded by the
// row's bounds, so the system is A·x − s = 0 over a box. Rows whose start
// value (x at its lower bounds) is out of bounds get an artificial variable;
// phase one minimises their sum. The tableau is dense: problems have at most
// a few hundred rows.
type denseLP struct {
	tab    []float64
	beta   []float64
	d      []float64
	basis  []int
	status []int8
	lo, hi []float64
	active []int
	nz     []int32 // nonzero columns of the pivot row
	// last is the problem whose final tableau the buffers hold (nil:
	// none usable), for a warm start of a branch's child (lp_warm.go).
	last *problem
	// stop, when set, is polled before every pivot (a pivot of a large
	// tableau takes tens of milliseconds, a poll tens of nanoseconds); when
	// it returns true the solve gives up (lpFailed, stopped).
	stop func() bool
}

func (s *denseLP) solve(p *problem, lo, hi []int64) lpResult {
	res := s.coldSolve(p, lo, hi)
	s.last = nil
	if res.tableau && (res.status == lpFeasible || res.status == lpInfeasible) {
		s.last = p
	}
	return res
}

func (s *denseLP) coldSolve(p *problem, lo, hi []int64) lpResult {
	n := len(lo)
	for j := 0; j < n; j++ {
		if lo[j] > hi[j] {
			return lpResult{status: lpInfeasible, certified: true}
		}
	}
	// Keep only rows that can bind; a row that cannot be met over the box is
	// its own certificate.
	s.active = s.active[:0]
	type bounds struct{ lo, hi int64 }
	var rb []bounds
	for i := range p.rows {
		r := &p.rows[i]
		amin, amax := activity(r, lo, hi)
		if amax < r.lo || amin > r.hi || r.lo > r.hi {
			return lpResult{status: lpInfeasible, certified: true, support: []int{i}}
		}
		if amin >= r.lo && amax <= r.hi {
			continue
		}
		s.active = append(s.active, i)
		rb = append(rb, bounds{max(r.lo, amin), min(r.hi, amax)})
	}
	m := len(s.active)
	if m == 0 {
		x := make([]float64, n)
		for j := range x {
			x[j] = float64(lo[j])
		}
		return lpResult{status: lpFeasible, x: x}
	}
	ncol := n + 2*m
	s.tab = resizeF(s.tab, m*ncol)
	clear(s.tab)
	s.beta = resizeF(s.beta, m)
	s.d = resizeF(s.d, ncol)
	clear(s.d)
	s.lo = resizeF(s.lo, ncol)
	s.hi = resizeF(s.hi, ncol)
	s.basis = resizeI(s.basis, m)
	s.status = resizeS(s.status, ncol)
	for j := 0; j < n; j++ {
		s.lo[j], s.hi[j] = float64(lo[j]), float64(hi[j])
		s.status[j] = atLower
	}
	tab := s.tab
	for r, ri := range s.active {
		if s.stop != nil && r%64 == 63 && s.stop() {
			return lpResult{status: lpFailed, stopped: true}
		}
		pr := &p.rows[ri]
		var act int64
		for _, t := range pr.terms {
			act += t.coef * lo[t.col]
		}
		sc := n + r
		ac := n + m + r
		s.lo[sc], s.hi[sc] = float64(rb[r].lo), float64(rb[r].hi)
		s.lo[ac], s.hi[ac] = 0, 0
		s.status[ac] = atLower
		rowT := tab[r*ncol : (r+1)*ncol]
		if act >= rb[r].lo && act <= rb[r].hi {
			// s_r basic: B_rr = −1, so the tableau row is −M_r.
			for _, t := range pr.terms {
				rowT[t.col] -= float64(t.coef)
			}
			rowT[sc] = 1
			s.basis[r] = sc
			s.status[sc] = basic
			s.beta[r] = float64(act)
			continue
		}
		v, st := rb[r].lo, atLower
		if act > rb[r].hi {
			v, st = rb[r].hi, atUpper
		}
		sigma := 1.0
		if v < act {
			sigma = -1
		}
		s.status[sc] = st
		// a_r basic with B_rr = σ: the tableau row is M_r/σ.
		for _, t := range pr.terms {
			rowT[t.col] += float64(t.coef) / sigma
		}
		rowT[sc] = -1 / sigma
		rowT[ac] = 1
		s.hi[ac] = math.Inf(1)
		s.basis[r] = ac
		s.status[ac] = basic
		s.beta[r] = math.Abs(float64(v - act))
		// Phase-one cost 1 on the artificial: d_j = c_j − Σ_{artificial rows} T_rj.
		for j := 0; j < ncol; j++ {
			s.d[j] -= rowT[j]
		}
		s.d[ac] += 1
	}
	res := s.iterate(m, n, ncol)
	if res.status == lpFailed {
		return res
	}
	res.tableau = true
	// Recompute the basic values from the nonbasic ones to shed drift.
	w := 0.0
	for r := 0; r < m; r++ {
		rowT := tab[r*ncol : (r+1)*ncol]
		v := 0.0
		for j := 0; j < ncol; j++ {
			if s.status[j] != basic {
				if x := s.value(j); x != 0 {
					v -= rowT[j] * x
				}
			}
		}
		s.beta[r] = v
		if s.basis[r] >= n+m {
			w += v
		}
	}
	if w > feasTol {
		inf := infeasibleResult(p, lo, hi, s.active, s.d, n, m)
		inf.pivots = res.pivots
		return inf
	}
	x := make([]float64, n)
	for j := 0; j < n; j++ {
		x[j] = s.value(j)
	}
	for r := 0; r < m; r++ {
		if b := s.basis[r]; b < n {
			x[b] = s.beta[r]
		}
	}
	res.status = lpFeasible
	res.x = x
	return res
}

func (s *denseLP) value(j int) float64 {
	if s.status[j] == atUpper {
		return s.hi[j]
	}
	return s.lo[j]
}

// iterate runs phase-one pivots until no column can reduce the sum of the
// artificials. Dantzig's rule, switching to Bland's rule (which cannot
// cycle) after a run of degenerate pivots.
func (s *denseLP) iterate(m, n, ncol int) lpResult {
	tab := s.tab
	maxIter := 50 * (m + ncol)
	var ac antiCycle
	res := lpResult{}
	for it := 0; it < maxIter; it++ {
		if s.stop != nil && s.stop() {
			res.status, res.stopped = lpFailed, true
			return res
		}
		w := 0.0
		for r := 0; r < m; r++ {
			if s.basis[r] >= n+m {
				w += s.beta[r]
			}
		}
		if w <= feasTol/10 {
			return res
		}
		enter, best := -1, 0.0
		for j := 0; j < ncol; j++ {
			st := s.status[j]
			if st == basic || s.lo[j] == s.hi[j] {
				continue
			}
			dj := s.d[j]
			score := 0.0
			if st == atLower && dj < -costTol {
				score = -dj
			} else if st == atUpper && dj > costTol {
				score = dj
			}
			if score == 0 {
				continue
			}
			if ac.bland {
				enter = j
				break
			}
			if score > best {
				enter, best = j, score
			}
		}
		if enter < 0 {
			return res
		}
		dir := 1.0
		if s.status[enter] == atUpper {
			dir = -1
		}
		step := s.hi[enter] - s.lo[enter]
		leave := -1
		leaveAlpha := 0.0
		for r := 0; r < m; r++ {
			alpha := dir * tab[r*ncol+enter]
			b := s.basis[r]
			var lim float64
			switch {
			case alpha > pivotTol:
				lim = (s.beta[r] - s.lo[b]) / alpha
			case alpha < -pivotTol:
				if math.IsInf(s.hi[b], 1) {
					continue
				}
				lim = (s.hi[b] - s.beta[r]) / -alpha
			default:
				continue
			}
			if lim < 0 {
				lim = 0
			}
			switch {
			case lim < step-1e-12:
				step, leave, leaveAlpha = lim, r, alpha
			case lim <= step+1e-12 && leave >= 0:
				// Ties: Bland takes the smallest variable index, otherwise
				// the largest pivot for stability.
				if ac.bland {
					if s.basis[r] < s.basis[leave] {
						leave, leaveAlpha = r, alpha
					}
				} else if math.Abs(alpha) > math.Abs(leaveAlpha) {
					leave, leaveAlpha = r, alpha
				}
			}
		}
		if math.IsInf(step, 1) {
			res.status = lpFailed // cannot happen in phase one; guard anyway
			return res
		}
		ac.step(step)
		for r := 0; r < m; r++ {
			if a := tab[r*ncol+enter]; a != 0 {
				s.beta[r] -= dir * a * step
			}
		}
		res.pivots++
		if leave < 0 {
			// The entering variable reaches its other bound first.
			if s.status[enter] == atLower {
				s.status[enter] = atUpper
			} else {
				s.status[enter] = atLower
			}
			continue
		}
		newVal := s.value(enter) + dir*step
		lv := s.basis[leave]
		if leaveAlpha > 0 {
			s.status[lv] = atLower
		} else {
			s.status[lv] = atUpper
		}
		if lv >= n+m {
			// An artificial that leaves is never needed again.
			s.hi[lv] = 0
			s.status[lv] = atLower
		}
		s.pivot(leave, enter, m, ncol)
		s.basis[leave] = enter
		s.status[enter] = basic
		s.beta[leave] = newVal
	}
	res.status = lpFailed
	return res
}

// pivot makes column c basic in row r. Problems built from scenarios are
// block-angular (one block per unit, joined by a few national rows), so the
// pivot row is sparse: only its nonzeros are applied to the other rows, which
// makes a pivot cost about one row's length instead of the whole tableau.
func (s *denseLP) pivot(r, c, m, ncol int) {
	tab := s.tab
	pr := tab[r*ncol : (r+1)*ncol]
	inv := 1 / pr[c]
	s.nz = s.nz[:0]
	for j, v := range pr {
		if v != 0 {
			// Entries that cancel to rounding noise stay exactly zero, which
			// keeps rows sparse and the certificate clean.
			if v = v * inv; math.Abs(v) < 1e-14 {
				v = 0
			} else {
				s.nz = append(s.nz, int32(j))
			}
			pr[j] = v
		}
	}
	pr[c] = 1
	for i := 0; i < m; i++ {
		if i == r {
			continue
		}
		ri := tab[i*ncol : (i+1)*ncol]
		f := ri[c]
		if f == 0 {
			continue
		}
		for _, j := range s.nz {
			v := ri[j] - f*pr[j]
			if math.Abs(v) < 1e-14 {
				v = 0
			}
			ri[j] = v
		}
		ri[c] = 0
	}
	if f := s.d[c]; f != 0 {
		for _, j := range s.nz {
			v := s.d[j] - f*pr[j]
			if math.Abs(v) < 1e-14 {
				v = 0
			}
			s.d[j] = v
		}
		s.d[c] = 0
	}
}
