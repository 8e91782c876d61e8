package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"simulate/scenario"
)

// PartialFormat names the format of partial-result files.
const PartialFormat = "simulate-partial/1"

// Partial is what one shard of a split run writes: the effective scenario
// (so merging needs no other file), which shard it is, and the exact tally
// of its trials.
type Partial struct {
	Format  string `json:"format"`
	Version string `json:"version"`
	// Shard k of Shards (1-based) covers trials
	// ⌊(k−1)·TotalTrials/Shards⌋ … ⌊k·TotalTrials/Shards⌋−1.
	Shard       int                `json:"shard"`
	Shards      int                `json:"shards"`
	TotalTrials int                `json:"total_trials"`
	Scenario    *scenario.Scenario `json:"scenario"`
	Tally       *Tally             `json:"tally"`
}

// ShardRange returns the first trial and the number of trials of shard k of
// n (1-based) in a run of total trials.
func ShardRange(k, n, total int) (first, count int, err error) {
	if n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("shard %d/%d: need 1 ≤ k ≤ n", k, n)
	}
	if n > total {
		return 0, 0, fmt.Errorf("shard %d/%d: more shards than the %d trials", k, n, total)
	}
	first = (k - 1) * total / n
	return first, k*total/n - first, nil
}

// RunShard runs shard k of n of the scenario's run and returns its partial result.
func RunShard(ctx context.Context, m *Model, opts Options, k, n int) (*Partial, error) {
	first, count, err := ShardRange(k, n, opts.Trials)
	if err != nil {
		return nil, err
	}
	total := opts.Trials
	opts.FirstTrial, opts.Trials = first, count
	t, err := RunTally(ctx, m, opts)
	if err != nil {
		return nil, err
	}
	return &Partial{Format: PartialFormat, Shard: k, Shards: n, TotalTrials: total, Scenario: m.Scenario, Tally: t}, nil
}

// MaxPartialBytes bounds the size of a partial-result file: a file
// claiming more is refused before it is parsed.
const MaxPartialBytes = 256 << 20

// ReadPartial decodes a partial-result file. The file is untrusted: its size
// is capped, the number of histograms is checked against the scenario's
// tracked shares before any histogram is allocated, and the shard numbers
// against the trials, before MergePartials checks every count.
func ReadPartial(r io.Reader) (*Partial, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPartialBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPartialBytes {
		return nil, fmt.Errorf("not a partial result: larger than %d MB", MaxPartialBytes>>20)
	}
	// First pass: everything but the histograms, which are kept raw.
	var head struct {
		Format      string             `json:"format"`
		Version     string             `json:"version"`
		Shard       int                `json:"shard"`
		Shards      int                `json:"shards"`
		TotalTrials int                `json:"total_trials"`
		Scenario    *scenario.Scenario `json:"scenario"`
		Tally       *struct {
			Shares []json.RawMessage `json:"shares"`
		} `json:"tally"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a partial result: %w", err)
	}
	if head.Format != PartialFormat {
		return nil, fmt.Errorf("not a partial result (format %q, want %q)", head.Format, PartialFormat)
	}
	if head.Scenario == nil || head.Tally == nil {
		return nil, fmt.Errorf("partial result without scenario or tally")
	}
	if n, want := len(head.Tally.Shares), len(head.Scenario.Shares); n != want {
		return nil, fmt.Errorf("partial result with %d share histograms for a scenario tracking %d shares", n, want)
	}
	if head.TotalTrials < 1 || head.TotalTrials > scenario.MaxTrials {
		return nil, fmt.Errorf("partial result of %d trials (between 1 and %d are possible)", head.TotalTrials, scenario.MaxTrials)
	}
	if _, _, err := ShardRange(head.Shard, head.Shards, head.TotalTrials); err != nil {
		return nil, fmt.Errorf("partial result: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Partial
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a partial result: %w", err)
	}
	return &p, nil
}

// checkCounts refuses a tally whose counts cannot come from a run of its
// trials: negative counts, more targets met or missed in a unit than
// trials, matching people beyond the list, more elected than the seats.
func (m *Model) checkCounts(t *Tally) error {
	n := t.Trials
	bad := func(what string, v int64) error {
		return fmt.Errorf("the tally's %s (%d) is impossible for %d trials", what, v, n)
	}
	if n < 1 || t.FirstTrial < 0 {
		return fmt.Errorf("the tally holds trials %d–%d", t.FirstTrial, t.FirstTrial+n-1)
	}
	for i := range t.Met {
		if t.Met[i] < 0 || t.Met[i] > n {
			return bad("met count", t.Met[i])
		}
		lost := int64(0)
		for _, c := range t.LostAt[i] {
			if c < 0 {
				return bad("lost-at count", c)
			}
			lost += c
		}
		if lost != n-t.Met[i] {
			return bad("sum of lost-at counts", lost)
		}
		for _, c := range t.UnitMisses[i] {
			if c < 0 || c > n-t.Met[i] {
				return bad("unit miss count", c)
			}
		}
	}
	for _, h := range t.Hists {
		if h.Count() > n {
			return bad("share sample count", h.Count())
		}
	}
	seats := int64(0)
	maxList := int64(0)
	for _, u := range m.units {
		seats += int64(u.seats)
		for _, k := range u.listSize {
			maxList = max(maxList, int64(k))
		}
		maxList = max(maxList, int64(u.ballot+u.central))
	}
	// Per stage and unit, no list is longer than the longest list the unit
	// draws up (nomination top-ups keep the length).
	limit := n * maxList
	for _, xs := range [][]int64{t.In, t.Out, t.Shortfall, t.Drops, t.CompNum, t.CompDen, t.UnitNum, t.UnitDen} {
		for _, v := range xs {
			if v < 0 || v > limit {
				return bad("list count", v)
			}
		}
	}
	for i := range t.CompNum {
		if t.CompNum[i] > t.CompDen[i] {
			return bad("share numerator", t.CompNum[i])
		}
	}
	for i := range t.UnitNum {
		if t.UnitNum[i] > t.UnitDen[i] || t.UnitNum2[i] < 0 || t.UnitNum2[i] > limit*maxList {
			return bad("unit share count", t.UnitNum[i])
		}
	}
	if t.ElectedMin < 0 || t.ElectedMin > t.ElectedMax || t.ElectedMax > seats ||
		t.ElectedSum < t.ElectedMin*n || t.ElectedSum > t.ElectedMax*n {
		return bad("elected total", t.ElectedSum)
	}
	c := t.ElectionCounts
	for _, v := range []int64{c.Ballots, c.Invalid, c.Present, c.Abstentions1e6, c.Against1e6, c.Names, c.FurtherRounds, c.Vacancies, c.Failed, c.BallotShort} {
		if v < 0 || v > math.MaxInt64/4 {
			return bad("congress count", v)
		}
	}
	if c.Invalid > c.Ballots || c.Failed > n*int64(len(m.units)) || c.Vacancies > n*seats {
		return bad("congress count", c.Invalid)
	}
	return nil
}

// canMerge reports whether merging b into a overflows no exact sum.
func (a *Tally) canMerge(b *Tally) bool {
	fits := func(x, y []int64) bool {
		for i := range y {
			if x[i] > math.MaxInt64-y[i] {
				return false
			}
		}
		return true
	}
	for i := range a.LostAt {
		if !fits(a.LostAt[i], b.LostAt[i]) || !fits(a.UnitMisses[i], b.UnitMisses[i]) {
			return false
		}
	}
	for i := range a.Hists {
		if !a.Hists[i].CanMerge(b.Hists[i]) {
			return false
		}
	}
	ca, cb := a.ElectionCounts, b.ElectionCounts
	return fits(a.Met, b.Met) && fits(a.In, b.In) && fits(a.Out, b.Out) && fits(a.Shortfall, b.Shortfall) &&
		fits(a.Drops, b.Drops) && fits(a.CompNum, b.CompNum) && fits(a.CompDen, b.CompDen) &&
		fits(a.UnitNum, b.UnitNum) && fits(a.UnitNum2, b.UnitNum2) && fits(a.UnitDen, b.UnitDen) &&
		fits([]int64{a.ElectedSum, a.Trials, ca.Ballots, ca.Invalid, ca.Present, ca.Abstentions1e6, ca.Against1e6, ca.Names, ca.FurtherRounds, ca.Vacancies, ca.Failed, ca.BallotShort},
			[]int64{b.ElectedSum, b.Trials, cb.Ballots, cb.Invalid, cb.Present, cb.Abstentions1e6, cb.Against1e6, cb.Names, cb.FurtherRounds, cb.Vacancies, cb.Failed, cb.BallotShort})
}

// MergePartials checks that the partials are the shards of one run — same
// scenario, seed and shard count, each shard once, trials covering the run
// without gap or overlap — and merges their tallies into the tally of the
// whole run, identical to an unsplit run's.
func MergePartials(parts []*Partial) (*Tally, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no partial results to merge")
	}
	ref := parts[0]
	sc := *ref.Scenario
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("shard %d: %w", ref.Shard, err)
	}
	m, err := Compile(&sc)
	if err != nil {
		return nil, fmt.Errorf("shard %d: %w", ref.Shard, err)
	}
	sorted := slices.Clone(parts)
	slices.SortFunc(sorted, func(a, b *Partial) int { return a.Shard - b.Shard })
	var total *Tally
	for i, p := range sorted {
		switch {
		case p.Scenario == nil || p.Scenario.Hash() != m.hash:
			return nil, fmt.Errorf("shard %d carries a different scenario than shard %d", p.Shard, ref.Shard)
		case p.Tally.Hash != m.hash:
			return nil, fmt.Errorf("shard %d is from a different scenario (sha256 %.12s, shard %d has %.12s)", p.Shard, p.Tally.Hash, ref.Shard, m.hash)
		case p.Shards != ref.Shards || p.TotalTrials != ref.TotalTrials:
			return nil, fmt.Errorf("shard %d/%d of %d trials does not belong with shard %d/%d of %d trials", p.Shard, p.Shards, p.TotalTrials, ref.Shard, ref.Shards, ref.TotalTrials)
		case p.Version != ref.Version:
			return nil, fmt.Errorf("shard %d was written by simulate %q but shard %d by %q: run every shard with the same program", p.Shard, p.Version, ref.Shard, ref.Version)
		case p.Tally.Seed != ref.Tally.Seed:
			return nil, fmt.Errorf("shard %d used seed %d but shard %d used seed %d", p.Shard, p.Tally.Seed, ref.Shard, ref.Tally.Seed)
		case i > 0 && p.Shard == sorted[i-1].Shard:
			return nil, fmt.Errorf("shard %d/%d is given twice", p.Shard, p.Shards)
		}
		first, count, err := ShardRange(p.Shard, p.Shards, p.TotalTrials)
		if err != nil {
			return nil, err
		}
		if p.Tally.FirstTrial != int64(first) || p.Tally.Trials != int64(count) {
			return nil, fmt.Errorf("shard %d/%d should hold trials %d–%d but holds %d–%d", p.Shard, p.Shards,
				first, first+count-1, p.Tally.FirstTrial, p.Tally.FirstTrial+p.Tally.Trials-1)
		}
		if err := m.checkShape(p.Tally); err != nil {
			return nil, fmt.Errorf("shard %d: %w", p.Shard, err)
		}
		if err := m.checkCounts(p.Tally); err != nil {
			return nil, fmt.Errorf("shard %d: %w", p.Shard, err)
		}
		p.Tally.m = m
		if total == nil {
			total = p.Tally
			continue
		}
		if !total.canMerge(p.Tally) {
			return nil, fmt.Errorf("shard %d: its counts overflow when merged", p.Shard)
		}
		total.merge(p.Tally)
	}
	if len(sorted) != ref.Shards {
		var missing []int
		have := map[int]bool{}
		for _, p := range sorted {
			have[p.Shard] = true
		}
		for k := 1; k <= ref.Shards && len(missing) < 10; k++ {
			if !have[k] {
				missing = append(missing, k)
			}
		}
		more := ""
		if n := ref.Shards - len(sorted) - len(missing); n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		return nil, fmt.Errorf("missing shards %v%s of %d", missing, more, ref.Shards)
	}
	total.FirstTrial = 0
	return total, nil
}

// checkShape verifies that a decoded tally has the dimensions of the model.
func (m *Model) checkShape(t *Tally) error {
	S, U, T, P := len(m.stages), len(m.units), len(m.targets), len(m.shares)
	R := max(1, len(m.reasons))
	ok := len(t.Met) == T && len(t.LostAt) == T && len(t.UnitMisses) == T && len(t.Hists) == P &&
		len(t.In) == S*U && len(t.Out) == S*U && len(t.Shortfall) == S*U && len(t.Drops) == S*R &&
		len(t.CompNum) == S*P && len(t.CompDen) == S*P &&
		len(t.UnitNum) == P*U && len(t.UnitNum2) == P*U && len(t.UnitDen) == P*U
	for i := 0; ok && i < T; i++ {
		ok = len(t.LostAt[i]) == S && len(t.UnitMisses[i]) == U
	}
	for i := 0; ok && i < P; i++ {
		ok = t.Hists[i] != nil
	}
	if !ok {
		return fmt.Errorf("the tally's dimensions do not match the scenario")
	}
	return nil
}
