package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
	"simulate/sim"
	"simulate/sim/stats"
)

func load(t testing.TB, name string, data string, sets ...string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(name, []byte(data), scenario.Options{Sets: sets})
	require.NoError(t, err)
	return sc
}

func embedded(t testing.TB, name string, sets ...string) *scenario.Scenario {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok, name)
	return load(t, name, string(data), sets...)
}

func run(t testing.TB, sc *scenario.Scenario, trials, workers int) *sim.Result {
	t.Helper()
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), m, sim.Options{Trials: trials, Seed: sc.Run.Seed, Workers: workers})
	require.NoError(t, err)
	return res
}

func target(t testing.TB, r *sim.Result, name string) sim.TargetResult {
	t.Helper()
	for _, tr := range r.Targets {
		if tr.Name == name {
			return tr
		}
	}
	t.Fatalf("no target %q", name)
	return sim.TargetResult{}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	for _, name := range []string{"teaching", "union"} {
		t.Run(name, func(t *testing.T) {
			if _, ok := configs.Read(name); !ok {
				t.Skipf("no embedded scenario %s", name)
			}
			sc := embedded(t, name)
			var outs [][]byte
			for _, w := range []int{1, 2, 4, 7} {
				var buf bytes.Buffer
				require.NoError(t, json.NewEncoder(&buf).Encode(run(t, sc, 300, w)))
				outs = append(outs, buf.Bytes())
			}
			for i := 1; i < len(outs); i++ {
				require.Equal(t, string(outs[0]), string(outs[i]), "workers changed the result")
			}
		})
	}
}

func TestSeedChangesResult(t *testing.T) {
	sc := embedded(t, "teaching")
	a := run(t, sc, 200, 2)
	sc.Run.Seed++
	b := run(t, sc, 200, 2)
	assert.NotEqual(t, a.Shares, b.Shares)
}

// A one-unit scenario whose only stage is a nomination: the number of women
// drawn has an exact law, so target probabilities are known exactly.
const drawOnly = `
name: draw
run: {trials: 20000, seed: 11}
quota: 20
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.7, female: 0.3}
units:
  - name: U
    seats: 20
    members: 50
stages:
  - name: nomination
    nominate:
      mode: full
targets:
  - name: women7
    when: {gender: [female]}
    min_count: 7
  - name: women_share
    when: {gender: [female]}
    min_share: 0.4
    strict: true
shares:
  - name: women
    when: {gender: [female]}
`

// requireCovers asserts that the 99.9% Wilson interval of an estimate
// contains the exact probability.
func requireCovers(t *testing.T, tr sim.TargetResult, trials int, exact float64) {
	t.Helper()
	lo, hi := stats.Wilson(tr.Met, int64(trials), stats.ZForConfidence(0.999))
	assert.Truef(t, lo <= exact && exact <= hi,
		"%s: estimate %.4f, 99.9%% interval [%.4f, %.4f] misses the exact %.4f", tr.Name, tr.Probability, lo, hi, exact)
}

func TestExactBinomialNomination(t *testing.T) {
	tests := []struct {
		name    string
		sets    []string
		p       float64
		trials  int
		women7  int // min count
		share40 int // strict > 40% of 20 → at least 9
	}{
		{"unweighted", nil, 0.3, 20000, 7, 9},
		// A nomination weight of 2 on women tilts p to 0.6/1.3.
		{"weighted", []string{"stages[0].nominate.weights=[{trait: gender, values: {female: 2}}]"}, 0.6 / 1.3, 20000, 7, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := load(t, "draw", drawOnly, tc.sets...)
			res := run(t, sc, tc.trials, 2)
			requireCovers(t, target(t, res, "women7"), tc.trials, stats.BinomialSurvival(20, tc.p, tc.women7))
			requireCovers(t, target(t, res, "women_share"), tc.trials, stats.BinomialSurvival(20, tc.p, tc.share40))
			assert.InDelta(t, tc.p, res.Shares[0].Mean, 0.01)
		})
	}
}

func TestExactHypergeometricFinitePool(t *testing.T) {
	// 50 members, 15 of them women; 20 drawn without replacement.
	sc := load(t, "draw", drawOnly, "units[0].finite_pool=true")
	res := run(t, sc, 20000, 2)
	h, err := stats.NewHypergeometric(50, 15, 20)
	require.NoError(t, err)
	requireCovers(t, target(t, res, "women7"), 20000, h.Survival(7))
	requireCovers(t, target(t, res, "women_share"), 20000, h.Survival(9))
	assert.InDelta(t, h.Mean()/20, res.Shares[0].Mean, 0.005)
	// The binomial answer is measurably different, so the test can tell them apart.
	assert.Greater(t, math.Abs(h.Survival(7)-stats.BinomialSurvival(20, 0.3, 7)), 0.01)
}

func TestExactVetoThinning(t *testing.T) {
	// A veto striking each woman with probability 0.5: surviving women are
	// Binomial(20, 0.3·0.5) (thinning).
	sc := load(t, "draw", drawOnly, `stages=[{name: nomination, nominate: {mode: full}}, {name: inspection, filter: {vetoes: [{reason: integrity, rate: 0.5, when: {gender: [female]}}]}}]`)
	res := run(t, sc, 20000, 2)
	requireCovers(t, target(t, res, "women7"), 20000, stats.BinomialSurvival(20, 0.15, 7))
	assert.InDelta(t, 20*0.3*0.5, res.Funnel[1].Reasons[0].Mean, 0.05)
}

// An uncontested ballot with identical candidates: each of the 5 candidates
// gets Binomial(V, p) votes independently and wins with more than V/2, so all
// seats are filled with probability q^5, q = P(Bin(V, p) > V/2).
const uncontested = `
name: ballot
run: {trials: 20000, seed: 5}
quota: 5
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.5, female: 0.5}
units:
  - name: U
    seats: 5
    entitled_voters: 41
    uncontested: true
stages:
  - name: nomination
    nominate: {mode: full}
  - name: election
    elect:
      majority_of: entitled
      turnout: 1
      voters: {approval: 0.55, appeal_sd: 0, abstain: 0.5, discipline: 1}
targets:
  - name: all_filled
    min_count: 5
  - name: four_filled
    min_count: 4
`

func TestExactMajorityOfEntitled(t *testing.T) {
	sc := load(t, "ballot", uncontested)
	res := run(t, sc, 20000, 2)
	q := stats.BinomialSurvival(41, 0.55, 21)
	requireCovers(t, target(t, res, "all_filled"), 20000, math.Pow(q, 5))
	requireCovers(t, target(t, res, "four_filled"), 20000, math.Pow(q, 5)+5*math.Pow(q, 4)*(1-q))
	// Abstentions are half the names not voted for.
	assert.InDelta(t, 0.45*0.5, res.Election.AbstainShare, 0.01)
}

func TestExactMajorityOfPresent(t *testing.T) {
	// Turnout 0.5 of 41: a winner needs more than half of those present.
	// Conditional on P present, votes are Binomial(P, p); sum over P.
	sc := load(t, "ballot", uncontested, "stages[1].elect.majority_of=present", "stages[1].elect.turnout=0.8", "stages[1].elect.quorum=0")
	res := run(t, sc, 20000, 2)
	exact := 0.0
	for present := 0; present <= 41; present++ {
		pp := stats.BinomialSurvival(41, 0.8, present) - stats.BinomialSurvival(41, 0.8, present+1)
		q := stats.BinomialSurvival(present, 0.55, present/2+1)
		if present == 0 {
			q = 0
		}
		exact += pp * math.Pow(q, 5)
	}
	requireCovers(t, target(t, res, "all_filled"), 20000, exact)
}

func TestFunnelConservation(t *testing.T) {
	sc := embedded(t, "teaching")
	res := run(t, sc, 500, 2)
	for i, f := range res.Funnel {
		assert.InDelta(t, f.Entered-f.Left, f.Dropped, 1e-9, f.Stage)
		assert.GreaterOrEqual(t, f.Entered, f.Left, f.Stage)
		if i > 0 && res.Funnel[i].Kind != scenario.KindElect {
			assert.InDelta(t, res.Funnel[i-1].Left, f.Entered, 1e-9, "stage %s enters what %s left", f.Stage, res.Funnel[i-1].Stage)
		}
		sum := 0.0
		for _, r := range f.Reasons {
			sum += r.Mean
		}
		if len(f.Reasons) > 0 {
			assert.InDelta(t, f.Dropped, sum, 1e-9, "reasons add up at %s", f.Stage)
		}
	}
	last := res.Funnel[len(res.Funnel)-1]
	assert.InDelta(t, res.Elected.Mean, last.Left, 1e-9)
	assert.LessOrEqual(t, res.Elected.Max, int64(sc.Quota))
}

func TestSelectionQuotas(t *testing.T) {
	// Women are 10% of members but the list of 10 must hold at least 40%:
	// the selection fills the quota whenever enough women were nominated.
	const yaml = `
name: quota
run: {seed: 3}
quota: 10
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.9, female: 0.1}
units:
  - name: U
    seats: 10
stages:
  - name: nomination
    nominate: {mode: expanded, ratio: 9}
  - name: shortlist
    select:
      size: {count: 10}
      quotas:
        - when: {gender: [female]}
          min: 4
        - when: {gender: [male]}
          max_share: 0.6
targets:
  - name: four_women
    when: {gender: [female]}
    min_count: 4
shares:
  - name: women
    when: {gender: [female]}
`
	sc := load(t, "quota", yaml)
	res := run(t, sc, 4000, 2)
	// 100 nominees, women ~ Bin(100, 0.1): at least 4 with probability ≈ 0.992.
	requireCovers(t, target(t, res, "four_women"), 4000, stats.BinomialSurvival(100, 0.1, 4))
	assert.GreaterOrEqual(t, res.Shares[0].P50, 0.4)
}

func TestTraceMatchesRun(t *testing.T) {
	sc := embedded(t, "teaching")
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	var events []sim.Event
	require.NoError(t, sim.Trace(m, sc.Run.Seed, 0, func(e sim.Event) { events = append(events, e) }))
	require.NotEmpty(t, events)
	// The trace's final list size equals trial 0's elected count in a 1-trial run.
	res, err := sim.Run(context.Background(), m, sim.Options{Trials: 1, Seed: sc.Run.Seed, Workers: 1})
	require.NoError(t, err)
	var last sim.Event
	for _, e := range events {
		if e.Kind == sim.EventStageDone {
			last = e
		}
	}
	assert.Equal(t, res.Elected.Min, int64(last.Left))
	assert.Equal(t, "review", last.Stage)
}

func ExampleRun() {
	data, _ := configs.Read("teaching")
	sc, _ := scenario.Load("teaching", data, scenario.Options{})
	m, _ := sim.Compile(sc)
	res, _ := sim.Run(context.Background(), m, sim.Options{Trials: 100, Seed: 1})
	fmt.Println(len(res.Targets), res.Trials)
	// Output: 3 100
}

func TestEmptyShareDenominator(t *testing.T) {
	// Nobody is ever elected, so every share is undefined: the result must
	// still encode (no NaN) and say that no trial defined it.
	sc := load(t, "draw", drawOnly, "stages[0].nominate.weights=[{trait: gender, values: {female: 0}}]",
		`shares=[{name: women_among_women, when: {gender: [female]}, of: {gender: [female]}}]`)
	res := run(t, sc, 50, 1)
	require.Len(t, res.Shares, 1)
	assert.Equal(t, int64(0), res.Shares[0].Samples)
	_, err := json.Marshal(res)
	require.NoError(t, err)
}

// Two identical candidates for one seat, 41 voters all present, a winner
// needs 21 votes. A voter marks each name "for" with p = 0.6; marking both
// over-marks the ballot. With discipline d the voter strikes the second name
// (equal appeal keeps ballot order), otherwise the ballot is void. The first
// name's votes A are Binomial(41, p(1−p) + d·p²), the second's B
// Binomial(41, p(1−p)), and A + B ≤ 41, so at most one of them reaches 21:
// the seat is filled with probability P(A ≥ 21) + P(B ≥ 21). (B ≥ 21 is
// rare, 1.5e-4, but with d = 0 the names are symmetric and it is half the
// answer.)
const overmark = `
name: overmark
run: {seed: 21}
quota: 1
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.5, female: 0.5}
units:
  - name: U
    seats: 1
    entitled_voters: 41
stages:
  - name: nomination
    nominate: {mode: expanded, ratio: 1}
  - name: election
    elect:
      surplus: 1
      turnout: 1
      voters: {approval: 0.6, appeal_sd: 0, abstain: 0, discipline: 1}
targets:
  - name: filled
    min_count: 1
`

func TestExactOvermarkedBallots(t *testing.T) {
	for _, d := range []float64{1, 0.5, 0} {
		t.Run(fmt.Sprint("discipline=", d), func(t *testing.T) {
			sc := load(t, "overmark", overmark, fmt.Sprintf("stages[1].elect.voters.discipline=%v", d))
			res := run(t, sc, 20000, 2)
			p := 0.6
			exact := stats.BinomialSurvival(41, p*(1-p)+d*p*p, 21) + stats.BinomialSurvival(41, p*(1-p), 21)
			requireCovers(t, target(t, res, "filled"), 20000, exact)
			assert.InDelta(t, (1-d)*p*p, res.Election.InvalidShare, 0.01)
		})
	}
}

func TestShareOfCountsOnlyWithinItsDenominator(t *testing.T) {
	// "women among women" with when matching everyone outside its of: the
	// share must stay in [0, 1] (it is 1 whenever defined).
	sc := load(t, "draw", drawOnly, `shares=[{name: w, when: {}, of: {gender: [female]}}]`)
	res := run(t, sc, 100, 1)
	assert.Equal(t, 1.0, res.Shares[0].Max)
}

func TestUnsuppliablePoolIsBadInput(t *testing.T) {
	sc := load(t, "draw", drawOnly, "stages[0].nominate.weights=[{trait: gender, values: {male: 0, female: 0}}]")
	_, err := sim.Compile(sc)
	var se *scenario.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "units[0].pool", se.Problems[0].Path)
	assert.Contains(t, err.Error(), "no member can be drawn")
}

func TestFinitePoolShortfallIsReported(t *testing.T) {
	// 20 seats, a finite pool of 50 whose men cannot be nominated: only the
	// 15 women can be, so 5 places stay empty every trial.
	sc := load(t, "draw", drawOnly, "units[0].finite_pool=true", "stages[0].nominate.weights=[{trait: gender, values: {male: 0}}]")
	res := run(t, sc, 50, 1)
	assert.Equal(t, 15.0, res.Funnel[0].Left)
	assert.Equal(t, 5.0, res.Funnel[0].Shortfall)
}

func TestStrictCountTargetsBecomeStrictQuotas(t *testing.T) {
	// "more than 3 women" on a list of 10 drawn from 100 nominees (10% women):
	// the strict quota asks for 4, so the list has at least 4 whenever the
	// nominees allow it.
	const yaml = `
name: strict
run: {seed: 4}
quota: 10
traits:
  - name: gender
    values: [male, female]
pool:
  - trait: gender
    shares: {male: 0.9, female: 0.1}
units:
  - name: U
    seats: 10
stages:
  - name: nomination
    nominate: {mode: expanded, ratio: 9}
  - name: shortlist
    select:
      size: {count: 10}
      from_targets: true
targets:
  - name: more_than_three
    when: {gender: [female]}
    min_count: 3
    strict: true
    scope: each
`
	res := run(t, load(t, "strict", yaml), 4000, 2)
	requireCovers(t, target(t, res, "more_than_three"), 4000, stats.BinomialSurvival(100, 0.1, 4))
}

func TestBallotShortOfSurplusIsReported(t *testing.T) {
	// An objection filter after the reserve list strikes 10% of names; the
	// ballot then often lacks the names the surplus requires.
	sc := embedded(t, "teaching",
		`stages=[{name: nomination, nominate: {mode: expanded, ratio: 0.6}}, {name: reserve, select: {size: {ballot: true}}}, {name: publicity, filter: {vetoes: [{reason: objection, rate: 0.1}]}}, {name: election, elect: {surplus: 0.15, strict: true, voters: {approval: 0.85, discipline: 1}}}]`)
	res := run(t, sc, 500, 2)
	assert.InDelta(t, 0.1*24, res.Election.BallotShort, 0.3)
}
