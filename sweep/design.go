package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// FormatTag names the sweep file format; it is part of every sweep's
// definition hash.
const FormatTag = "simulate-sweep/1"

// Design kinds.
const (
	DesignGrid = "grid"
	DesignLHS  = "lhs"
)

// Design is what a sweep varies and how: the full factorial grid of its
// params, or a Latin hypercube of Points points over them.
type Design struct {
	// Kind is DesignGrid or DesignLHS.
	Kind   string
	Params []*Param
	// Points is the number of points of a Latin hypercube (unused by grids).
	Points int
	// Independent gives every point its own seed (PointSeed); otherwise
	// every point runs with the base seed: common random numbers.
	Independent bool
}

// Point is one point of a design: a value for every param, in the order of
// Design.Params.
type Point struct {
	// Index numbers the points of the design from 0, in the order they run.
	Index  int
	Values []string
	// Seed is the point's random seed: the base seed (common random
	// numbers) or, for an independent design, PointSeed.
	Seed uint64
}

// NewDesign checks a design: a grid needs Grid or List params; a Latin
// hypercube takes any params (it draws from the values of Grid and List
// params as from a list) and needs Points ≥ 1. Keys must differ.
func NewDesign(kind string, params []*Param, points int) (*Design, error) {
	if len(params) == 0 {
		return nil, fmt.Errorf("nothing to sweep: no parameter is varied (KEY=SPEC)")
	}
	seen := map[string]bool{}
	for _, p := range params {
		k := strings.ToLower(p.Key)
		if seen[k] {
			return nil, fmt.Errorf("%s is varied twice", p.Key)
		}
		seen[k] = true
	}
	d := &Design{Kind: kind, Params: params, Points: points}
	switch kind {
	case DesignGrid:
		if points != 0 {
			return nil, fmt.Errorf("a number of points is for a Latin-hypercube design (lhs); a grid has the product of its parameters' values")
		}
		n := 1
		for _, p := range params {
			if p.Kind == Interval {
				return nil, fmt.Errorf("%s: an interval lo:hi needs a Latin-hypercube design (lhs); a grid needs start:stop:step or a list", p.Key)
			}
			n *= len(p.Values)
			if n > MaxPoints {
				return nil, fmt.Errorf("the grid has more than %d points", MaxPoints)
			}
		}
		d.Points = n
	case DesignLHS:
		if points < 1 || points > MaxPoints {
			return nil, fmt.Errorf("a Latin-hypercube design needs between 1 and %d points", MaxPoints)
		}
	default:
		return nil, fmt.Errorf("unknown design %q (want grid or lhs)", kind)
	}
	return d, nil
}

// Keys returns the swept keys in order.
func (d *Design) Keys() []string {
	keys := make([]string, len(d.Params))
	for i, p := range d.Params {
		keys[i] = p.Key
	}
	return keys
}

// Definition identifies a sweep: everything that decides its points and
// their numbers besides the scenario. Two sweeps with equal definitions and
// scenarios write identical files.
type Definition struct {
	Format string   `json:"format"`
	Design string   `json:"design"`
	Vary   []string `json:"vary"`
	Points int      `json:"points"`
	Seed   uint64   `json:"seed"`
	Trials int      `json:"trials"`
	// Criteria are the extra share criteria reported beside the targets.
	Criteria []string `json:"share_targets,omitempty"`
	// RandomNumbers is RandomCommon or RandomIndependent (Design.Independent).
	RandomNumbers string `json:"random_numbers"`
	// Precision, when set, runs every point sequentially from Trials until
	// its intervals' half-widths are below it, up to MaxTrials.
	Precision float64 `json:"precision,omitempty"`
	MaxTrials int     `json:"max_trials,omitempty"`
}

// The random numbers of a sweep's points.
const (
	// RandomCommon: every point runs with the base seed, so trial i at two
	// points shares every draw the swept keys do not change.
	RandomCommon = "common"
	// RandomIndependent: every point has its own seed, PointSeed.
	RandomIndependent = "independent"
)

// Definition returns the definition of a sweep of this design.
func (d *Design) Definition(seed uint64, trials int, criteria []string) Definition {
	def := Definition{Format: FormatTag, Design: d.Kind, Points: d.Points, Seed: seed, Trials: trials, Criteria: criteria,
		RandomNumbers: RandomCommon}
	if d.Independent {
		def.RandomNumbers = RandomIndependent
	}
	for _, p := range d.Params {
		def.Vary = append(def.Vary, p.String())
	}
	return def
}

// Hash is the SHA-256 of the definition's JSON.
func (def Definition) Hash() string {
	b, err := json.Marshal(def)
	if err != nil {
		panic(err) // plain data
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// String describes the definition for messages.
func (def Definition) String() string {
	s := fmt.Sprintf("%s design, %d points, seed %d, %d trials per point, --vary %s",
		def.Design, def.Points, def.Seed, def.Trials, strings.Join(def.Vary, " --vary "))
	if len(def.Criteria) > 0 {
		s += ", --share-target " + strings.Join(def.Criteria, " --share-target ")
	}
	if def.RandomNumbers == RandomIndependent {
		s += ", --independent"
	}
	if def.Precision > 0 {
		s += fmt.Sprintf(", --precision %v --max-trials %d", def.Precision, def.MaxTrials)
	}
	return s
}

// Enumerate returns every point of the design with its seed (the base seed,
// or PointSeed for an independent design), in run order.
// Grid points vary the last param fastest. Latin hypercube points are drawn
// from a generator seeded by the base seed and the design, so the same
// design and seed always give the same points.
func (d *Design) Enumerate(seed uint64) []Point {
	pts := make([]Point, d.Points)
	for i := range pts {
		pts[i] = Point{Index: i, Values: make([]string, len(d.Params))}
	}
	switch d.Kind {
	case DesignGrid:
		for i := range pts {
			rest := i
			for j := len(d.Params) - 1; j >= 0; j-- {
				vals := d.Params[j].Values
				pts[i].Values[j] = vals[rest%len(vals)]
				rest /= len(vals)
			}
		}
	case DesignLHS:
		r := d.lhsRand(seed)
		n := d.Points
		for j, p := range d.Params {
			perm := r.Perm(n)
			for i := range pts {
				// x is uniform in stratum perm[i] of n equal strata of [0, 1).
				x := (float64(perm[i]) + r.Float64()) / float64(n)
				pts[i].Values[j] = p.at(x)
			}
		}
	}
	for i := range pts {
		pts[i].Seed = seed
		if d.Independent {
			pts[i].Seed = PointSeed(seed, d.Keys(), pts[i].Values)
		}
	}
	return pts
}

// lhsRand is the generator of a Latin hypercube: PCG seeded from
// SHA-256("simulate-sweep/lhs", base seed, vary specs, points).
func (d *Design) lhsRand(seed uint64) *rand.Rand {
	h := sha256.New()
	fmt.Fprintf(h, "%s/lhs\x00%d\x00%d", FormatTag, seed, d.Points)
	for _, p := range d.Params {
		fmt.Fprintf(h, "\x00%s", p.String())
	}
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
}

// at maps x in [0, 1) to a value of the param: the entry of a List or Grid
// whose equal share of [0, 1) holds x, or, for an Interval, lo + x·(hi − lo)
// written to about six significant digits of the interval's width.
func (p *Param) at(x float64) string {
	if p.Kind != Interval {
		return p.Values[min(int(x*float64(len(p.Values))), len(p.Values)-1)]
	}
	dec := max(p.Decimals, 5-int(math.Floor(math.Log10(p.Hi-p.Lo))))
	dec = min(max(dec, 0), 15)
	s := strconv.FormatFloat(p.Lo+x*(p.Hi-p.Lo), 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Sets returns the point's overrides, "key=value" in param order.
func (d *Design) Sets(p Point) []string {
	sets := make([]string, len(d.Params))
	for j, par := range d.Params {
		sets[j] = par.Key + "=" + p.Values[j]
	}
	return sets
}

// PointSeed derives the seed of a point from the base seed and the point's
// assignments: the first 48 bits of SHA-256("simulate-sweep/point" ‖ seed ‖
// the "key=value" lines sorted by key), or 1 if they are all zero. It is
// independent of the point's index and of the rest of the design.
func PointSeed(base uint64, keys, values []string) uint64 {
	lines := make([]string, len(keys))
	for i := range keys {
		lines[i] = keys[i] + "=" + values[i]
	}
	slices.Sort(lines)
	h := sha256.New()
	fmt.Fprintf(h, "%s/point\x00%d\x00%s", FormatTag, base, strings.Join(lines, "\n"))
	s := binary.BigEndian.Uint64(h.Sum(nil)[:8]) >> 16
	if s == 0 {
		s = 1
	}
	return s
}

// ParseShard parses "k/n" (1-based) and checks 1 ≤ k ≤ n.
func ParseShard(spec string) (k, n int, err error) {
	if _, err := fmt.Sscanf(spec, "%d/%d", &k, &n); err != nil || fmt.Sprintf("%d/%d", k, n) != spec {
		return 0, 0, fmt.Errorf("shard %q: expected k/n, e.g. 2/8", spec)
	}
	if n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("shard %s: need 1 ≤ k ≤ n", spec)
	}
	return k, n, nil
}

// Shard returns the points of shard k of n: those whose index is k−1 modulo
// n. Taking every n-th point spreads expensive corners of the design evenly
// over the shards.
func Shard(points []Point, k, n int) []Point {
	var out []Point
	for _, p := range points {
		if p.Index%n == k-1 {
			out = append(out, p)
		}
	}
	return out
}
