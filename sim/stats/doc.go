// Package stats provides the random-number and statistics primitives of the
// Monte Carlo engine: per-trial random streams, Bernoulli thresholds, alias
// tables for discrete sampling, Wilson score intervals, exact hypergeometric
// and binomial tail probabilities, and exact, mergeable accumulators for
// the per-trial results.
//
// # Determinism
//
// A run must give the same result for the same seed whatever the number of
// workers and however the scheduler interleaves them. The package supports
// that contract as follows:
//
//   - Stream(seed, trial) depends on (seed, trial) only, so a trial draws the
//     same numbers whichever worker runs it and in whatever order.
//   - Threshold, NewAlias and the draws from them are pure functions of their
//     inputs; NewAlias processes weights in index order and never iterates a
//     map. Bernoulli and Alias.Sample each consume exactly one r.Uint64().
//   - ShareHist keeps only integer state (bin counts, fixed-point
//     sums), so merging per-worker accumulators is associative and
//     commutative: any grouping and order gives the identical state, and
//     floating point appears only when a statistic is read out.
//
// Floating-point results are computed in a fixed order of operations. Go
// may fuse a multiply and an add on some architectures (arm64, ppc64le,
// s390x), so values such as Wilson bounds or tail probabilities can differ
// across architectures in the last bit; the quantities that steer a
// simulation (Threshold and alias-table construction) involve no fusable
// multiply-add and are identical everywhere.
//
// # Conventions
//
// Functions panic on arguments that can only come from a programming error
// (a negative count, a probability outside [0, 1]), like gonum's distuv, and
// return errors where the input comes from data (NewAlias,
// NewHypergeometric). Survival functions are upper tails that include their
// argument, P(X ≥ k).
package stats
