package sim

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
	"simulate/sim/stats"
)

// exactHyperAtLeast is P(X ≥ c) for X ~ Hypergeometric(N, K, n) in exact
// rational arithmetic.
func exactHyperAtLeast(N, K, n, c int) float64 {
	num := new(big.Int)
	for x := max(c, 0); x <= min(n, K); x++ {
		if n-x > N-K {
			continue
		}
		t := new(big.Int).Binomial(int64(K), int64(x))
		num.Add(num, t.Mul(t, new(big.Int).Binomial(int64(N-K), int64(n-x))))
	}
	f, _ := new(big.Rat).SetFrac(num, new(big.Int).Binomial(int64(N), int64(n))).Float64()
	return f
}

func TestHypergeometricTailsAreExact(t *testing.T) {
	for _, tc := range []struct{ N, K, n int }{{10, 3, 4}, {56, 20, 48}, {85, 27, 67}, {300, 120, 260}, {5, 5, 5}, {7, 0, 3}, {1, 1, 1}} {
		for c := -1; c <= tc.n+1; c++ {
			want := exactHyperAtLeast(tc.N, tc.K, tc.n, c)
			assert.InDelta(t, want, hyperAtLeast(tc.N, tc.K, tc.n, c), 1e-9, "P(X ≥ %d) for %+v", c, tc)
			assert.InDelta(t, 1-exactHyperAtLeast(tc.N, tc.K, tc.n, c+1), hyperAtMost(tc.N, tc.K, tc.n, c), 1e-9, "P(X ≤ %d) for %+v", c, tc)
		}
		mean, v := hyperMoments(tc.N, tc.K, tc.n)
		// E[X] and Var[X] from the exact distribution.
		em, e2 := 0.0, 0.0
		for x := 0; x <= tc.n; x++ {
			p := exactHyperAtLeast(tc.N, tc.K, tc.n, x) - exactHyperAtLeast(tc.N, tc.K, tc.n, x+1)
			em += p * float64(x)
			e2 += p * float64(x*x)
		}
		assert.InDelta(t, em, mean, 1e-9)
		assert.InDelta(t, e2-em*em, v, 1e-9)
	}
}

// planning is a one-unit scenario whose vote is exchangeable: no voter bias,
// every candidate's appeal drawn alike, no vetoes after the reserve list, so
// the elected are a uniformly random subset of the ballot. The reserve list
// holds exactly its planned minimum of women (a score bias keeps every woman
// beyond the quota off the list, and 100 nominees of a half-female pool
// always supply enough).
const planning = `
name: planning
run: {seed: 3}
quota: 20
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.5, female: 0.5}
units:
  - name: U
    seats: 20
    entitled_voters: 400
    turnout: 1
    pool: [{trait: gender, shares: {male: 0.6, female: 0.4}}]
stages:
  - name: nomination
    nominate: {mode: expanded, ratio: 4}
  - name: reserve
    select:
      size: {count: 26}
      from_targets: true
      confidence: %v
      score_bias: [{trait: gender, values: {female: -50}}]
  - name: election
    elect:
      surplus: 0.15
      strict: true
      majority_of: present
      quorum: 0.5
      voters: {approval: 0.97, appeal_sd: 1, abstain: 0.3, discipline: 1}
targets:
  - name: women_above_members
    when: {gender: [female]}
    above_member_share: true
    strict: true
    scope: each
shares:
  - name: women
    when: {gender: [female]}
`

func TestPlannedListMeetsItsConfidenceExactly(t *testing.T) {
	// Women must be more than 40% of 20 seats: at least 9. The planner
	// keeps the least x women on the 26-name list with
	// P(Hypergeometric(26, x, 20) ≥ 9) ≥ confidence; the simulated vote then
	// meets the target with exactly that probability.
	for _, conf := range []float64{0.5, 0.9, 0.99} {
		t.Run(fmt.Sprint(conf), func(t *testing.T) {
			sc, err := scenario.Load("planning", []byte(fmt.Sprintf(planning, conf)), scenario.Options{})
			require.NoError(t, err)
			m, err := Compile(sc)
			require.NoError(t, err)
			q := m.stages[1].quotas[0]
			require.NotNil(t, q.plan)
			x := q.plan[0].lo
			p := exactHyperAtLeast(26, x, 20, 9)
			require.GreaterOrEqual(t, p, conf, "x = %d", x)
			require.Less(t, exactHyperAtLeast(26, x-1, 20, 9), conf, "x − 1 = %d would do", x-1)

			const trials = 4000
			res, err := Run(context.Background(), m, Options{Trials: trials, Seed: 5})
			require.NoError(t, err)
			require.Equal(t, float64(x)/26, res.Funnel[1].Composition[0].Share, "the list holds exactly the planned women")
			lo, hi := stats.Wilson(res.Targets[0].Met, trials, 3.29) // 99.9%
			assert.True(t, lo <= p && p <= hi, "P(met) = %.4f, 99.9%% interval [%.4f, %.4f], exact %.4f", res.Targets[0].Probability, lo, hi, p)
		})
	}
}

func TestPlanTotalMeetsTheNationalCount(t *testing.T) {
	// Ten identical units whose nominees are 20% women, a national minimum
	// of 30% women: every list is held at its planned bound, and the planned
	// margin is the least (in steps of 0.001) whose normal approximation of
	// the national total reaches the confidence, and no smaller step does.
	sc, err := scenario.Load("planning", []byte(fmt.Sprintf(planning, 0.95)), scenario.Options{Sets: []string{
		`quota=200`,
		`units=[` + repeatUnits(10) + `]`,
		`targets=[{name: women, when: {gender: [female]}, min_share: 0.3}]`,
	}})
	require.NoError(t, err)
	m, err := Compile(sc)
	require.NoError(t, err)
	q := m.stages[1].quotas[0]
	lo := q.plan[0].lo
	for u := range m.units {
		assert.Equal(t, lo, q.plan[u].lo, "identical units get identical bounds")
	}
	// 60 women needed of 200; each list of 26 with lo women gives
	// Hypergeometric(26, lo, 20).
	mean, v := hyperMoments(26, lo, 20)
	z := normalQuantile(0.95)
	assert.GreaterOrEqual(t, 10*mean-z*math.Sqrt(10*v), 59.5)
	mean, v = hyperMoments(26, lo-1, 20)
	assert.Less(t, 10*mean-z*math.Sqrt(10*v), 59.5, "one fewer woman per list would do")
}

func repeatUnits(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("{name: U%d, seats: 20, entitled_voters: 400, turnout: 1, pool: [{trait: gender, shares: {male: 0.8, female: 0.2}}]}", i)
	}
	return s
}

func TestQuorumIsCountedInWholeVoters(t *testing.T) {
	// "More than 29% of 100 entitled" needs 30 present: 0.29·100 is
	// 28.999… in floating point, which must not let 29 voters hold the vote.
	sc, err := scenario.Load("planning", []byte(fmt.Sprintf(planning, 0.9)), scenario.Options{Sets: []string{
		`units[0].entitled_voters=100`, `units[0].turnout=0.29`,
		`stages[name=election].elect.quorum=0.29`,
	}})
	require.NoError(t, err)
	m, err := Compile(sc)
	require.NoError(t, err)
	w := newWorker(m)
	for trial := uint64(0); trial < 300; trial++ {
		var present int
		w.trace = func(e Event) {
			if e.Kind == EventCongress {
				present = e.Present
			}
		}
		require.NoError(t, w.runTrial(1, trial))
		assert.Equal(t, present <= 29, w.o.unitFailed[0], "trial %d: %d present", trial, present)
	}
}

// topUp is a one-unit scenario whose nominee list is sent back down until
// it holds at least 10 women (a per-unit minimum of 10 of 20 seats), from a
// pool with 10% women.
const topUp = `
name: topup
run: {seed: 3}
quota: 20
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.9, female: 0.1}
units:
  - name: U
    seats: 20
stages:
  - name: nomination
    nominate: {mode: expanded, ratio: 1, from_targets: true}
targets:
  - name: ten_women
    when: {gender: [female]}
    min_count: 10
    scope: each
shares:
  - name: women
    when: {gender: [female]}
`

func TestNominationTopUpIsExactlyTheMaximum(t *testing.T) {
	// 40 nominees, each a woman with probability 0.1: the list sent back
	// down holds max(B, 10) women, B ~ Binomial(40, 0.1), replacing men only.
	sc, err := scenario.Load("topup", []byte(topUp), scenario.Options{})
	require.NoError(t, err)
	m, err := Compile(sc)
	require.NoError(t, err)
	const trials = 4000
	res, err := Run(context.Background(), m, Options{Trials: trials, Seed: 9})
	require.NoError(t, err)
	assert.Equal(t, 40.0, res.Funnel[0].Left, "the list keeps its length")
	assert.Equal(t, 0.25, res.Shares[0].Min, "never fewer than 10 of 40")
	want, variance := 0.0, 0.0
	for b := 0; b <= 40; b++ {
		p := stats.BinomialSurvival(40, 0.1, b) - stats.BinomialSurvival(40, 0.1, b+1)
		v := float64(max(b, 10)) / 40
		want += p * v
		variance += p * v * v
	}
	variance -= want * want
	se := math.Sqrt(variance / trials)
	assert.InDelta(t, want, res.Shares[0].Mean, 4*se, "E[max(B, 10)]/40 = %.5f", want)
}

func TestNominationTopUpStopsWhenThePoolRunsOut(t *testing.T) {
	// A finite pool of 60 members with 6 women: the list can hold at most 6.
	sc, err := scenario.Load("topup", []byte(topUp), scenario.Options{Sets: []string{
		"units[0].members=60", "units[0].finite_pool=true"}})
	require.NoError(t, err)
	m, err := Compile(sc)
	require.NoError(t, err)
	res, err := Run(context.Background(), m, Options{Trials: 200, Seed: 9})
	require.NoError(t, err)
	assert.Equal(t, 40.0, res.Funnel[0].Left)
	assert.Equal(t, 6.0/40, res.Shares[0].Min, "all 6 women, every trial")
	assert.Equal(t, 6.0/40, res.Shares[0].Max)
}
