// Package sensitivity measures how much each of a model's inputs moves each
// of its outputs: Morris elementary effects (a screening with few model
// evaluations) and Sobol variance-based indices (first-order and total),
// each with bootstrap confidence intervals.
//
// The analysis core works with any model f(x) → y, x a point of a box of
// parameter ranges and y a vector of outputs (Func, or Model for models that
// take a context and may fail). A Design holds the points to evaluate in the
// unit hypercube; Evaluate runs the model at all of them on several
// goroutines (the results are stored by point, so they do not depend on the
// number of workers); Design.Analyze turns the outputs into indices. Analyse
// runs the three steps for a plain function.
//
// # Sobol indices
//
// Saltelli sampling: two independent N×d matrices A and B (the first and
// last d coordinates of a scrambled 2d-dimensional Halton sequence, or
// independent uniforms), and for every parameter i the matrix A_B^(i), A with
// its column i taken from B: N(d+2) evaluations. With f_A, f_B and f_ABi the
// outputs of row j of each matrix and V the variance of f_A and f_B together,
//
//	S1_i = mean_j f_B (f_ABi − f_A) / V             (Saltelli et al. 2010)
//	ST_i = mean_j (f_A − f_ABi)² / 2 / V            (Jansen 1999)
//
// S1_i is the share of the output's variance that x_i explains alone, ST_i
// the share it explains with all its interactions; 1 − Σ S1 is the share
// due to interactions. Outputs are centred on the mean of f_A and f_B first,
// which leaves the indices' expectations unchanged and lowers the variance
// of the S1 estimator.
//
// # Morris elementary effects
//
// r trajectories on a p-level grid of the unit hypercube: each starts at a
// random grid point and moves one parameter at a time by Δ = p / (2(p − 1))
// in a random order, d + 1 points per trajectory. The elementary effect of
// x_i is the change of the output over the step, divided by Δ: the change
// over the parameter's whole range were the model linear. μ is their mean,
// μ* the mean of their absolute values (the importance measure: it does not
// let effects of opposite signs cancel) and σ their standard deviation
// (large when the effect depends on where it is measured: non-linearity or
// interactions). Campolongo et al. (2007) spread the trajectories out by
// drawing M candidates and keeping the r that maximise the sum of squared
// distances between trajectories; the selection here is greedy (drop, one at
// a time, the candidate contributing least, as Ruano et al. 2012 propose)
// rather than the exhaustive search over all subsets.
//
// # Intervals
//
// Every index gets a percentile bootstrap interval: the estimator is
// recomputed on resamples, with replacement, of the N base rows (Sobol: row
// j of A, B and every A_B^(i) together) or of the r trajectories (Morris),
// with a random stream fixed by the seed. A parameter the outputs do not
// depend on at all gets exactly 0 for every index and every resample.
//
// # Points files
//
// EvaluatePoints hands every point's outputs over in point order as soon as
// the points before it have finished, so a scenario's analysis streams them
// to a points file (file.go): its Definition, then one line per point. Read
// checks every line of such a file against the definition (the design is
// drawn again from it: coordinates, values, seeds), Resume continues an
// interrupted file, and Merge joins the files of an analysis split into
// shards into the file of the unsplit analysis, byte for byte.
package sensitivity
