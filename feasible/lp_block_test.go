package feasible

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// blockProblem is a random block-angular problem: a few blocks of
// variables with rows of their own, joined by link rows over several
// blocks, marked as the builder marks national rows.
func blockProblem(r *rand.Rand) *problem {
	p := &problem{}
	nb := 1 + r.IntN(4)
	var blocks [][]int32
	for b := 0; b < nb; b++ {
		var vars []int32
		for k := 1 + r.IntN(3); k > 0; k-- {
			lo := int64(r.IntN(2))
			vars = append(vars, p.addVar(lo, lo+int64(r.IntN(3))))
		}
		blocks = append(blocks, vars)
	}
	row := func(vars []int32, link bool) {
		var ts []term
		for _, j := range vars {
			if r.IntN(3) > 0 {
				if c := int64(r.IntN(7) - 3); c != 0 {
					ts = append(ts, term{j, c})
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
			hi = lo + int64(r.IntN(3))
		}
		p.addRow(ts, lo, hi, len(p.rows))
		p.rows[len(p.rows)-1].link = link
	}
	for _, vars := range blocks {
		for k := r.IntN(3); k > 0; k-- {
			row(vars, false)
		}
	}
	for k := r.IntN(3); k > 0; k-- {
		var vars []int32
		for _, b := range blocks {
			vars = append(vars, b...)
		}
		row(vars, true)
	}
	return p
}

// TestLinkStagesAgreeWithDense: the sparse tableau's two stages (blocks
// first, links last) give the dense tableau's answers on random
// block-angular relaxations, with points that meet every row and
// certified infeasibility — whichever rows are marked as links.
func TestLinkStagesAgreeWithDense(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	var dense denseLP
	var sparse sparseLP
	infeasible, links := 0, 0
	for k := 0; k < 6000; k++ {
		var p *problem
		if k%2 == 0 {
			p = blockProblem(r)
		} else {
			// Any marking is correct: mark random rows of unstructured
			// problems.
			p = randomProblem(r)
			for i := range p.rows {
				p.rows[i].link = r.IntN(2) == 0
			}
		}
		for _, rw := range p.rows {
			if rw.link {
				links++
				break
			}
		}
		d := dense.solve(p, p.lo, p.hi)
		s := sparse.solve(p, p.lo, p.hi)
		if len(p.lo) <= 5 {
			// Exact elimination, for the problems small enough for it.
			require.Equal(t, fmFeasible(p), s.status == lpFeasible, "instance %d: %+v", k, p)
		}
		require.Equal(t, d.status, s.status, "instance %d: %+v", k, p)
		if s.status == lpInfeasible {
			infeasible++
			require.True(t, s.certified, "instance %d: uncertified", k)
			continue
		}
		requireLPPoint(t, p, s.x, k)
	}
	require.Greater(t, infeasible, 500)
	require.Greater(t, links, 2000)
}
