package feasible

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bruteILP enumerates every integer point of the box.
func bruteILP(p *problem) bool {
	x := append([]int64(nil), p.lo...)
	for {
		if p.satisfies(x) {
			return true
		}
		j := 0
		for ; j < len(x); j++ {
			if x[j] < p.hi[j] {
				x[j]++
				break
			}
			x[j] = p.lo[j]
		}
		if j == len(x) {
			return false
		}
	}
}

func randomProblem(r *rand.Rand) *problem {
	p := &problem{}
	n := 1 + r.IntN(5)
	for j := 0; j < n; j++ {
		lo := int64(r.IntN(2))
		p.addVar(lo, lo+int64(r.IntN(4)))
	}
	m := r.IntN(5)
	for i := 0; i < m; i++ {
		var ts []term
		for j := 0; j < n; j++ {
			if r.IntN(2) == 0 {
				c := int64(r.IntN(5) - 2)
				if c != 0 {
					ts = append(ts, term{int32(j), c})
				}
			}
		}
		lo, hi := int64(noLo), int64(noHi)
		switch r.IntN(3) {
		case 0:
			lo = int64(r.IntN(9) - 3)
		case 1:
			hi = int64(r.IntN(9) - 3)
		default:
			lo = int64(r.IntN(7) - 3)
			hi = lo + int64(r.IntN(4)) - 1 // sometimes lo > hi
		}
		p.addRow(ts, lo, hi, i)
	}
	return p
}

// TestILPAgreesWithEnumeration: on thousands of small random integer
// programs the branch and bound agrees with enumeration, every found point
// is feasible and every infeasible answer is certified.
func TestILPAgreesWithEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := &lpSolver{}
	certified := 0
	for k := 0; k < 5000; k++ {
		p := randomProblem(r)
		want := bruteILP(p)
		got := p.solve(s, 0, nil)
		require.NotEqual(t, Unknown, got.status, "instance %d", k)
		require.Equal(t, want, got.status == Feasible, "instance %d: %+v", k, p)
		if got.status == Feasible {
			require.True(t, p.satisfies(got.x))
		} else if got.certified {
			certified++
		}
	}
	t.Logf("certified infeasible: %d", certified)
}

func TestLPCertificate(t *testing.T) {
	// x + y = 3, x − y = 0 has no integer point but a rational one; with
	// x + y ≥ 4 and x + y ≤ 3 the relaxation itself is empty.
	p := &problem{}
	x := p.addVar(0, 10)
	y := p.addVar(0, 10)
	p.addRow([]term{{x, 1}, {y, 1}}, 4, noHi, 0)
	p.addRow([]term{{x, 1}, {y, 1}}, noLo, 3, 1)
	s := &lpSolver{}
	lr := s.solve(p, p.lo, p.hi)
	assert.Equal(t, lpInfeasible, lr.status)
	assert.True(t, lr.certified)

	q := &problem{}
	x = q.addVar(0, 10)
	y = q.addVar(0, 10)
	q.addRow([]term{{x, 1}, {y, 1}}, 3, 3, 0)
	q.addRow([]term{{x, 1}, {y, -1}}, 0, 0, 1)
	res := q.solve(s, 0, nil)
	assert.Equal(t, Infeasible, res.status)
	assert.True(t, res.certified)
}

// fmFeasible decides rational feasibility of the problem's relaxation by
// Fourier–Motzkin elimination in exact integer arithmetic: an oracle that
// shares nothing with the simplex.
func fmFeasible(p *problem) bool {
	n := len(p.lo)
	type ineq struct {
		a []int64 // a·x ≤ b
		b int64
	}
	var sys []ineq
	add := func(a []int64, b int64) { sys = append(sys, ineq{a, b}) }
	for j := 0; j < n; j++ {
		a := make([]int64, n)
		a[j] = 1
		add(a, p.hi[j])
		b := make([]int64, n)
		b[j] = -1
		add(b, -p.lo[j])
	}
	for _, r := range p.rows {
		a := make([]int64, n)
		for _, t := range r.terms {
			a[t.col] += t.coef
		}
		if r.hi < noHi {
			add(a, r.hi)
		}
		if r.lo > noLo {
			b := make([]int64, n)
			for j := range a {
				b[j] = -a[j]
			}
			add(b, -r.lo)
		}
	}
	for k := 0; k < n; k++ {
		var pos, neg []ineq
		// Keep, for every left-hand side, only the tightest right-hand side.
		best := map[string]int{}
		var rest []ineq
		keep := func(q ineq) {
			key := fmt.Sprint(q.a)
			if i, ok := best[key]; ok {
				rest[i].b = min(rest[i].b, q.b)
				return
			}
			best[key] = len(rest)
			rest = append(rest, q)
		}
		for _, q := range sys {
			switch {
			case q.a[k] > 0:
				pos = append(pos, q)
			case q.a[k] < 0:
				neg = append(neg, q)
			default:
				keep(q)
			}
		}
		for _, P := range pos {
			for _, N := range neg {
				cp, cn := -N.a[k], P.a[k]
				a := make([]int64, n)
				for j := range a {
					a[j] = cp*P.a[j] + cn*N.a[j]
				}
				keep(ineq{a, cp*P.b + cn*N.b})
			}
		}
		sys = rest
	}
	for _, q := range sys {
		if q.b < 0 {
			return false
		}
	}
	return true
}

// TestLPAgreesWithFourierMotzkin checks the simplex alone (no propagation,
// no branching) against exact elimination, and that every infeasible answer
// carries a verified certificate.
func TestLPAgreesWithFourierMotzkin(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	s := &lpSolver{}
	infeasible := 0
	for k := 0; k < 3000; k++ {
		p := randomProblem(r)
		want := fmFeasible(p)
		lr := s.solve(p, p.lo, p.hi)
		require.NotEqual(t, lpFailed, lr.status, "instance %d", k)
		require.Equal(t, want, lr.status == lpFeasible, "instance %d: %+v", k, p)
		if lr.status == lpInfeasible {
			infeasible++
			require.True(t, lr.certified, "instance %d: uncertified", k)
		} else {
			// The relaxation's point meets every row within tolerance.
			for _, rw := range p.rows {
				a := 0.0
				for _, tm := range rw.terms {
					a += float64(tm.coef) * lr.x[tm.col]
				}
				require.GreaterOrEqual(t, a, float64(rw.lo)-1e-6)
				require.LessOrEqual(t, a, float64(rw.hi)+1e-6)
			}
		}
	}
	t.Logf("infeasible relaxations: %d", infeasible)
}

// TestSparseTableauAgreesWithDense: the sparse tableau (used for problems
// too large for a dense one) gives the dense tableau's answers on random
// relaxations, with points that meet every row and certified infeasibility.
func TestSparseTableauAgreesWithDense(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	var dense denseLP
	var sparse sparseLP
	for k := 0; k < 3000; k++ {
		p := randomProblem(r)
		d := dense.solve(p, p.lo, p.hi)
		s := sparse.solve(p, p.lo, p.hi)
		require.Equal(t, d.status, s.status, "instance %d: %+v", k, p)
		require.Equal(t, d.certified, s.certified, "instance %d", k)
		if s.status != lpFeasible {
			continue
		}
		requireLPPoint(t, p, s.x, k)
	}
}

// TestILPOnSparseTableau is the enumeration comparison with every
// relaxation on the sparse tableau (warm-started down the dives like the
// dense one): on random problems, and on random block-angular ones whose
// national rows the tableau takes in stages (every infeasible answer
// certified there).
func TestILPOnSparseTableau(t *testing.T) {
	saved := denseLimit
	denseLimit = 0
	defer func() { denseLimit = saved }()
	tests := []struct {
		name      string
		problem   func(*rand.Rand) *problem
		seed      uint64
		instances int
		certified bool
	}{
		{"random", randomProblem, 3, 5000, false},
		{"blocks and national rows", blockProblem, 11, 4000, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, tc.seed+1))
			s := &lpSolver{}
			for k := 0; k < tc.instances; k++ {
				p := tc.problem(r)
				want := bruteILP(p)
				got := p.solve(s, 0, nil)
				require.NotEqual(t, Unknown, got.status, "instance %d", k)
				require.Equal(t, want, got.status == Feasible, "instance %d: %+v", k, p)
				if got.status == Feasible {
					require.True(t, p.satisfies(got.x))
				} else if tc.certified {
					require.True(t, got.certified, "instance %d", k)
				}
			}
		})
	}
}

// requireLPPoint checks that x, a relaxation's point for instance k, meets
// every row and bound of p (within rounding).
func requireLPPoint(t *testing.T, p *problem, x []float64, k int) {
	t.Helper()
	for _, row := range p.rows {
		a := 0.0
		for _, tm := range row.terms {
			a += float64(tm.coef) * x[tm.col]
		}
		require.GreaterOrEqual(t, a, float64(row.lo)-1e-6, "instance %d", k)
		require.LessOrEqual(t, a, float64(row.hi)+1e-6, "instance %d", k)
	}
	for j, v := range x {
		require.GreaterOrEqual(t, v, float64(p.lo[j])-1e-9, "instance %d", k)
		require.LessOrEqual(t, v, float64(p.hi[j])+1e-9, "instance %d", k)
	}
}
