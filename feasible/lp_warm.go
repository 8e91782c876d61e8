package feasible

import "math"

// warm solves the relaxation over the box lo..hi — tighter than the last
// solve's, as a branch's child is — starting from the last solve's final
// tableau instead of from scratch: nonbasic columns move to their new
// bounds, and a composite phase one minimises the basic variables' total
// violation of their bounds (cost +1 above, −1 below), each leaving the
// basis when it reaches the bound it violated. A dive down the branch and
// bound then costs a few pivots a node instead of a whole solve. ok is
// false when the warm start cannot be trusted (numerical trouble, an
// infeasibility it cannot certify): the caller then solves cold.
func (s *denseLP) warm(p *problem, lo, hi []int64) (res lpResult, ok bool) {
	s.last = nil // the buffers change below; a failure leaves them unusable
	n := len(lo)
	m := len(s.active)
	ncol := n + 2*m
	if m == 0 || len(s.status) != ncol || len(s.tab) != m*ncol {
		return res, false
	}
	for j := 0; j < n; j++ {
		if lo[j] > hi[j] {
			return lpResult{status: lpInfeasible, certified: true}, true
		}
	}
	for i := range p.rows {
		r := &p.rows[i]
		if amin, amax := activity(r, lo, hi); amax < r.lo || amin > r.hi {
			return lpResult{status: lpInfeasible, certified: true, support: []int{i}}, true
		}
	}
	tab := s.tab
	move := func(j int, nlo, nhi float64) {
		old := s.value(j)
		s.lo[j], s.hi[j] = nlo, nhi
		if s.status[j] == basic {
			return
		}
		if delta := s.value(j) - old; delta != 0 {
			for r := 0; r < m; r++ {
				if t := tab[r*ncol+j]; t != 0 {
					s.beta[r] -= t * delta
				}
			}
		}
	}
	for j := 0; j < n; j++ {
		move(j, float64(lo[j]), float64(hi[j]))
	}
	for r, ri := range s.active {
		row := &p.rows[ri]
		amin, amax := activity(row, lo, hi)
		move(n+r, float64(max(row.lo, amin)), float64(min(row.hi, amax)))
		move(n+m+r, 0, 0)
	}
	// Costs of the basic variables and the reduced costs they give.
	cost := make([]float64, m)
	setCost := func(r int) {
		b := s.basis[r]
		switch {
		case s.beta[r] < s.lo[b]-feasTol:
			cost[r] = -1
		case s.beta[r] > s.hi[b]+feasTol:
			cost[r] = 1
		default:
			cost[r] = 0
		}
	}
	clear(s.d)
	for r := 0; r < m; r++ {
		setCost(r)
		if cost[r] == 0 {
			continue
		}
		rowT := tab[r*ncol : (r+1)*ncol]
		for j, t := range rowT {
			if t != 0 {
				s.d[j] -= cost[r] * t
			}
		}
	}
	for r := 0; r < m; r++ {
		s.d[s.basis[r]] = 0
	}
	maxIter := 50 * (m + ncol)
	var ac antiCycle
	for it := 0; ; it++ {
		if it >= maxIter {
			return res, false
		}
		if s.stop != nil && s.stop() {
			return lpResult{status: lpFailed, stopped: true}, true
		}
		infeasible := false
		for r := 0; r < m; r++ {
			infeasible = infeasible || cost[r] != 0
		}
		if !infeasible {
			break
		}
		enter, best := -1, 0.0
		for j := 0; j < ncol; j++ {
			st := s.status[j]
			if st == basic || s.lo[j] == s.hi[j] {
				continue
			}
			score := 0.0
			if dj := s.d[j]; st == atLower && dj < -costTol {
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
			return s.warmInfeasible(p, lo, hi, cost, n, m)
		}
		dir := 1.0
		if s.status[enter] == atUpper {
			dir = -1
		}
		step := s.hi[enter] - s.lo[enter]
		leave, leaveAt := -1, atLower
		leaveAlpha := 0.0
		for r := 0; r < m; r++ {
			alpha := dir * tab[r*ncol+enter]
			b := s.basis[r]
			var lim float64
			var at int8
			switch {
			case alpha > pivotTol && cost[r] > 0: // above its upper bound, falling to it
				lim, at = (s.beta[r]-s.hi[b])/alpha, atUpper
			case alpha > pivotTol && cost[r] == 0:
				lim, at = (s.beta[r]-s.lo[b])/alpha, atLower
			case alpha < -pivotTol && cost[r] < 0: // below its lower bound, rising to it
				lim, at = (s.lo[b]-s.beta[r])/-alpha, atLower
			case alpha < -pivotTol && cost[r] == 0:
				if math.IsInf(s.hi[b], 1) {
					continue
				}
				lim, at = (s.hi[b]-s.beta[r])/-alpha, atUpper
			default:
				continue // moving away from a bound it already violates
			}
			lim = max(lim, 0)
			switch {
			case lim < step-1e-12:
				step, leave, leaveAt, leaveAlpha = lim, r, at, alpha
			case lim <= step+1e-12 && leave >= 0:
				if ac.bland {
					if s.basis[r] < s.basis[leave] {
						leave, leaveAt, leaveAlpha = r, at, alpha
					}
				} else if math.Abs(alpha) > math.Abs(leaveAlpha) {
					leave, leaveAt, leaveAlpha = r, at, alpha
				}
			}
		}
		if math.IsInf(step, 1) {
			return res, false
		}
		ac.step(step)
		for r := 0; r < m; r++ {
			if a := tab[r*ncol+enter]; a != 0 {
				s.beta[r] -= dir * a * step
			}
		}
		res.pivots++
		if leave < 0 {
			if s.status[enter] == atLower {
				s.status[enter] = atUpper
			} else {
				s.status[enter] = atLower
			}
			continue
		}
		newVal := s.value(enter) + dir*step
		lv := s.basis[leave]
		s.status[lv] = leaveAt
		s.pivot(leave, enter, m, ncol)
		// The leaving variable sits at a bound now: its cost goes to 0.
		s.d[lv] -= cost[leave]
		s.basis[leave] = enter
		s.status[enter] = basic
		s.beta[leave] = newVal
		cost[leave] = 0
	}
	// Feasible: shed drift, and trust the point only if it holds.
	x := make([]float64, n)
	for r := 0; r < m; r++ {
		rowT := tab[r*ncol : (r+1)*ncol]
		v := 0.0
		for j := 0; j < ncol; j++ {
			if s.status[j] != basic {
				if xv := s.value(j); xv != 0 {
					v -= rowT[j] * xv
				}
			}
		}
		s.beta[r] = v
		if b := s.basis[r]; v < s.lo[b]-feasTol || v > s.hi[b]+feasTol {
			return res, false
		}
	}
	for j := 0; j < n; j++ {
		x[j] = s.value(j)
	}
	for r := 0; r < m; r++ {
		if b := s.basis[r]; b < n {
			x[b] = s.beta[r]
		}
	}
	for i := range p.rows {
		a := 0.0
		for _, t := range p.rows[i].terms {
			a += float64(t.coef) * x[t.col]
		}
		if a < float64(p.rows[i].lo)-1e-6 || a > float64(p.rows[i].hi)+1e-6 {
			return res, false
		}
	}
	res.status, res.x, res.tableau = lpFeasible, x, true
	s.last = p
	return res, true
}

// warmInfeasible reports a warm phase one that cannot reduce the violation:
// the multipliers of the rows (reduced costs of the row variables, or the
// costs of those that are basic) must form a certificate checked in exact
// arithmetic, else the caller solves cold.
func (s *denseLP) warmInfeasible(p *problem, lo, hi []int64, cost []float64, n, m int) (lpResult, bool) {
	res := infeasibleResult(p, lo, hi, s.active, warmMultipliers(s.d, cost, s.basis, n, m), n, m)
	if !res.certified {
		return lpResult{}, false
	}
	s.last = p
	return res, true
}

// warm is the warm start of denseLP.warm on the sparse tableau.
func (s *sparseLP) warm(p *problem, lo, hi []int64) (res lpResult, ok bool) {
	s.last = nil // the buffers change below; a failure leaves them unusable
	n := len(lo)
	m := len(s.active)
	ncol := n + 2*m
	if m == 0 || len(s.status) != ncol || len(s.rows) != m {
		return res, false
	}
	for j := 0; j < n; j++ {
		if lo[j] > hi[j] {
			return lpResult{status: lpInfeasible, certified: true}, true
		}
	}
	for i := range p.rows {
		r := &p.rows[i]
		if amin, amax := activity(r, lo, hi); amax < r.lo || amin > r.hi {
			return lpResult{status: lpInfeasible, certified: true, support: []int{i}}, true
		}
	}
	move := func(j int, nlo, nhi float64) {
		old := s.value(j)
		s.lo[j], s.hi[j] = nlo, nhi
		if s.status[j] == basic {
			return
		}
		if delta := s.value(j) - old; delta != 0 {
			s.gather(j)
			for k, r := range s.colIdx {
				s.beta[r] -= s.colVal[k] * delta
			}
		}
	}
	for j := 0; j < n; j++ {
		move(j, float64(lo[j]), float64(hi[j]))
	}
	for r, ri := range s.active {
		row := &p.rows[ri]
		amin, amax := activity(row, lo, hi)
		move(n+r, float64(max(row.lo, amin)), float64(min(row.hi, amax)))
		move(n+m+r, 0, 0)
	}
	// Costs of the basic variables and the reduced costs they give.
	cost := make([]float64, m)
	setCost := func(r int) {
		b := s.basis[r]
		switch {
		case s.beta[r] < s.lo[b]-feasTol:
			cost[r] = -1
		case s.beta[r] > s.hi[b]+feasTol:
			cost[r] = 1
		default:
			cost[r] = 0
		}
	}
	clear(s.d)
	for r := 0; r < m; r++ {
		setCost(r)
		if cost[r] == 0 {
			continue
		}
		row := &s.rows[r]
		for k, j := range row.idx {
			s.d[j] -= cost[r] * row.val[k]
		}
	}
	for r := 0; r < m; r++ {
		s.d[s.basis[r]] = 0
	}
	maxIter := 50 * (m + ncol)
	var ac antiCycle
	for it := 0; ; it++ {
		if it >= maxIter {
			return res, false
		}
		if s.stop != nil && s.stop() {
			return lpResult{status: lpFailed, stopped: true}, true
		}
		infeasible := false
		for r := 0; r < m; r++ {
			infeasible = infeasible || cost[r] != 0
		}
		if !infeasible {
			break
		}
		enter, best := -1, 0.0
		for j := 0; j < ncol; j++ {
			st := s.status[j]
			if st == basic || s.lo[j] == s.hi[j] {
				continue
			}
			score := 0.0
			if dj := s.d[j]; st == atLower && dj < -costTol {
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
			return s.warmInfeasible(p, lo, hi, cost, n, m)
		}
		dir := 1.0
		if s.status[enter] == atUpper {
			dir = -1
		}
		s.gather(enter)
		step := s.hi[enter] - s.lo[enter]
		leave, leaveAt := -1, atLower
		leaveAlpha := 0.0
		for k, r32 := range s.colIdx {
			r := int(r32)
			alpha := dir * s.colVal[k]
			b := s.basis[r]
			var lim float64
			var at int8
			switch {
			case alpha > pivotTol && cost[r] > 0: // above its upper bound, falling to it
				lim, at = (s.beta[r]-s.hi[b])/alpha, atUpper
			case alpha > pivotTol && cost[r] == 0:
				lim, at = (s.beta[r]-s.lo[b])/alpha, atLower
			case alpha < -pivotTol && cost[r] < 0: // below its lower bound, rising to it
				lim, at = (s.lo[b]-s.beta[r])/-alpha, atLower
			case alpha < -pivotTol && cost[r] == 0:
				if math.IsInf(s.hi[b], 1) {
					continue
				}
				lim, at = (s.hi[b]-s.beta[r])/-alpha, atUpper
			default:
				continue // moving away from a bound it already violates
			}
			lim = max(lim, 0)
			switch {
			case lim < step-1e-12:
				step, leave, leaveAt, leaveAlpha = lim, r, at, alpha
			case lim <= step+1e-12 && leave >= 0:
				if ac.bland {
					if s.basis[r] < s.basis[leave] {
						leave, leaveAt, leaveAlpha = r, at, alpha
					}
				} else if math.Abs(alpha) > math.Abs(leaveAlpha) {
					leave, leaveAt, leaveAlpha = r, at, alpha
				}
			}
		}
		if math.IsInf(step, 1) {
			return res, false
		}
		ac.step(step)
		for k, r := range s.colIdx {
			s.beta[r] -= dir * s.colVal[k] * step
		}
		res.pivots++
		if leave < 0 {
			if s.status[enter] == atLower {
				s.status[enter] = atUpper
			} else {
				s.status[enter] = atLower
			}
			continue
		}
		newVal := s.value(enter) + dir*step
		lv := s.basis[leave]
		s.status[lv] = leaveAt
		if !s.pivot(leave, enter) {
			return lpResult{status: lpFailed, stopped: true}, true
		}
		// The leaving variable sits at a bound now: its cost goes to 0.
		s.d[lv] -= cost[leave]
		s.basis[leave] = enter
		s.status[enter] = basic
		s.beta[leave] = newVal
		cost[leave] = 0
	}
	// Feasible: shed drift, and trust the point only if it holds.
	x := make([]float64, n)
	for r := 0; r < m; r++ {
		row := &s.rows[r]
		v := 0.0
		for k, j := range row.idx {
			if s.status[j] != basic {
				if xv := s.value(int(j)); xv != 0 {
					v -= row.val[k] * xv
				}
			}
		}
		s.beta[r] = v
		if b := s.basis[r]; v < s.lo[b]-feasTol || v > s.hi[b]+feasTol {
			return res, false
		}
	}
	for j := 0; j < n; j++ {
		x[j] = s.value(j)
	}
	for r := 0; r < m; r++ {
		if b := s.basis[r]; b < n {
			x[b] = s.beta[r]
		}
	}
	for i := range p.rows {
		a := 0.0
		for _, t := range p.rows[i].terms {
			a += float64(t.coef) * x[t.col]
		}
		if a < float64(p.rows[i].lo)-1e-6 || a > float64(p.rows[i].hi)+1e-6 {
			return res, false
		}
	}
	res.status, res.x, res.tableau = lpFeasible, x, true
	s.last = p
	return res, true
}

// warmInfeasible is denseLP.warmInfeasible on the sparse tableau.
func (s *sparseLP) warmInfeasible(p *problem, lo, hi []int64, cost []float64, n, m int) (lpResult, bool) {
	res := infeasibleResult(p, lo, hi, s.active, warmMultipliers(s.d, cost, s.basis, n, m), n, m)
	if !res.certified {
		return lpResult{}, false
	}
	s.last = p
	return res, true
}
