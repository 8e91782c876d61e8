package sim

import "fmt"

// Extend adds to a the tally b of the trials that directly follow a's
// (same model and seed, b starting at a's FirstTrial+Trials), so that a run
// delivered in consecutive batches ends with exactly the tally of one run of
// all its trials.
func (a *Tally) Extend(b *Tally) error {
	switch {
	case a.Hash != b.Hash:
		return fmt.Errorf("extend: the tallies are of different scenarios")
	case a.Seed != b.Seed:
		return fmt.Errorf("extend: seed %d cannot extend seed %d", b.Seed, a.Seed)
	case b.FirstTrial != a.FirstTrial+a.Trials:
		return fmt.Errorf("extend: trials from %d cannot follow trials %d–%d", b.FirstTrial, a.FirstTrial, a.FirstTrial+a.Trials-1)
	case !a.canMerge(b):
		return fmt.Errorf("extend: the counts overflow")
	}
	a.merge(b)
	return nil
}
