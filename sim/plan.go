package sim

import (
	"math"

	"simulate/scenario"
	"simulate/sim/stats"
)

// planQuotas fills in the per-unit bounds of the target quotas of every
// select stage that plans with a confidence (SelectStage.Confidence).
//
// The organisers' model of what happens after their list: every later step
// removes people at random, so that the k names on a unit's list are cut to
// its L local seats by a uniformly random subset. The matching people
// elected from a list with x of them are then X ~ Hypergeometric(k, x, L),
// and the unit's central candidates count for nothing toward a minimum and
// fully toward a maximum (the worst case, as without planning).
//
// People of the target's group may also be removed by filter stages after
// the list (publicity, review ...): each survives them with probability
// keep, the least over the group's types, independently, so the elected
// X' are X thinned to Binomial(X, keep). Minimums are planned on X'.
//
//   - scope each: the list's minimum is the least x with
//     P(X ≥ need) ≥ confidence, need being the least count of the unit's
//     seats that meets the target; its maximum the largest x with
//     P(X + central ≤ allowed) ≥ confidence. When no x reaches the
//     confidence, the minimum is the whole list and the maximum 0: the best
//     the list can do.
//   - scope total: every unit in scope gets the same share s + δ of its
//     list (s the target's share of the seats in scope), and δ is the least
//     margin, in steps of 0.001, for which the sum over the units —
//     each unit at its planned bound or at the expected share of its
//     nominees, whichever is further from the bound — meets the target with
//     the confidence, by the normal approximation to that sum.
func (m *Model) planQuotas() {
	for s := range m.stages {
		st := &m.stages[s]
		if st.confidence <= 0 {
			continue
		}
		for qi := range st.quotas {
			q := &st.quotas[qi]
			if !q.fromTarget {
				continue
			}
			tm := &m.targets[q.target]
			keep := m.survival(s, tm.pred)
			q.plan = make([]planned, len(m.units))
			for u := range q.plan {
				q.plan[u] = planned{0, -1}
			}
			if tm.t.Scope == scenario.ScopeEach {
				for _, u := range tm.units {
					q.plan[u] = m.planEach(tm, &m.units[u], m.units[u].listSize[s], st.confidence, keep)
				}
			} else {
				m.planTotal(tm, q.plan, s, st.confidence, keep)
			}
		}
	}
}

// needs returns the least and the greatest count of matching people among
// n elected that meet target t (hi −1: no maximum), memberShare being the
// unit's member share of the target's predicate.
func needs(t *scenario.Target, n int, memberShare float64) (lo, hi int) {
	lo, hi = 0, -1
	step := 0
	if t.Strict {
		step = 1
	}
	if t.MinCount != nil {
		lo = *t.MinCount + step
	}
	if t.MinShare != nil {
		lo = max(lo, scenario.MinCount(*t.MinShare, t.Strict, n))
	}
	if t.AboveMemberShare {
		lo = max(lo, scenario.MinCount(memberShare, t.Strict, n))
	}
	if t.MaxCount != nil {
		hi = max(0, *t.MaxCount-step)
	}
	if t.MaxShare != nil {
		c := scenario.MaxCount(*t.MaxShare, t.Strict, n)
		if hi < 0 || c < hi {
			hi = c
		}
	}
	return lo, hi
}

// survival returns the least probability, over the types matching
// predicate pred, of passing every filter stage after stage s.
func (m *Model) survival(s, pred int) float64 {
	keep := 1.0
	for typ, match := range m.preds[pred] {
		if !match {
			continue
		}
		k := 1.0
		for f := s + 1; f < len(m.stages); f++ {
			for _, v := range m.stages[f].vetoes {
				if v.match == nil || v.match[typ] {
					k *= 1 - v.rate
				}
			}
		}
		keep = math.Min(keep, k)
	}
	return keep
}

// thinnedAtLeast returns P(Binomial(X, keep) ≥ c) for X ~
// Hypergeometric(N, K, n).
func thinnedAtLeast(N, K, n, c int, keep float64) float64 {
	if keep >= 1 {
		return hyperAtLeast(N, K, n, c)
	}
	if c <= 0 {
		return 1
	}
	h := hyper(N, K, n)
	total := 0.0
	for x := max(c, n-(N-K)); x <= min(n, K); x++ {
		total += h.PMF(x) * stats.BinomialSurvival(x, keep, c)
	}
	return math.Min(1, total)
}

// planEach plans one unit's list of k names for a scope-each target.
func (m *Model) planEach(tm *targetModel, um *unitModel, k int, conf, keep float64) planned {
	need, allow := needs(tm.t, um.seats, um.memberShare[tm.pred])
	L := min(um.local, k)
	p := planned{0, -1}
	// Both probabilities are monotone in x (more matching names on the list
	// can only help a minimum and hurt a maximum), so a binary search finds
	// the bound in O(log k) evaluations: lists of a million names plan in
	// milliseconds.
	if need > 0 {
		p.lo = k
		if thinnedAtLeast(k, k, L, need, keep) >= conf {
			p.lo = search(k, func(x int) bool { return thinnedAtLeast(k, x, L, need, keep) >= conf })
		}
	}
	if allow >= 0 {
		p.hi = 0
		if hyperAtMost(k, 0, L, allow-um.central) >= conf {
			// the least x that fails, less one
			p.hi = k
			if hyperAtMost(k, k, L, allow-um.central) < conf {
				p.hi = search(k, func(x int) bool { return hyperAtMost(k, x, L, allow-um.central) < conf }) - 1
			}
		}
	}
	return p
}

// planTotal plans every in-scope unit's list at stage s for a scope-total
// target, writing the bounds into plan.
func (m *Model) planTotal(tm *targetModel, plan []planned, s int, conf, keep float64) {
	seats := 0
	for _, u := range tm.units {
		seats += m.units[u].seats
	}
	if seats == 0 {
		return
	}
	need, allow := needs(tm.t, seats, 0)
	z := normalQuantile(conf)
	const steps = 1000
	if need > 0 {
		base := float64(need) / float64(seats)
		bound := func(u int, d int) int {
			um := &m.units[u]
			k := um.listSize[s]
			return min(k, scenario.CeilMul(math.Min(1, base+float64(d)/steps), k+um.central))
		}
		ok := func(d int) bool {
			mean, v := 0.0, 0.0
			for _, u := range tm.units {
				um := &m.units[u]
				k := um.listSize[s]
				x := max(bound(u, d), int(math.Round(um.nomineeShare[tm.pred]*float64(k))))
				mu, va := hyperMoments(k, min(x, k), min(um.local, k))
				// thinned by the later filters
				mean, v = mean+mu*keep, v+va*keep*keep+mu*keep*(1-keep)
			}
			return meets(mean, v, float64(need)-0.5, z, true)
		}
		d := search(steps, ok)
		for _, u := range tm.units {
			plan[u].lo = bound(u, d)
		}
	}
	if allow >= 0 {
		base := float64(allow) / float64(seats)
		bound := func(u int, d int) int {
			um := &m.units[u]
			return max(0, scenario.FloorMul(math.Max(0, base-float64(d)/steps), um.listSize[s]+um.central)-um.central)
		}
		ok := func(d int) bool {
			mean, v := 0.0, 0.0
			for _, u := range tm.units {
				um := &m.units[u]
				k := um.listSize[s]
				x := min(bound(u, d), int(math.Round(um.nomineeShare[tm.pred]*float64(k))))
				mu, va := hyperMoments(k, min(x, k), min(um.local, k))
				mean, v = mean+mu+float64(um.central), v+va
			}
			return meets(mean, v, float64(allow)+0.5, z, false)
		}
		d := search(steps, ok)
		for _, u := range tm.units {
			plan[u].hi = bound(u, d)
		}
	}
}

// search returns the least d in [0, n] with ok(d), ok being monotone; n when
// none is.
func search(n int, ok func(int) bool) int {
	lo, hi := 0, n
	if ok(0) {
		return 0
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if ok(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// meets reports whether a normal sum with the given mean and variance lies
// above (atLeast) or below the continuity-corrected limit with probability
// at least Φ(z).
func meets(mean, variance, limit, z float64, atLeast bool) bool {
	sd := math.Sqrt(variance)
	if atLeast {
		return mean-z*sd >= limit
	}
	return mean+z*sd <= limit
}

// hyperMoments returns the mean and variance of Hypergeometric(N, K, n).
func hyperMoments(N, K, n int) (mean, variance float64) {
	if N <= 0 || n <= 0 {
		return 0, 0
	}
	p := float64(K) / float64(N)
	mean = float64(n) * p
	if N > 1 {
		variance = mean * (1 - p) * float64(N-n) / float64(N-1)
	}
	return mean, variance
}

// hyper returns Hypergeometric(N population, K successes, n draws); the
// planner's arguments always satisfy 0 ≤ K, n ≤ N.
func hyper(N, K, n int) stats.Hypergeometric {
	h, err := stats.NewHypergeometric(N, K, n)
	if err != nil {
		panic(err) // a planner bug, not bad input
	}
	return h
}

// hyperAtLeast returns P(X ≥ c) for X ~ Hypergeometric(N, K, n).
func hyperAtLeast(N, K, n, c int) float64 { return hyper(N, K, n).Survival(c) }

// hyperAtMost returns P(X ≤ c).
func hyperAtMost(N, K, n, c int) float64 { return hyper(N, K, n).CDF(c) }

// normalQuantile is the standard normal quantile Φ⁻¹(p).
func normalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}
