package feasible

import (
	"context"
	"time"

	"simulate/scenario"
)

// PreCheck is the check a simulation makes before it runs (`simulate run`,
// the serve page's runs): the verdict alone, within verdictLimit (a scenario
// it cannot decide in time is simulated), and only when that verdict refuses
// the scenario, the report that explains why, checked again with explain.
// It returns nil when the simulation may go ahead, otherwise the report of
// an infeasible scenario: explain's, unless that check could not decide in
// its own limit, when the verdict's.
func PreCheck(ctx context.Context, sc *scenario.Scenario, version string, verdictLimit time.Duration, explain Options) (*Report, error) {
	rep, err := CheckContext(ctx, sc, Options{Version: version, TimeLimit: verdictLimit, VerdictOnly: true})
	if err != nil {
		return nil, err
	}
	if rep.Verdict != VerdictInfeasible {
		return nil, nil
	}
	explain.Version = version
	full, err := CheckContext(ctx, sc, explain)
	if err != nil {
		return nil, err
	}
	if full.Verdict == VerdictInfeasible {
		return full, nil
	}
	return rep, nil
}
