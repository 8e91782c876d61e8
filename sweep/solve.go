package sweep

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"simulate/sim"
	"simulate/sim/stats"
)

// Verdicts of an evaluation: whether the value's probability lies on the
// wanted side of the level, the other side, or cannot be told apart from it
// within the trial budget.
const (
	Reached    = "reached"
	NotReached = "not reached"
	Undecided  = "undecided"
)

// SolveConfig is a threshold search: the smallest (or, with Largest, the
// largest) value of Param on its grid at which the probability of Criterion
// is at least (or, with AtMost, at most) Level.
type SolveConfig struct {
	// Param is a Grid param: the candidate values lo, lo+step, … ≤ hi.
	Param *Param
	// Criterion is a target name or a share comparison, SHARE>=X / SHARE<=X.
	Criterion string
	Level     float64
	AtMost    bool
	Largest   bool
	// Confidence is the level of the Wilson intervals that decide on which
	// side of Level a value lies, e.g. 0.99.
	Confidence float64
	// Trials is the first batch of trials at a value; further batches
	// follow the schedule of sim.NextTrials (see eval), up to MaxTrials.
	Trials, MaxTrials int
	// Precision, when positive, also stops a value whose interval's
	// half-width is below it: its probability is then within ±Precision of
	// the level (undecided), and more trials would only narrow that.
	Precision float64
	// Independent gives every value its own seed (PointSeed of the base
	// seed and KEY=VALUE); otherwise every value runs with the base seed:
	// common random numbers.
	Independent bool
	Workers     int
	Load        Loader
	Version     string
	// Progress, when set, is called during every batch with the value, the
	// batch's first trial and the trials of the batch done so far.
	Progress func(value string, first, done, batch int)
	// Evaluated, when set, is called after every batch with the value's
	// evaluation so far.
	Evaluated func(e Evaluation)
}

// Evaluation is what is known about one value: its trials so far, how many
// met the criterion, the estimate with its interval at the search's
// confidence, and the verdict.
type Evaluation struct {
	Value       string  `json:"value"`
	Seed        uint64  `json:"seed"`
	Trials      int     `json:"trials"`
	Met         int64   `json:"met"`
	Probability float64 `json:"probability"`
	CILow       float64 `json:"ci_low"`
	CIHigh      float64 `json:"ci_high"`
	Verdict     string  `json:"verdict"`
	index       int
}

// Solution is the outcome of a threshold search.
type Solution struct {
	Scenario   string  `json:"scenario"`
	Hash       string  `json:"scenario_sha256"`
	Seed       uint64  `json:"seed"`
	Version    string  `json:"version"`
	Key        string  `json:"param"`
	Range      string  `json:"range"`
	Criterion  string  `json:"target"`
	Condition  string  `json:"condition"` // "at least" or "at most"
	Level      float64 `json:"level"`
	Direction  string  `json:"find"` // "smallest" or "largest"
	Confidence float64 `json:"confidence"`
	MaxTrials  int     `json:"max_trials"`
	Precision  float64 `json:"precision,omitempty"`
	// RandomNumbers is RandomCommon (every value with the base seed) or
	// RandomIndependent (every value its own seed).
	RandomNumbers string `json:"random_numbers"`
	// Found is set when some value of the range reaches the level with the
	// search's confidence; Answer is then the smallest (largest) such value
	// found by the bisection.
	Found  bool        `json:"found"`
	Answer *Evaluation `json:"answer,omitempty"`
	// Bracket holds, in value order, the evaluated values closest to the
	// crossing on either side: the answer and the nearest value decidedly
	// not reaching the level (nil at an end of the range).
	Bracket [2]*Evaluation `json:"bracket"`
	// Undecided are evaluated values between the bracket's ends whose
	// intervals still contain the level after MaxTrials trials: there the
	// probability cannot be told from the level.
	Undecided []*Evaluation `json:"undecided,omitempty"`
	// Evaluations are all evaluated values, in value order.
	Evaluations []*Evaluation `json:"evaluations"`
	TrialsUsed  int64         `json:"trials_used"`
	Note        string        `json:"note"`
}

// Solve runs the search. Assuming the probability is monotone in the
// parameter, it evaluates both ends of the range, then bisects twice: once
// for the boundary between values that decidedly do not reach the level and
// the rest, once for the boundary between values that decidedly reach it and
// the rest. Between the two lie the values whose probability cannot be told
// from the level with MaxTrials trials, or lies within ±Precision of it.
// Each value runs trials 0, 1, … in batches (see eval) from the base seed
// (or, with Independent, the value's own seed, PointSeed of the base seed
// and KEY=VALUE), so an evaluation with n trials is reproduced by
// 'simulate run --set KEY=VALUE --seed SEED --trials n'.
func Solve(ctx context.Context, cfg SolveConfig) (*Solution, error) {
	if cfg.Param == nil || cfg.Param.Kind != Grid {
		return nil, fmt.Errorf("the search range must be lo:hi:step")
	}
	if !(cfg.Level > 0 && cfg.Level < 1) {
		return nil, fmt.Errorf("the probability level must be strictly between 0 and 1, got %v", cfg.Level)
	}
	if !(cfg.Confidence > 0 && cfg.Confidence < 1) {
		return nil, fmt.Errorf("the confidence must be strictly between 0 and 1, got %v", cfg.Confidence)
	}
	if cfg.Trials < 1 || cfg.MaxTrials < cfg.Trials {
		return nil, fmt.Errorf("need 1 ≤ trials (%d) ≤ max trials (%d)", cfg.Trials, cfg.MaxTrials)
	}
	if !(cfg.Precision >= 0 && cfg.Precision < 0.5) {
		return nil, fmt.Errorf("the precision must be a half-width between 0 and 0.5, got %v", cfg.Precision)
	}
	if len(cfg.Param.Values) < 2 {
		return nil, fmt.Errorf("the range %s holds a single value; nothing to search", cfg.Param.Spec)
	}
	base, err := cfg.Load(nil)
	if err != nil {
		return nil, err
	}
	crit, err := ParseCriterion(base, cfg.Criterion)
	if err != nil {
		return nil, fmt.Errorf("target %w", err)
	}
	s := &solver{cfg: cfg, crit: crit, seed: base.Run.Seed, z: stats.ZForConfidence(cfg.Confidence), evals: map[int]*Evaluation{}}
	sol := &Solution{Scenario: base.Name, Hash: base.Hash(), Seed: s.seed, Version: cfg.Version, Key: cfg.Param.Key,
		Range: cfg.Param.Spec, Criterion: crit.Spec, Condition: "at least", Level: cfg.Level, Direction: "smallest",
		Confidence: cfg.Confidence, MaxTrials: cfg.MaxTrials, Precision: cfg.Precision, RandomNumbers: RandomCommon}
	if cfg.Independent {
		sol.RandomNumbers = RandomIndependent
	}
	if cfg.AtMost {
		sol.Condition = "at most"
	}
	if cfg.Largest {
		sol.Direction = "largest"
	}
	// Check every value's scenario up front: a bad range should fail now.
	err = firstError(len(cfg.Param.Values), func(i int) error {
		v := cfg.Param.Values[i]
		if _, err := cfg.Load([]string{cfg.Param.Key + "=" + v}); err != nil {
			return fmt.Errorf("%s=%s: %w", cfg.Param.Key, v, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.search(ctx, sol); err != nil {
		return nil, err
	}
	for _, e := range s.evals {
		sol.Evaluations = append(sol.Evaluations, e)
		sol.TrialsUsed += int64(e.Trials)
	}
	slices.SortFunc(sol.Evaluations, func(a, b *Evaluation) int { return a.index - b.index })
	return sol, nil
}

type solver struct {
	cfg   SolveConfig
	crit  Criterion
	seed  uint64
	z     float64
	evals map[int]*Evaluation // by value index
}

// last is the highest search position; position j is value index j when
// looking for the smallest value and M−j for the largest, so that in search
// order the values that reach the level come last.
func (s *solver) last() int { return len(s.cfg.Param.Values) - 1 }

func (s *solver) index(j int) int {
	if s.cfg.Largest {
		return s.last() - j
	}
	return j
}

func (s *solver) search(ctx context.Context, sol *Solution) error {
	M := s.last()
	at := func(j int) (*Evaluation, error) { return s.eval(ctx, s.index(j)) }
	end, err := at(M)
	if err != nil {
		return err
	}
	start, err := at(0)
	if err != nil {
		return err
	}
	other := "search for the largest value instead"
	if s.cfg.Largest {
		other = "search for the smallest value instead"
	}
	if start.Verdict == Reached {
		sol.Found, sol.Answer = true, start
		sol.Bracket = s.bracket(nil, start)
		if end.Verdict == Reached {
			sol.Note = fmt.Sprintf("already reached at %s, the end of the range: widen the range to find where it stops", start.Value)
		} else {
			sol.Note = fmt.Sprintf("reached already at %s, the end of the range, but not at %s: the probability moves the other way along %s; for the other end of the values reaching it, %s",
				start.Value, end.Value, s.cfg.Param.Key, other)
		}
		return nil
	}
	if end.Verdict != Reached {
		sol.Bracket = s.bracket(nil, nil)
		if end.Verdict == Undecided {
			sol.Note = fmt.Sprintf("at %s, the end of the range, the probability cannot be told from %v with %d trials: widen the range or allow more trials",
				end.Value, s.cfg.Level, end.Trials)
		} else {
			sol.Note = fmt.Sprintf("not reached anywhere in the range %s (at %s: P = %.4f; at %s: P = %.4f)",
				s.cfg.Param.Spec, start.Value, start.Probability, end.Value, end.Probability)
		}
		return nil
	}
	sol.Found = true
	// Positions 0 … a decidedly do not reach; b is the first that might.
	b := 0
	var lastFail *Evaluation
	if start.Verdict == NotReached {
		a, hi := 0, M
		for hi-a > 1 {
			mid := (a + hi) / 2
			e, err := at(mid)
			if err != nil {
				return err
			}
			if e.Verdict == NotReached {
				a = mid
			} else {
				hi = mid
			}
		}
		lastFail, b = s.evals[s.index(a)], hi
	}
	// The first position decidedly reaching, searched from b.
	first, err := at(b)
	if err != nil {
		return err
	}
	if first.Verdict != Reached {
		lo, hi := b, M
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			e, err := at(mid)
			if err != nil {
				return err
			}
			if e.Verdict == Reached {
				hi = mid
			} else {
				lo = mid
			}
		}
		first = s.evals[s.index(hi)]
	}
	sol.Answer = first
	sol.Bracket = s.bracket(lastFail, first)
	lo, hi := sol.Bracket[0], sol.Bracket[1]
	for _, e := range s.evals {
		if e.Verdict == Undecided && (lo == nil || e.index > lo.index) && (hi == nil || e.index < hi.index) {
			sol.Undecided = append(sol.Undecided, e)
		}
	}
	slices.SortFunc(sol.Undecided, func(a, b *Evaluation) int { return a.index - b.index })
	switch {
	case lastFail == nil:
		sol.Note = fmt.Sprintf("at %s, the end of the range, the probability cannot be told from the level: the crossing may lie beyond it; widen the range", start.Value)
	case len(sol.Undecided) > 0 && s.cfg.Precision > 0:
		sol.Note = fmt.Sprintf("the crossing lies within the bracket; %d value(s) inside it cannot be told from the level: within ±%v of it (--precision), or still undecided after %d trials",
			len(sol.Undecided), s.cfg.Precision, s.cfg.MaxTrials)
	case len(sol.Undecided) > 0:
		sol.Note = fmt.Sprintf("the crossing lies within the bracket; %d value(s) inside it cannot be told from the level with %d trials", len(sol.Undecided), s.cfg.MaxTrials)
	case abs(first.index-lastFail.index) == 1:
		sol.Note = "the crossing lies between two neighbouring values of the grid"
	default:
		sol.Note = "the crossing lies within the bracket"
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// bracket orders the last failing and first reaching evaluations by value.
func (s *solver) bracket(fail, reach *Evaluation) [2]*Evaluation {
	if s.cfg.Largest {
		return [2]*Evaluation{reach, fail}
	}
	return [2]*Evaluation{fail, reach}
}

// eval evaluates value index i, running batches until its verdict is
// decided, its half-width is below the precision, or the budget is spent.
//
// After n trials with estimate p̂ and interval [lo, hi], the half-width that
// matters is h = p̂ − lo when p̂ ≥ level (the interval must rise above it) and
// hi − p̂ otherwise; the distance to cover is δ = |p̂ − level|, or the
// precision if larger. The next total is sim.NextTrials(n, Trials, h,
// max(δ, precision), MaxTrials): the trials the current estimate predicts,
// rounded up to a whole batch, at least one batch and at most a doubling
// more. A value at the level (δ = 0, no precision) doubles. Every step
// depends only on the counts so far, so a search is reproducible.
func (s *solver) eval(ctx context.Context, i int) (*Evaluation, error) {
	if e, ok := s.evals[i]; ok {
		return e, nil
	}
	cfg := s.cfg
	value := cfg.Param.Values[i]
	sc, err := cfg.Load([]string{cfg.Param.Key + "=" + value})
	if err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, fmt.Errorf("%s=%s: %w", cfg.Param.Key, value, err)
	}
	e := &Evaluation{Value: value, Seed: s.seed, index: i}
	if cfg.Independent {
		e.Seed = PointSeed(s.seed, []string{cfg.Param.Key}, []string{value})
	}
	for {
		batch := cfg.Trials
		if e.Trials > 0 {
			batch = s.next(e) - e.Trials
		}
		opts := sim.Options{Trials: batch, FirstTrial: e.Trials, Seed: e.Seed, Workers: cfg.Workers}
		if cfg.Progress != nil {
			first := e.Trials
			opts.Progress = func(done int) { cfg.Progress(value, first, done, batch) }
		}
		t, err := sim.RunTally(ctx, m, opts)
		if err != nil {
			return nil, err
		}
		e.Met += s.crit.Met(t)
		e.Trials += batch
		e.Probability = float64(e.Met) / float64(e.Trials)
		e.CILow, e.CIHigh = stats.Wilson(e.Met, int64(e.Trials), s.z)
		e.Verdict = s.verdict(e)
		if cfg.Evaluated != nil {
			cfg.Evaluated(*e)
		}
		if e.Verdict != Undecided || e.Trials >= cfg.MaxTrials || s.precise(e) {
			break
		}
	}
	s.evals[i] = e
	return e, nil
}

// halfWidth is the half of e's interval on the side of the level.
func (s *solver) halfWidth(e *Evaluation) float64 {
	if e.Probability >= s.cfg.Level {
		return e.Probability - e.CILow
	}
	return e.CIHigh - e.Probability
}

// precise reports whether e's interval is narrower than the precision on
// both sides: the value is within ±Precision of the level.
func (s *solver) precise(e *Evaluation) bool {
	return s.cfg.Precision > 0 && e.Probability-e.CILow < s.cfg.Precision && e.CIHigh-e.Probability < s.cfg.Precision
}

// next is the total trials after e's next batch (see eval).
func (s *solver) next(e *Evaluation) int {
	n, cfg := e.Trials, s.cfg
	goal := math.Max(math.Abs(e.Probability-cfg.Level), cfg.Precision)
	if goal == 0 {
		return min(2*n, cfg.MaxTrials)
	}
	next := sim.NextTrials(n, cfg.Trials, s.halfWidth(e), goal, cfg.MaxTrials)
	if next == n { // predicted done, but the interval still touches the level
		next = min(n+cfg.Trials, cfg.MaxTrials)
	}
	return next
}

func (s *solver) verdict(e *Evaluation) string {
	L := s.cfg.Level
	if s.cfg.AtMost {
		switch {
		case e.CIHigh <= L:
			return Reached
		case e.CILow > L:
			return NotReached
		}
		return Undecided
	}
	switch {
	case e.CILow >= L:
		return Reached
	case e.CIHigh < L:
		return NotReached
	}
	return Undecided
}

// WriteText writes the solution as a readable report.
func (sol *Solution) WriteText(w io.Writer) error {
	op := "≥"
	if sol.Condition == "at most" {
		op = "≤"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s in %s with P(%s) %s %v\n", sol.Scenario, sol.Direction, sol.Key, sol.Range, sol.Criterion, op, sol.Level)
	prec := ""
	if sol.Precision > 0 {
		prec = fmt.Sprintf(" or a half-width below %v", sol.Precision)
	}
	fmt.Fprintf(&b, "decided by %v%% Wilson intervals, up to %d trials per value%s; base seed %d (%s random numbers); scenario sha256 %.12s; simulate %s\n\n",
		sol.Confidence*100, sol.MaxTrials, prec, sol.Seed, sol.RandomNumbers, sol.Hash, sol.Version)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  value\ttrials\tmet\tP\tinterval\tverdict\tseed")
	for _, e := range sol.Evaluations {
		mark := ""
		if e == sol.Answer {
			mark = "  ← answer"
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%.4f\t[%.4f, %.4f]\t%s%s\t%d\n", e.Value, e.Trials, e.Met, e.Probability, e.CILow, e.CIHigh, e.Verdict, mark, e.Seed)
	}
	tw.Flush()
	b.WriteString("\n")
	if sol.Found {
		fmt.Fprintf(&b, "answer: %s = %s\n", sol.Key, sol.Answer.Value)
	} else {
		b.WriteString("answer: none in the range\n")
	}
	end := func(e *Evaluation) string {
		if e == nil {
			return "—"
		}
		return e.Value
	}
	if sol.Found {
		fmt.Fprintf(&b, "bracket: [%s, %s]\n", end(sol.Bracket[0]), end(sol.Bracket[1]))
		for _, e := range sol.Bracket {
			if e != nil {
				fmt.Fprintf(&b, "  at %s: P = %.4f [%.4f, %.4f] after %d trials (%s)\n", e.Value, e.Probability, e.CILow, e.CIHigh, e.Trials, e.Verdict)
			}
		}
		for _, e := range sol.Undecided {
			fmt.Fprintf(&b, "  inside, at %s: P = %.4f [%.4f, %.4f] after %d trials (undecided)\n", e.Value, e.Probability, e.CILow, e.CIHigh, e.Trials)
		}
	}
	fmt.Fprintf(&b, "note: %s\n", sol.Note)
	fmt.Fprintf(&b, "trials used: %d in %d evaluations\n", sol.TrialsUsed, len(sol.Evaluations))
	_, err := io.WriteString(w, b.String())
	return err
}

// ParseRange parses the search range of Solve, lo:hi:step or lo:hi, into a
// Grid param. Without a step, the range is cut into steps of the power of
// ten that gives 50 to 500 of them (0:0.25 steps by 0.001); integer keys
// need an explicit integer step (2:9:1).
func ParseRange(key, spec string) (*Param, error) {
	spec = strings.TrimSpace(spec)
	if parts := strings.Split(spec, ":"); len(parts) == 2 {
		lo, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
		hi, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
		if err1 != nil || err2 != nil || !(hi > lo) || math.IsInf(hi-lo, 0) {
			return nil, fmt.Errorf("range %q: expected lo:hi or lo:hi:step with numbers lo < hi", spec)
		}
		e := int(math.Floor(math.Log10((hi - lo) / 50)))
		spec += ":" + strconv.FormatFloat(math.Pow10(e), 'f', max(0, -e), 64)
	}
	p, err := parseParam(key + "=" + spec)
	if err != nil {
		return nil, fmt.Errorf("range %w", err)
	}
	if p.Kind != Grid {
		return nil, fmt.Errorf("range %q: expected lo:hi or lo:hi:step with numbers", spec)
	}
	return p, nil
}
