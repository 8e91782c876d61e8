// Package sweep runs a scenario's Monte Carlo simulation at many points of a
// parameter space and searches it for thresholds.
//
// # Designs
//
// A sweep varies one or more scenario keys (the dotted paths of --set, such
// as "stages[name=election].elect.surplus"). Each key's values come from a
// Param: a numeric grid start:stop:step, a list of YAML values a,b,c, or an
// interval lo:hi. A grid Design takes the full factorial product of its
// parameters; a Latin hypercube Design ("lhs") draws N points that cover
// every parameter's interval in N equal strata (a grid's or a list's values
// in N equal shares), deterministically from the base seed.
//
// # Seeds
//
// By default every point runs with the base seed: common random numbers.
// Trial i draws, at every stage of every unit, from a stream of (seed, i,
// unit, stage) alone, so two points share every draw their values do not
// change, and their difference is the values' effect rather than noise.
//
// An independent design (Design.Independent, --independent) gives every
// point its own seed, PointSeed: the first 48 bits of
//
//	SHA-256("simulate-sweep/1/point" ‖ 0 ‖ base seed ‖ 0 ‖ point)
//
// (1 if they are all zero), where the base seed is written in decimal and
// the point as its "key=value" assignments, one per line, sorted. It depends
// on nothing but the base seed and the point itself (not on its index, the
// other points or the design); 48 bits survive JSON readers that hold
// numbers as doubles and spreadsheets that keep 15 digits. Either way any
// point can be re-run alone with
//
//	simulate run --set KEY=VALUE … --seed SEED --trials TRIALS
//
// and gives the numbers of its row.
//
// # Files
//
// Results stream to CSV or JSON Lines, one row per point in point order,
// flushed as each point finishes. Every row carries the identity of what
// produced it (scenario SHA-256, sweep-definition SHA-256, program version),
// so that Resume can refuse to continue a file written by a different
// scenario or sweep, and Merge can refuse to combine shards of different
// sweeps. A file interrupted at any moment is valid up to its last complete
// line; Resume drops an incomplete last line and continues after the last
// finished point, and the finished file is byte-identical to an
// uninterrupted sweep's.
//
// # Threshold search
//
// Solve finds the smallest (or largest) value of one parameter, on a grid,
// at which a target's probability reaches a level: a bisection over the
// grid in which every evaluated value doubles its trials until its Wilson
// interval (at a confidence above the usual 95%) lies on one side of the
// level, or a trial budget is spent.
package sweep
