package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// Methods.
const (
	Sobol  = "sobol"
	Morris = "morris"
)

// Samplers of the Sobol base matrices.
const (
	// Halton is a scrambled (Owen's randomised van der Corput) Halton
	// sequence from gonum/stat/samplemv: quasi-random, so the estimates
	// converge faster than with independent points.
	Halton = "halton"
	// Random is independent uniform points.
	Random = "random"
)

// Trajectory designs of Morris.
const (
	// Campolongo picks the r most spread trajectories out of Candidates.
	Campolongo = "campolongo"
	// Plain is r independent random trajectories (Morris 1991).
	Plain = "random"
)

// Limits on a design's size, so that a design (also one described by an
// untrusted points file) is drawn in bounded memory and time: points,
// coordinates (points × parameters), bootstrap resamples, Campolongo's
// candidates and the work of choosing among them (pairs of candidates ×
// (d+1)² point pairs × d coordinates).
const (
	MaxParams         = 100
	MaxPoints         = 1_000_000
	MaxCoordinates    = 1 << 23
	MaxResamples      = 100_000
	MaxCandidates     = 2000
	maxCampolongoWork = 2e9
)

// Param is one input of the model: a name and its range.
type Param struct {
	Name string  `json:"name"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

// Options define a design and its analysis. Zero values take the defaults.
type Options struct {
	// Method is Sobol (default) or Morris.
	Method string
	// Seed fixes the design's points and the bootstrap.
	Seed uint64
	// N is the number of Sobol base samples (default 256).
	N int
	// Sampler is Halton (default) or Random.
	Sampler string
	// Trajectories is Morris's r (default 10), Levels its p (default 4, even).
	Trajectories, Levels int
	// TrajectoryDesign is Campolongo (default) or Plain; Candidates is the
	// number of random trajectories Campolongo chooses from (default 10 r,
	// at most 500).
	TrajectoryDesign string
	Candidates       int
	// Resamples is the number of bootstrap resamples (default 1000), and
	// Confidence the level of the intervals (default 0.95).
	Resamples  int
	Confidence float64
}

func (o *Options) defaults() error {
	if o.Method == "" {
		o.Method = Sobol
	}
	if o.Resamples == 0 {
		o.Resamples = 1000
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	if o.Resamples < 10 || o.Resamples > MaxResamples {
		return fmt.Errorf("bootstrap resamples must be from 10 to %d, got %d", MaxResamples, o.Resamples)
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return fmt.Errorf("confidence must be strictly between 0 and 1, got %v", o.Confidence)
	}
	switch o.Method {
	case Sobol:
		if o.N == 0 {
			o.N = 256
		}
		if o.Sampler == "" {
			o.Sampler = Halton
		}
		if o.N < 2 {
			return fmt.Errorf("sobol needs at least 2 base samples, got %d", o.N)
		}
		if o.Sampler != Halton && o.Sampler != Random {
			return fmt.Errorf("unknown sampler %q (want %s or %s)", o.Sampler, Halton, Random)
		}
	case Morris:
		if o.Trajectories == 0 {
			o.Trajectories = 10
		}
		if o.Levels == 0 {
			o.Levels = 4
		}
		if o.TrajectoryDesign == "" {
			o.TrajectoryDesign = Campolongo
		}
		if o.Trajectories < 2 {
			return fmt.Errorf("morris needs at least 2 trajectories (σ needs two effects), got %d", o.Trajectories)
		}
		if o.Levels < 2 || o.Levels%2 != 0 || o.Levels > 1000 {
			return fmt.Errorf("morris levels must be an even number from 2 to 1000, got %d", o.Levels)
		}
		switch o.TrajectoryDesign {
		case Campolongo:
			if o.Candidates == 0 {
				o.Candidates = min(10*o.Trajectories, max(500, o.Trajectories))
			}
			if o.Candidates < o.Trajectories {
				return fmt.Errorf("campolongo needs at least as many candidates as trajectories (%d), got %d", o.Trajectories, o.Candidates)
			}
			if o.Candidates > MaxCandidates {
				return fmt.Errorf("campolongo chooses from at most %d candidates, got %d", MaxCandidates, o.Candidates)
			}
		case Plain:
			o.Candidates = 0
		default:
			return fmt.Errorf("unknown trajectory design %q (want %s or %s)", o.TrajectoryDesign, Campolongo, Plain)
		}
	default:
		return fmt.Errorf("unknown method %q (want %s or %s)", o.Method, Morris, Sobol)
	}
	return nil
}

// Design is the set of points at which the model is evaluated.
type Design struct {
	Params  []Param
	Options Options
	// Unit holds the points in the unit hypercube, in evaluation order:
	// Sobol: for each base row j, A_j, A_B^(1)_j … A_B^(d)_j, B_j (d+2 rows);
	// Morris: each trajectory's d+1 points in turn.
	Unit [][]float64
	// steps[t][k] is the parameter the k-th step of trajectory t moves,
	// and up[t][k] whether it moves up (Morris).
	steps [][]int
	up    [][]bool
}

// Random streams of the package, so that the design's and the bootstrap's
// draws are independent for one seed.
const (
	streamDesign    = 0x5e75_de51
	streamBootstrap = 0x5e75_b007
)

// NewDesign draws the points of a design over params.
func NewDesign(params []Param, opts Options) (*Design, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	d := len(params)
	switch {
	case d == 0:
		return nil, errors.New("no parameters")
	case d > MaxParams:
		return nil, fmt.Errorf("%d parameters: at most %d", d, MaxParams)
	}
	seen := map[string]bool{}
	for _, p := range params {
		if !(p.Hi > p.Lo) || math.IsInf(p.Hi-p.Lo, 0) {
			return nil, fmt.Errorf("parameter %s: range %v:%v needs finite lo < hi", p.Name, p.Lo, p.Hi)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("parameter %s is given twice", p.Name)
		}
		seen[p.Name] = true
	}
	des := &Design{Params: params, Options: opts}
	rng := rand.New(rand.NewPCG(opts.Seed, streamDesign))
	switch opts.Method {
	case Sobol:
		if opts.N > MaxPoints/(d+2) || opts.N*(d+2)*d > MaxCoordinates {
			return nil, fmt.Errorf("%d base samples × %d matrices of %d parameters is more than %d points or %d coordinates", opts.N, d+2, d, MaxPoints, MaxCoordinates)
		}
		des.saltelli(rng)
	case Morris:
		if opts.Trajectories > MaxPoints/(d+1) || opts.Trajectories*(d+1)*d > MaxCoordinates {
			return nil, fmt.Errorf("%d trajectories × %d points of %d parameters is more than %d points or %d coordinates", opts.Trajectories, d+1, d, MaxPoints, MaxCoordinates)
		}
		if m := float64(opts.Candidates); opts.TrajectoryDesign == Campolongo && m*m/2*float64((d+1)*(d+1)*d) > maxCampolongoWork {
			return nil, fmt.Errorf("choosing %d trajectories of %d parameters from %d candidates is too much work: lower --candidates or use --trajectory-design random", opts.Trajectories, d, opts.Candidates)
		}
		des.morris(rng)
	}
	return des, nil
}

// saltelli draws the base matrices A and B and lays out A, A_B^(i), B.
func (des *Design) saltelli(rng *rand.Rand) {
	d, n := len(des.Params), des.Options.N
	base := mat.NewDense(n, 2*d, nil)
	switch des.Options.Sampler {
	case Halton:
		samplemv.Halton{Kind: samplemv.Owen, Q: distmv.NewUnitUniform(2*d, nil), Src: rng}.Sample(base)
	default:
		samplemv.IID{Dist: distmv.NewUnitUniform(2*d, rng)}.Sample(base)
	}
	des.Unit = make([][]float64, 0, n*(d+2))
	for j := range n {
		row := base.RawRowView(j)
		a, b := row[:d], row[d:]
		des.Unit = append(des.Unit, append([]float64(nil), a...))
		for i := range d {
			ab := append([]float64(nil), a...)
			ab[i] = b[i]
			des.Unit = append(des.Unit, ab)
		}
		des.Unit = append(des.Unit, append([]float64(nil), b...))
	}
}

// Delta is the step of a Morris design with p levels, as a share of each
// parameter's range: p / (2(p − 1)).
func Delta(levels int) float64 { return float64(levels) / (2 * float64(levels-1)) }

// trajectory is one Morris trajectory in the unit cube.
type trajectory struct {
	points [][]float64
	steps  []int
	up     []bool
}

// randomTrajectory draws a trajectory: a base point on the grid levels from
// which a step of Δ up stays inside, a random order of the parameters and a
// random direction for each.
func randomTrajectory(rng *rand.Rand, d, levels int) trajectory {
	delta := Delta(levels)
	low := make([]float64, d) // the lower end of each parameter's step
	for i := range low {
		low[i] = float64(rng.IntN(levels/2)) / float64(levels-1)
	}
	t := trajectory{steps: rng.Perm(d), up: make([]bool, d)}
	x := make([]float64, d)
	for i := range x {
		// Start at the lower end and step up, or at the upper end and down.
		if rng.IntN(2) == 0 {
			x[i] = low[i]
		} else {
			x[i] = low[i] + delta
		}
	}
	t.points = append(t.points, append([]float64(nil), x...))
	for k, i := range t.steps {
		t.up[k] = x[i] == low[i]
		if t.up[k] {
			x[i] = low[i] + delta
		} else {
			x[i] = low[i]
		}
		t.points = append(t.points, append([]float64(nil), x...))
	}
	return t
}

func (des *Design) morris(rng *rand.Rand) {
	o := des.Options
	d := len(des.Params)
	var ts []trajectory
	if o.TrajectoryDesign == Campolongo {
		cands := make([]trajectory, o.Candidates)
		for k := range cands {
			cands[k] = randomTrajectory(rng, d, o.Levels)
		}
		for _, k := range spreadOut(cands, o.Trajectories) {
			ts = append(ts, cands[k])
		}
	} else {
		for range o.Trajectories {
			ts = append(ts, randomTrajectory(rng, d, o.Levels))
		}
	}
	for _, t := range ts {
		des.Unit = append(des.Unit, t.points...)
		des.steps = append(des.steps, t.steps)
		des.up = append(des.up, t.up)
	}
}

// trajectoryDistance is Campolongo's distance between two trajectories: the
// sum of the Euclidean distances between every point of one and every point
// of the other.
func trajectoryDistance(a, b trajectory) float64 {
	s := 0.0
	for _, p := range a.points {
		for _, q := range b.points {
			ss := 0.0
			for i := range p {
				ss += (p[i] - q[i]) * (p[i] - q[i])
			}
			s += math.Sqrt(ss)
		}
	}
	return s
}

// spreadOut returns the indices, in increasing order, of r of the
// candidates chosen to maximise the sum of squared distances between the
// chosen: starting from all, it drops the candidate whose squared distances
// to the others remaining sum to the least, until r remain.
func spreadOut(cands []trajectory, r int) []int {
	m := len(cands)
	d2 := make([][]float64, m)
	for k := range d2 {
		d2[k] = make([]float64, m)
	}
	contrib := make([]float64, m)
	for k := range m {
		for l := k + 1; l < m; l++ {
			dist := trajectoryDistance(cands[k], cands[l])
			d2[k][l], d2[l][k] = dist*dist, dist*dist
			contrib[k] += dist * dist
			contrib[l] += dist * dist
		}
	}
	alive := make([]bool, m)
	for k := range alive {
		alive[k] = true
	}
	for left := m; left > r; left-- {
		worst := -1
		for k := range m {
			if alive[k] && (worst < 0 || contrib[k] < contrib[worst]) {
				worst = k
			}
		}
		alive[worst] = false
		for k := range m {
			if alive[k] {
				contrib[k] -= d2[k][worst]
			}
		}
	}
	var out []int
	for k, a := range alive {
		if a {
			out = append(out, k)
		}
	}
	return out
}

// Point returns point k of the design in the parameters' units.
func (des *Design) Point(k int) []float64 {
	u := des.Unit[k]
	x := make([]float64, len(u))
	for i, p := range des.Params {
		x[i] = p.Lo + u[i]*(p.Hi-p.Lo)
	}
	return x
}

// Points returns all points of the design in the parameters' units.
func (des *Design) Points() [][]float64 {
	out := make([][]float64, len(des.Unit))
	for k := range out {
		out[k] = des.Point(k)
	}
	return out
}

// Describe says in words what the design is.
func (des *Design) Describe() string {
	o := des.Options
	d := len(des.Params)
	var b strings.Builder
	switch o.Method {
	case Sobol:
		fmt.Fprintf(&b, "Sobol indices, Saltelli sampling: N = %d base samples (%s), %d parameters → %d points", o.N, o.Sampler, d, len(des.Unit))
	case Morris:
		design := "plain random"
		if o.TrajectoryDesign == Campolongo {
			design = fmt.Sprintf("Campolongo: the most spread of %d candidates", o.Candidates)
		}
		fmt.Fprintf(&b, "Morris elementary effects: r = %d trajectories (%s), p = %d levels, Δ = %s, %d parameters → %d points",
			o.Trajectories, design, o.Levels, trimFloat(Delta(o.Levels), 4), d, len(des.Unit))
	}
	return b.String()
}
