package feasible

import (
	"math"
	"slices"
)

// spRow is one tableau row: its entries by increasing column up to
// sorted, then a short unsorted tail of fill-in (long rows only). Entries
// may be 0 until the row is normalised.
type spRow struct {
	idx    []int32
	val    []float64
	sorted int
}

// maxTail bounds a row's unsorted tail before it is normalised.
const maxTail = 64

// find is the position of column j in the row, or −1.
func (r *spRow) find(j int32) int {
	if i, ok := slices.BinarySearch(r.idx[:r.sorted], j); ok {
		return i
	}
	for k := r.sorted; k < len(r.idx); k++ {
		if r.idx[k] == j {
			return k
		}
	}
	return -1
}

// at is the row's entry in column j.
func (r *spRow) at(j int32) float64 {
	if i := r.find(j); i >= 0 {
		return r.val[i]
	}
	return 0
}

// sparseLP solves the linear relaxation of a problem over a box with a
// bounded-variable primal simplex (phase one only: the problems here are
// pure feasibility questions). It keeps its buffers between calls.
//
// Form: every active row r gets a row variable s_r = A_r·x bounded by the
// row's bounds, so the system is A·x − s = 0 over a box. Rows whose start
// value (x at its lower bounds) is out of bounds get an artificial variable;
// phase one minimises their sum. The tableau is sparse, row by row: the
// problems are block-angular (one block per unit, joined by a few national
// rows, the links), so a pivot touches only the rows with a nonzero in the
// pivot column, and fill-in stays within the blocks the pivot row spans.
//
// Phase one runs in stages so that the blocks stay apart as long as
// possible. Stage A: every link row gets an artificial that is free (no
// bounds, no cost), so a link row never limits the ratio test and is never
// a pivot row: each pivot stays within one block and its fill-in too,
// while phase one meets the blocks' own rows. Then the links one at a
// time: the link row's variable takes up what it can of its artificial's
// value, the rest stays with the artificial (made nonnegative by negating
// its row), which gets the usual cost, and phase one continues: only the
// pivots the links need remain, and only those spread across blocks. (All
// links at once needed as many pivots but spread much further, and led to
// fractional vertices that cost the branch and bound thousands of nodes.)
// Every stage's phase one is a valid one: its final reduced costs are a
// Farkas certificate when it ends above zero (the free artificials'
// rows have multiplier 0).
type sparseLP struct {
	rows   []spRow
	beta   []float64
	d      []float64
	basis  []int
	status []int8
	lo, hi []float64
	active []int
	nnz    int
	// merge buffers for a row update
	bufIdx []int32
	bufVal []float64
	// Block structure (see blocks): rows of each block, each column's
	// block (−1: in mixed rows only), each row's block and whether it is
	// mixed, and the mixed rows.
	blockStart, blockRows []int32
	colBlock, rowBlock    []int32
	mixed                 []bool
	mixedList             []int32
	link                  []bool
	uf, rootID            []int32
	// heap: the columns that can enter, by score (hkey), hpos their
	// places (−1: not in it); see price. pricing: a cold solve keeps the
	// heap (the warm start prices by scans of its own).
	heap    []int32
	hpos    []int32
	hkey    []float64
	pricing bool
	// colIdx, colVal: the entering column gathered (rows, entries).
	colIdx []int32
	colVal []float64
	// last is the problem whose final tableau the buffers hold (nil:
	// none usable), for a warm start of a branch's child.
	last *problem
	// stop, when set, is polled before every pivot; when it returns true
	// the solve gives up (lpFailed, stopped).
	stop func() bool
}

func (s *sparseLP) solve(p *problem, lo, hi []int64) lpResult {
	res := s.coldSolve(p, lo, hi)
	s.last = nil
	if res.tableau && (res.status == lpFeasible || res.status == lpInfeasible) {
		s.last = p
	}
	return res
}

func (s *sparseLP) coldSolve(p *problem, lo, hi []int64) lpResult {
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
	if cap(s.rows) < m {
		s.rows = append(s.rows[:cap(s.rows)], make([]spRow, m-cap(s.rows))...)
	}
	s.rows = s.rows[:m]
	s.beta = resizeF(s.beta, m)
	s.d = resizeF(s.d, ncol)
	clear(s.d)
	s.lo = resizeF(s.lo, ncol)
	s.hi = resizeF(s.hi, ncol)
	s.basis = resizeI(s.basis, m)
	s.status = resizeS(s.status, ncol)
	s.nnz = 0
	s.blocks(p, n)
	links := 0
	for j := 0; j < n; j++ {
		s.lo[j], s.hi[j] = float64(lo[j]), float64(hi[j])
		s.status[j] = atLower
	}
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
		row := &s.rows[r]
		if c := cap(row.idx); c > 1024 && c > 8*(len(pr.terms)+2) {
			// A row slot keeps the capacity its fill-in once reached; kept
			// across problems whose long rows sit in other slots, the
			// slots' high-water marks would add up to several tableaux.
			row.idx, row.val = nil, nil
		}
		row.idx, row.val, row.sorted = row.idx[:0], row.val[:0], 0
		if !s.link[r] && act >= rb[r].lo && act <= rb[r].hi {
			// s_r basic: B_rr = −1, so the tableau row is −M_r.
			s.setRow(row, pr.terms, -1, int32(sc), 1, -1, 0)
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
		s.setRow(row, pr.terms, 1/sigma, int32(sc), -1/sigma, int32(ac), 1)
		s.hi[ac] = math.Inf(1)
		s.basis[r] = ac
		s.status[ac] = basic
		s.beta[r] = math.Abs(float64(v - act))
		if s.link[r] {
			// Stage A: free and without cost.
			s.lo[ac] = math.Inf(-1)
			links++
			continue
		}
		// Phase-one cost 1 on the artificial: d_j = c_j − Σ_{artificial rows} T_rj.
		for k, j := range row.idx {
			s.d[j] -= row.val[k]
		}
		s.d[ac] += 1
	}
	s.pricing = true
	defer func() { s.pricing = false }()
	s.resetCandidates(ncol)
	var res lpResult
	if links > 0 {
		res = s.iterate(m, n, ncol)
		if res.status == lpFailed {
			return res
		}
		if w := s.settle(n, m); w > feasTol {
			// The blocks alone cannot be met (the links' multipliers are 0).
			return s.infeasible(p, lo, hi, res, n, m)
		}
		// Then the links one by one, each against the blocks and the
		// links already met: a link whose artificial cannot reach 0
		// proves the relaxation infeasible.
		for r := 0; r < m; r++ {
			if !s.link[r] {
				continue
			}
			s.linkStage(n, m, r)
			more := s.iterate(m, n, ncol)
			res.pivots += more.pivots
			if more.status == lpFailed {
				more.pivots = res.pivots
				return more
			}
			if w := s.settle(n, m); w > feasTol {
				return s.infeasible(p, lo, hi, res, n, m)
			}
		}
	}
	more := s.iterate(m, n, ncol)
	more.pivots += res.pivots
	res = more
	if res.status == lpFailed {
		return res
	}
	res.tableau = true
	if w := s.settle(n, m); w > feasTol {
		return s.infeasible(p, lo, hi, res, n, m)
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

// settle recomputes the basic values from the nonbasic ones to shed drift,
// and returns the sum of the artificials that cost (all but the links' in
// stage A).
func (s *sparseLP) settle(n, m int) float64 {
	w := 0.0
	for r := 0; r < m; r++ {
		row := &s.rows[r]
		v := 0.0
		for k, j := range row.idx {
			if s.status[j] != basic {
				if x := s.value(int(j)); x != 0 {
					v -= row.val[k] * x
				}
			}
		}
		s.beta[r] = v
		if b := s.basis[r]; b >= n+m && !math.IsInf(s.lo[b], -1) {
			w += v
		}
	}
	return w
}

// infeasible reports the relaxation infeasible, with the certificate read
// off the final phase-one tableau.
func (s *sparseLP) infeasible(p *problem, lo, hi []int64, res lpResult, n, m int) lpResult {
	inf := infeasibleResult(p, lo, hi, s.active, s.d, n, m)
	inf.pivots = res.pivots
	return inf
}

// linkStage brings link row r into phase one: its variable takes up its
// free artificial's value as far as its bounds allow (its column is in its
// own row alone, so this changes nothing else); what is left stays with
// the artificial, made nonnegative by negating the row if need be, with
// cost 1 as every other artificial's.
func (s *sparseLP) linkStage(n, m, r int) {
	ac := n + m + r
	if s.basis[r] != ac {
		return
	}
	sc := n + r
	row := &s.rows[r]
	t := row.at(int32(sc))
	a := s.beta[r]
	old := s.value(sc)
	target := old + a/t
	s.lo[ac], s.hi[ac] = 0, math.Inf(1)
	if target >= s.lo[sc]-feasTol && target <= s.hi[sc]+feasTol {
		// s_r enters in row r at target; the artificial leaves at 0.
		target = min(max(target, s.lo[sc]), s.hi[sc])
		s.colIdx, s.colVal = append(s.colIdx[:0], int32(r)), append(s.colVal[:0], t)
		s.pivot(r, sc)
		s.basis[r] = sc
		s.status[sc] = basic
		s.beta[r] = target
		s.hi[ac] = 0
		s.status[ac] = atLower
		return
	}
	if target < s.lo[sc] {
		s.status[sc] = atLower
	} else {
		s.status[sc] = atUpper
	}
	a -= t * (s.value(sc) - old)
	if a < 0 {
		for k, j := range row.idx {
			if int(j) != ac {
				row.val[k] = -row.val[k]
			}
		}
		a = -a
	}
	s.beta[r] = a
	for k, j := range row.idx {
		s.d[j] -= row.val[k]
		s.touch(j)
	}
	s.d[ac] = 0
}

// blocks finds the problem's blocks: the columns joined by rows that are
// not links (union-find), each block's rows, and each column's block. A
// row is mixed when it may hold columns of several blocks: the links from
// the start, and any row a mixed pivot row updates. The invariant: a row
// that is not mixed holds columns of its own block only, so a column is
// in its block's rows and the mixed ones, and nowhere else.
func (s *sparseLP) blocks(p *problem, n int) {
	m := len(s.active)
	ncol := n + 2*m
	s.link = resizeB(s.link, m)
	s.mixed = resizeB(s.mixed, m)
	s.mixedList = s.mixedList[:0]
	parent := resize32(s.uf, n)
	s.uf = parent
	for j := range parent {
		parent[j] = -1
	}
	find := func(j int32) int32 {
		for parent[j] >= 0 {
			if g := parent[parent[j]]; g >= 0 {
				parent[j] = g
			}
			j = parent[j]
		}
		return j
	}
	for r, ri := range s.active {
		pr := &p.rows[ri]
		s.link[r] = pr.link
		s.mixed[r] = false
		if s.link[r] || len(pr.terms) == 0 {
			continue
		}
		a := find(pr.terms[0].col)
		for _, t := range pr.terms[1:] {
			if b := find(t.col); b != a {
				parent[b] = a
			}
		}
	}
	// Number the blocks; columns in links only have none (−1).
	id := resize32(s.rootID, n)
	s.rootID = id
	for j := range id {
		id[j] = -1
	}
	s.rowBlock = resize32(s.rowBlock, m)
	roots := int32(0)
	for r, ri := range s.active {
		pr := &p.rows[ri]
		if s.link[r] || len(pr.terms) == 0 {
			s.rowBlock[r] = -1
			s.mixed[r] = true
			s.mixedList = append(s.mixedList, int32(r))
			continue
		}
		a := find(pr.terms[0].col)
		if id[a] < 0 {
			id[a] = roots
			roots++
		}
		s.rowBlock[r] = id[a]
	}
	s.colBlock = resize32(s.colBlock, ncol)
	for j := 0; j < n; j++ {
		s.colBlock[j] = id[find(int32(j))]
	}
	for r := 0; r < m; r++ {
		s.colBlock[n+r], s.colBlock[n+m+r] = s.rowBlock[r], s.rowBlock[r]
	}
	s.blockStart = resize32(s.blockStart, int(roots)+1)
	clear(s.blockStart)
	for _, b := range s.rowBlock {
		if b >= 0 {
			s.blockStart[b+1]++
		}
	}
	for b := int32(0); b < roots; b++ {
		s.blockStart[b+1] += s.blockStart[b]
	}
	s.blockRows = resize32(s.blockRows, int(s.blockStart[roots]))
	fill := append(id[:0], s.blockStart[:roots]...) // id is done with
	for r, b := range s.rowBlock {
		if b >= 0 {
			s.blockRows[fill[b]] = int32(r)
			fill[b]++
		}
	}
}

// gather puts the tableau's column j into colIdx, colVal: the rows of its
// block that are not mixed, then the mixed rows.
func (s *sparseLP) gather(j int) {
	s.colIdx, s.colVal = s.colIdx[:0], s.colVal[:0]
	if b := s.colBlock[j]; b >= 0 {
		for _, r := range s.blockRows[s.blockStart[b]:s.blockStart[b+1]] {
			if s.mixed[r] {
				continue
			}
			if v := s.rows[r].at(int32(j)); v != 0 {
				s.colIdx, s.colVal = append(s.colIdx, r), append(s.colVal, v)
			}
		}
	}
	for _, r := range s.mixedList {
		if v := s.rows[r].at(int32(j)); v != 0 {
			s.colIdx, s.colVal = append(s.colIdx, r), append(s.colVal, v)
		}
	}
}

// setRow fills a tableau row with f·terms (duplicate columns summed) and
// the two given entries (a zero value leaves its entry out).
func (s *sparseLP) setRow(row *spRow, terms []term, f float64, c1 int32, v1 float64, c2 int32, v2 float64) {
	for _, t := range terms {
		row.idx = append(row.idx, t.col)
		row.val = append(row.val, f*float64(t.coef))
	}
	if v1 != 0 {
		row.idx, row.val = append(row.idx, c1), append(row.val, v1)
	}
	if v2 != 0 {
		row.idx, row.val = append(row.idx, c2), append(row.val, v2)
	}
	sortRow(row)
	row.sorted = len(row.idx)
	s.nnz += len(row.idx)
}

// normalize sorts a row's tail into it and drops its zeros.
func (s *sparseLP) normalize(row *spRow) {
	n := len(row.idx)
	tail := row.sorted
	for i := tail + 1; i < n; i++ { // insertion sort of the short tail
		for k := i; k > tail && row.idx[k] < row.idx[k-1]; k-- {
			row.idx[k], row.idx[k-1] = row.idx[k-1], row.idx[k]
			row.val[k], row.val[k-1] = row.val[k-1], row.val[k]
		}
	}
	s.bufIdx, s.bufVal = s.bufIdx[:0], s.bufVal[:0]
	a, b := 0, tail
	for a < tail || b < n {
		var k int
		if b >= n || (a < tail && row.idx[a] <= row.idx[b]) {
			k, a = a, a+1
		} else {
			k, b = b, b+1
		}
		if row.val[k] != 0 {
			s.bufIdx = append(s.bufIdx, row.idx[k])
			s.bufVal = append(s.bufVal, row.val[k])
		}
	}
	row.idx = append(row.idx[:0], s.bufIdx...)
	row.val = append(row.val[:0], s.bufVal...)
	row.sorted = len(row.idx)
	s.nnz -= n - len(row.idx)
}

// sortRow sorts a row's entries by column and sums duplicates.
func sortRow(row *spRow) {
	if !slices.IsSorted(row.idx) {
		perm := make([]int, len(row.idx))
		for i := range perm {
			perm[i] = i
		}
		slices.SortFunc(perm, func(a, b int) int { return int(row.idx[a]) - int(row.idx[b]) })
		idx := make([]int32, len(perm))
		val := make([]float64, len(perm))
		for i, k := range perm {
			idx[i], val[i] = row.idx[k], row.val[k]
		}
		copy(row.idx, idx)
		copy(row.val, val)
	}
	out := 0
	for i := range row.idx {
		if out > 0 && row.idx[out-1] == row.idx[i] {
			row.val[out-1] += row.val[i]
			continue
		}
		row.idx[out], row.val[out] = row.idx[i], row.val[i]
		out++
	}
	row.idx, row.val = row.idx[:out], row.val[:out]
}

func (s *sparseLP) value(j int) float64 {
	if s.status[j] == atUpper {
		return s.hi[j]
	}
	return s.lo[j]
}

// iterate runs phase-one pivots until no column can reduce the sum of the
// artificials (in stage A, those of rows that are not links). Dantzig's
// rule, switching to Bland's rule (which cannot cycle) after a run of
// degenerate pivots.
func (s *sparseLP) iterate(m, n, ncol int) lpResult {
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
			if b := s.basis[r]; b >= n+m && !math.IsInf(s.lo[b], -1) {
				w += s.beta[r]
			}
		}
		if w <= feasTol/10 {
			return res
		}
		enter := s.price(ac.bland)
		if enter < 0 {
			return res
		}
		dir := 1.0
		if s.status[enter] == atUpper {
			dir = -1
		}
		s.gather(enter)
		step := s.hi[enter] - s.lo[enter]
		leave := -1
		leaveAlpha := 0.0
		for k, r32 := range s.colIdx {
			r := int(r32)
			alpha := dir * s.colVal[k]
			b := s.basis[r]
			var lim float64
			switch {
			case alpha > pivotTol:
				if math.IsInf(s.lo[b], -1) {
					continue
				}
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
		for k, r := range s.colIdx {
			s.beta[r] -= dir * s.colVal[k] * step
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
			s.lo[lv], s.hi[lv] = 0, 0
			s.status[lv] = atLower
		}
		if !s.pivot(leave, enter) {
			// Stopped half-way: the tableau is abandoned with the solve.
			res.status, res.stopped = lpFailed, true
			return res
		}
		if s.nnz > maxTableau {
			res.status, res.tooLarge = lpFailed, true
			return res
		}
		s.basis[leave] = enter
		s.status[enter] = basic
		s.beta[leave] = newVal
	}
	res.status = lpFailed
	return res
}

// score is how fast column j reduces the phase-one cost per unit of
// movement (0: it cannot).
func (s *sparseLP) score(j int) float64 {
	st := s.status[j]
	if st == basic || s.lo[j] == s.hi[j] {
		return 0
	}
	if dj := s.d[j]; st == atLower && dj < -costTol {
		return -dj
	} else if st == atUpper && dj > costTol {
		return dj
	}
	return 0
}

// The candidates are a binary heap of the columns that can enter, by
// score (largest first, then smallest index): Dantzig's choice, as a scan
// of every column would make it, without the scan (tens of thousands of
// columns cost more than the pivot they chose). A column's score changes
// when its reduced cost does (pivot and linkStage touch it then) or its
// status or bounds do (which only lowers it, or is followed by a touch);
// price checks the top's key and, when the heap runs empty, scans every
// column once before it declares that none can enter.

// before reports whether heap column a goes above b.
func (s *sparseLP) before(a, b int32) bool {
	ka, kb := s.hkey[a], s.hkey[b]
	return ka > kb || (ka == kb && a < b)
}

func (s *sparseLP) heapSwap(i, k int) {
	h := s.heap
	h[i], h[k] = h[k], h[i]
	s.hpos[h[i]], s.hpos[h[k]] = int32(i), int32(k)
}

func (s *sparseLP) siftUp(i int) {
	for i > 0 {
		up := (i - 1) / 2
		if !s.before(s.heap[i], s.heap[up]) {
			return
		}
		s.heapSwap(i, up)
		i = up
	}
}

func (s *sparseLP) siftDown(i int) {
	n := len(s.heap)
	for {
		l, best := 2*i+1, i
		if l < n && s.before(s.heap[l], s.heap[best]) {
			best = l
		}
		if r := l + 1; r < n && s.before(s.heap[r], s.heap[best]) {
			best = r
		}
		if best == i {
			return
		}
		s.heapSwap(i, best)
		i = best
	}
}

// touch puts column j in the heap with its current score, or takes it
// out when it cannot enter.
func (s *sparseLP) touch(j int32) {
	if !s.pricing {
		return
	}
	k := s.score(int(j))
	i := int(s.hpos[j])
	switch {
	case i < 0 && k > 0:
		s.hkey[j] = k
		s.hpos[j] = int32(len(s.heap))
		s.heap = append(s.heap, j)
		s.siftUp(len(s.heap) - 1)
	case i >= 0 && k == 0:
		last := len(s.heap) - 1
		s.heapSwap(i, last)
		s.heap = s.heap[:last]
		s.hpos[j] = -1
		if i < last {
			s.siftDown(i)
			s.siftUp(i)
		}
	case i >= 0 && k != s.hkey[j]:
		s.hkey[j] = k
		s.siftDown(i)
		s.siftUp(i)
	}
}

// resetCandidates puts every column that can enter in the heap.
func (s *sparseLP) resetCandidates(ncol int) {
	s.hkey = resizeF(s.hkey, ncol)
	s.hpos = resize32(s.hpos, ncol)
	for j := range s.hpos {
		s.hpos[j] = -1
	}
	s.heap = s.heap[:0]
	for j := 0; j < ncol; j++ {
		s.touch(int32(j))
	}
}

// price chooses the entering column: under Bland's rule the first that
// can reduce the phase-one cost, otherwise Dantzig's (largest score, the
// first of equals). −1: no column can reduce the cost.
func (s *sparseLP) price(bland bool) int {
	for rescanned := false; ; rescanned = true {
		for len(s.heap) > 0 {
			j := s.heap[0]
			if k := s.score(int(j)); k != s.hkey[j] {
				s.touch(j)
				continue
			}
			if !bland {
				return int(j)
			}
			enter := -1
			for _, c := range s.heap {
				if s.score(int(c)) > 0 && (enter < 0 || int(c) < enter) {
					enter = int(c)
				}
			}
			if enter >= 0 {
				return enter
			}
			break
		}
		if rescanned {
			return -1
		}
		s.resetCandidates(len(s.status))
	}
}

// pivot makes column c basic in row r; colIdx, colVal hold the column's
// entries. It polls stop as it goes (a pivot of a large, filled-in tableau
// can take a while) and reports false when it stopped half-way.
// Only rows with a nonzero in the column change, each by a merge of its
// entries with the pivot row's; a mixed pivot row makes them mixed.
func (s *sparseLP) pivot(r, c int) bool {
	pr := &s.rows[r]
	s.normalize(pr)
	piv := 0.0
	for k, i := range s.colIdx {
		if int(i) == r {
			piv = s.colVal[k]
		}
	}
	inv := 1 / piv
	out := 0
	for k, j := range pr.idx {
		v := pr.val[k] * inv
		if int(j) == c {
			v = 1
		} else if math.Abs(v) < dropTol {
			continue
		}
		pr.idx[out], pr.val[out] = j, v
		out++
	}
	s.nnz -= len(pr.idx) - out
	pr.idx, pr.val = pr.idx[:out], pr.val[:out]
	pr.sorted = out
	spread := s.mixed[r]
	touched := 0
	for k, i := range s.colIdx {
		if int(i) == r {
			continue
		}
		if touched++; s.stop != nil && touched%32 == 0 && s.stop() {
			return false
		}
		s.axpy(&s.rows[i], -s.colVal[k], pr, int32(c))
		if spread && !s.mixed[i] {
			s.mixed[i] = true
			s.mixedList = append(s.mixedList, i)
		}
	}
	if f := s.d[c]; f != 0 {
		for k, j := range pr.idx {
			v := s.d[j] - f*pr.val[k]
			if math.Abs(v) < dropTol {
				v = 0
			}
			s.d[j] = v
			s.touch(j)
		}
		s.d[c] = 0
	}
	return true
}

// axpy sets row ← row + f·pr and the pivot column c to exactly 0. A long
// row (a national one) is updated in place at the pivot row's length, its
// fill-in going to its tail; a short one is merged with the pivot row.
func (s *sparseLP) axpy(row *spRow, f float64, pr *spRow, c int32) {
	if len(pr.idx)*8 < len(row.idx) {
		for k, j := range pr.idx {
			d := f * pr.val[k]
			if i := row.find(j); i >= 0 {
				v := row.val[i] + d
				if j == c || math.Abs(v) < dropTol {
					v = 0
				}
				row.val[i] = v
				continue
			}
			if j == c || math.Abs(d) < dropTol {
				continue
			}
			row.idx = append(row.idx, j)
			row.val = append(row.val, d)
			s.nnz++
		}
		if len(row.idx)-row.sorted > maxTail {
			s.normalize(row)
		}
		return
	}
	if row.sorted < len(row.idx) {
		s.normalize(row)
	}
	s.bufIdx, s.bufVal = s.bufIdx[:0], s.bufVal[:0]
	a, b := 0, 0
	for a < len(row.idx) || b < len(pr.idx) {
		var j int32
		var v float64
		switch {
		case b >= len(pr.idx) || (a < len(row.idx) && row.idx[a] < pr.idx[b]):
			j, v = row.idx[a], row.val[a]
			a++
		case a >= len(row.idx) || pr.idx[b] < row.idx[a]:
			j, v = pr.idx[b], f*pr.val[b]
			b++
		default:
			j, v = row.idx[a], row.val[a]+f*pr.val[b]
			a++
			b++
		}
		if j == c || math.Abs(v) < dropTol {
			continue
		}
		s.bufIdx = append(s.bufIdx, j)
		s.bufVal = append(s.bufVal, v)
	}
	s.nnz += len(s.bufIdx) - len(row.idx)
	row.idx = append(row.idx[:0], s.bufIdx...)
	row.val = append(row.val[:0], s.bufVal...)
	row.sorted = len(row.idx)
}
