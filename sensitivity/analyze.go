package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Index names.
const (
	S1     = "S1"
	ST     = "ST"
	MuStar = "mu_star"
	Mu     = "mu"
	Sigma  = "sigma"
)

// Index is one estimated index with its bootstrap interval. Estimate is
// NaN when the index is undefined (an output that never varies).
type Index struct {
	Name     string
	Estimate float64
	Low      float64
	High     float64
}

// ParamIndices are the indices of one parameter for one output.
type ParamIndices struct {
	Param   string
	Indices []Index
}

// Index returns the named index.
func (p ParamIndices) Index(name string) Index {
	for _, ix := range p.Indices {
		if ix.Name == name {
			return ix
		}
	}
	return Index{Name: name, Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
}

// Output is the analysis of one output: its mean and variance over the
// design's points, and the indices of every parameter.
type Output struct {
	Name     string
	Mean     float64
	Variance float64
	Params   []ParamIndices
	// Note says why the indices are undefined, if they are.
	Note string
}

// Param returns the indices of the named parameter.
func (o *Output) Param(name string) ParamIndices {
	for _, p := range o.Params {
		if p.Param == name {
			return p
		}
	}
	return ParamIndices{Param: name}
}

// Result is a sensitivity analysis: the design's definition and every
// output's indices.
type Result struct {
	Method      string
	Params      []Param
	Options     Options
	Evaluations int
	Outputs     []Output
	// Description is the design in words (Design.Describe).
	Description string
}

// IndexNames returns the indices the method reports, in order.
func IndexNames(method string) []string {
	if method == Morris {
		return []string{MuStar, Mu, Sigma}
	}
	return []string{S1, ST}
}

// Analyze computes the indices of every output from y, the outputs at the
// design's points in order (y[k][o] is output o at point k).
func (des *Design) Analyze(outputs []string, y [][]float64) (*Result, error) {
	if len(y) != len(des.Unit) {
		return nil, fmt.Errorf("%d results for %d points", len(y), len(des.Unit))
	}
	for k, row := range y {
		if len(row) != len(outputs) {
			return nil, fmt.Errorf("point %d has %d outputs, want %d (%v)", k, len(row), len(outputs), outputs)
		}
		for o, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("output %s is %v at point %d", outputs[o], v, k)
			}
		}
	}
	res := &Result{Method: des.Options.Method, Params: des.Params, Options: des.Options, Evaluations: len(y), Description: des.Describe()}
	for o, name := range outputs {
		// Every output's bootstrap draws the same resamples.
		rng := rand.New(rand.NewPCG(des.Options.Seed, streamBootstrap))
		col := make([]float64, len(y))
		for k := range y {
			col[k] = y[k][o]
		}
		var out Output
		switch des.Options.Method {
		case Sobol:
			out = des.sobol(col, rng)
		case Morris:
			out = des.morrisEffects(col, rng)
		}
		out.Name = name
		res.Outputs = append(res.Outputs, out)
	}
	return res, nil
}

// percentile returns the bootstrap interval of the given confidence from
// the resampled estimates, ignoring undefined (NaN) ones.
func percentile(samples []float64, confidence float64) (lo, hi float64) {
	s := slices.DeleteFunc(slices.Clone(samples), math.IsNaN)
	if len(s) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(s)
	alpha := (1 - confidence) / 2
	return stat.Quantile(alpha, stat.LinInterp, s, nil), stat.Quantile(1-alpha, stat.LinInterp, s, nil)
}

// sobolEstimates computes S1 and ST of every parameter from the base rows
// rows (indices into 0…N−1, with repetition in a bootstrap resample) of the
// centred outputs y in the design's layout. dst gets S1 then ST per
// parameter; it returns false when the outputs do not vary.
func sobolEstimates(y []float64, d int, rows []int, minVar float64, dst []float64) bool {
	stride := d + 2
	// Variance of f_A and f_B together.
	var sum, sum2 float64
	for _, j := range rows {
		a, b := y[j*stride], y[j*stride+d+1]
		sum += a + b
		sum2 += a*a + b*b
	}
	n := float64(2 * len(rows))
	mean := sum / n
	v := sum2/n - mean*mean
	if !(v > minVar) {
		for i := range dst {
			dst[i] = math.NaN()
		}
		return false
	}
	m := float64(len(rows))
	for i := range d {
		var first, total float64
		for _, j := range rows {
			a, ab, b := y[j*stride], y[j*stride+1+i], y[j*stride+d+1]
			first += b * (ab - a)
			total += (a - ab) * (a - ab)
		}
		dst[2*i] = first / m / v
		dst[2*i+1] = total / m / 2 / v
	}
	return true
}

func (des *Design) sobol(col []float64, rng *rand.Rand) Output {
	d, n := len(des.Params), des.Options.N
	stride := d + 2
	// Centre on the mean of f_A and f_B.
	var ab []float64
	for j := range n {
		ab = append(ab, col[j*stride], col[j*stride+d+1])
	}
	mean, variance := stat.PopMeanVariance(ab, nil)
	y := make([]float64, len(col))
	for k, v := range col {
		y[k] = v - mean
	}
	out := Output{Mean: mean, Variance: variance}
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	est := make([]float64, 2*d)
	if slices.Min(ab) == slices.Max(ab) {
		out.Note = "constant: the output does not vary over the design"
		for _, p := range des.Params {
			out.Params = append(out.Params, ParamIndices{Param: p.Name, Indices: []Index{nan(S1), nan(ST)}})
		}
		return out
	}
	// A resample whose f_A and f_B hardly vary (rounding noise) gives
	// undefined indices, left out of the interval.
	minVar := 1e-12 * variance
	sobolEstimates(y, d, rows, minVar, est)
	boot := make([][]float64, 2*d) // [index][resample]
	for i := range boot {
		boot[i] = make([]float64, des.Options.Resamples)
	}
	re := make([]float64, 2*d)
	for b := range des.Options.Resamples {
		for j := range rows {
			rows[j] = rng.IntN(n)
		}
		sobolEstimates(y, d, rows, minVar, re)
		for i, v := range re {
			boot[i][b] = v
		}
	}
	for i, p := range des.Params {
		pi := ParamIndices{Param: p.Name}
		for k, name := range []string{S1, ST} {
			lo, hi := percentile(boot[2*i+k], des.Options.Confidence)
			pi.Indices = append(pi.Indices, Index{Name: name, Estimate: est[2*i+k], Low: lo, High: hi})
		}
		out.Params = append(out.Params, pi)
	}
	return out
}

func nan(name string) Index {
	return Index{Name: name, Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
}

// effects returns the elementary effects ee[i][t] of each parameter i in
// each trajectory t.
func (des *Design) effects(col []float64) [][]float64 {
	d := len(des.Params)
	delta := Delta(des.Options.Levels)
	ee := make([][]float64, d)
	for i := range ee {
		ee[i] = make([]float64, len(des.steps))
	}
	for t, steps := range des.steps {
		base := t * (d + 1)
		for k, i := range steps {
			diff := col[base+k+1] - col[base+k]
			if !des.up[t][k] {
				diff = -diff
			}
			ee[i][t] = diff / delta
		}
	}
	return ee
}

// morrisStats returns μ*, μ and σ of the effects of the trajectories rows.
func morrisStats(ee []float64, rows []int) (muStar, mu, sigma float64) {
	var sumAbs, sum float64
	for _, t := range rows {
		sumAbs += math.Abs(ee[t])
		sum += ee[t]
	}
	n := float64(len(rows))
	mu = sum / n
	var ss float64
	for _, t := range rows {
		ss += (ee[t] - mu) * (ee[t] - mu)
	}
	return sumAbs / n, mu, math.Sqrt(ss / (n - 1))
}

func (des *Design) morrisEffects(col []float64, rng *rand.Rand) Output {
	mean, variance := stat.PopMeanVariance(col, nil)
	out := Output{Mean: mean, Variance: variance}
	ee := des.effects(col)
	r := len(des.steps)
	rows := make([]int, r)
	for t := range rows {
		rows[t] = t
	}
	type est struct{ muStar, mu, sigma float64 }
	full := make([]est, len(des.Params))
	for i := range des.Params {
		full[i].muStar, full[i].mu, full[i].sigma = morrisStats(ee[i], rows)
	}
	boot := make([][3][]float64, len(des.Params))
	for i := range boot {
		for k := range boot[i] {
			boot[i][k] = make([]float64, des.Options.Resamples)
		}
	}
	for b := range des.Options.Resamples {
		for t := range rows {
			rows[t] = rng.IntN(r)
		}
		for i := range des.Params {
			ms, m, s := morrisStats(ee[i], rows)
			boot[i][0][b], boot[i][1][b], boot[i][2][b] = ms, m, s
		}
	}
	for i, p := range des.Params {
		pi := ParamIndices{Param: p.Name}
		for k, name := range []string{MuStar, Mu, Sigma} {
			lo, hi := percentile(boot[i][k], des.Options.Confidence)
			v := [3]float64{full[i].muStar, full[i].mu, full[i].sigma}[k]
			pi.Indices = append(pi.Indices, Index{Name: name, Estimate: v, Low: lo, High: hi})
		}
		out.Params = append(out.Params, pi)
	}
	return out
}
