// Package feasible decides exactly — before any randomness — whether a
// scenario's seat quotas and structure ratios can be met at all, per unit
// and nationally, all at once; what every unit's lists must hold for the
// targets to survive the worst the voters can do; and, when the targets
// cannot be met, which constraints conflict and how little each would have
// to move.
//
// # What is decided
//
// As planned (Report.Planned): some outcome of nomination, inspection, selection and the vote
// meets every target and stage quota at once. A type of person (one value
// per trait) is available to a unit when its pool share is above 0 and its
// nomination weight is above 0; random vetoes may spare anyone, a veto with
// rate 1 removes everyone it matches; every seat is filled; centrally
// nominated candidates take their seats as any type of the central pool;
// recommending units nominate their share of the list from their own pools
// and finite pools hold whole people. A finite pool nominates only members
// with a nomination weight above 0, as sim draws them; when they run out
// its lists are as long as it can fill — the nominee list shorter than the
// nominee count, a selection keeping everyone who reaches it, the vote
// electing at most the ballot — and targets count the people elected (a
// share of nobody meets no positive minimum). A selection with score_sd 0
// and no quotas keeps people in score_bias order, ties in any order.
// Targets use sim's exact rounding:
// "at least s of n" is ⌈s·n⌉, "more than s" is ⌊s·n⌋+1 (both with the 1e-9
// tolerance of scenario.CeilMul and FloorMul), a unit's member share is the
// share of matching members in its own pool.
//
// In some trial (Report.Verdict): when the plan fails, the same question
// is asked again allowing, in turn, the vote to defeat central candidates,
// selections to miss their best-effort quotas, and seats to stay vacant
// (random vetoes removing anyone they match; a target then counts fewer
// people, so its share rows read q·c − p·n against the rounding tolerance).
// The first with a witness makes the verdict conditional, with what that
// trial needs; none makes it infeasible: no trial of the simulation meets
// the targets (a property test compares this with simulated trials).
//
// Guaranteed (the worst case, the inverse funnel): the vote defeats exactly
// the ballot's surplus — its local names beyond the local seats — choosing,
// for each target, the names least favourable to it; central candidates are
// of the least favourable type; filters between lists remove nobody and a
// selection can drop anyone, so each list must hold what the ballot needs.
// A minimum m with e defeated names and c central candidates who may not
// count needs m − c_always + e matching names on the ballot; a maximum M
// allows M − c_maybe. Nationally a unit counts only for its matching names
// beyond its surplus (a maximum: up to its local seats), which the national
// model states exactly with one binary choice per unit and target.
//
// # Method
//
// Only the counts of people in each atom matter — a cell of the Venn diagram
// of every target and quota predicate, split by the stage at which a certain
// veto removes it — so each unit becomes a handful of integer variables
// (cpc20: 12 atoms a unit). Units are blocks joined by the national rows.
// Every question is an integer feasibility problem over these counts, solved
// by depth-first branch and bound with integer bound propagation over a
// bounded-variable phase-one simplex written here: a dense tableau whose
// pivots touch only the pivot row's nonzeros for problems up to 4 million
// entries, a sparse one (rows of nonzeros, long national rows updated in
// place) beyond, so memory follows the nonzeros and 600 units fit.
//
// Answers are proven, not trusted to floating point: a feasible answer comes
// with an integer composition checked in integer arithmetic; an infeasible
// one rests on integer bound propagation and, at every leaf of the search, a
// Farkas certificate read off the final tableau and checked in exact rational
// arithmetic (math/big). Report.Certified says whether every certificate held.
//
// Why not gonum's lp.Simplex: it takes standard form only (every bound
// becomes a row and a slack), refuses rank-deficient constraint matrices
// with ErrSingular — and these problems have dependent rows whenever two
// targets share a predicate or a bound pins a unit's seats — refactorises a
// dense basis at every pivot, cannot be warm-started after a branch, and
// returns no certificate of infeasibility. An exact combinatorial method
// (dynamic programming over per-unit count vectors) is exact but grows with
// the product of the national bounds (cpc20: 560 × 1533 × 200 states).
//
// Conflicts are found by QuickXplain when there are many candidates, then a
// deletion filter (whole units first, then one constraint at a time), so
// every reported set is minimal — remove any member and the rest is
// feasible — unless a limit stopped the search (Conflict.Minimal).
// Relaxations move one bound — a target's share and its count on one side
// separately — on the grid of 4-decimal shares (or whole counts), found by
// bisection since relaxing a bound never hurts; each is checked on the
// whole scenario and comes with the --set arguments that make it.
//
// The property test checks all of this against brute-force enumeration of
// compositions by type (no atoms, no linear programming) on thousands of
// random small scenarios.
package feasible
