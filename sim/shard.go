package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// ReadPartial decodes a partial-result file.
func ReadPartial(r io.Reader) (*Partial, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Partial
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a partial result: %w", err)
	}
	if p.Format != PartialFormat {
		return nil, fmt.Errorf("not a partial result (format %q, want %q)", p.Format, PartialFormat)
	}
	if p.Scenario == nil || p.Tally == nil {
		return nil, fmt.Errorf("partial result without scenario or tally")
	}
	return &p, nil
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
		p.Tally.m = m
		if total == nil {
			total = p.Tally
			continue
		}
		total.merge(p.Tally)
	}
	if len(sorted) != ref.Shards {
		var missing []int
		have := map[int]bool{}
		for _, p := range sorted {
			have[p.Shard] = true
		}
		for k := 1; k <= ref.Shards; k++ {
			if !have[k] {
				missing = append(missing, k)
			}
		}
		return nil, fmt.Errorf("missing shards %v of %d", missing, ref.Shards)
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
