package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
	"simulate/sim"
)

// recovery is a scenario of eight 40-seat units with two behavioural
// parameters: the nomination weight of cadres (which sets the front-line
// share) and the voters' bias against women (which sets the women's share
// after the vote). Its facts are filled in from a run at known values.
const recovery = `
name: recovery
run: {seed: 1}
quota: 320
traits:
  - name: gender
    values: [male, female]
  - name: role
    values: [front_line, cadre]
pool:
  - trait: gender
    shares: {male: 0.65, female: 0.35}
  - trait: role
    shares: {front_line: 0.8, cadre: 0.2}
units:
%s
stages:
  - name: nomination
    nominate:
      mode: expanded
      ratio: 0.5
      weights:
        - trait: role
          values: {cadre: %v}
  - name: reserve
    select:
      size: {ballot: true}
  - name: election
    elect:
      surplus: 0.2
      majority_of: present
      voters:
        approval: 0.85
        appeal_sd: 0.6
        abstain: 0.3
        discipline: 1
        bias:
          - trait: gender
            values: {female: %v}
targets:
  - name: front_line_third
    when: {role: [front_line]}
    min_share: 0.3333333333
    published: met
shares:
  - name: women
    when: {gender: [female]}
    published: %v
  - name: front_line
    when: {role: [front_line]}
    published: %v
calibrate:
  trials: 600
  seed: 5
  max_evaluations: 150
  tolerance: 0.002
  parameters:
    - path: stages[name=nomination].nominate.weights[trait=role].values.cadre
      min: 0.2
      max: 20
      scale: log
    - path: stages[name=election].elect.voters.bias[trait=gender].values.female
      min: -2
      max: 2
`

func recoveryUnits() string {
	var b strings.Builder
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, "  - {name: U%d, seats: 40, entitled_voters: 300, turnout: 0.95}\n", i)
	}
	return b.String()
}

func recoveryScenario(cadre, bias, women, frontLine float64) []byte {
	return []byte(fmt.Sprintf(recovery, recoveryUnits(), cadre, bias, women, frontLine))
}

func TestRecoversKnownParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates a scenario (a few seconds)")
	}
	// The facts are the model's mean shares at cadre weight 2.5 and bias
	// −0.4, from 4,000 trials with a seed the calibration does not use.
	const cadre, bias = 2.5, -0.4
	sc, err := scenario.Load("truth", recoveryScenario(cadre, bias, 0.5, 0.5), scenario.Options{})
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	truth, err := sim.Run(context.Background(), m, sim.Options{Trials: 4000, Seed: 99})
	require.NoError(t, err)
	women, front := truth.Shares[0].Mean, truth.Shares[1].Mean

	// Start far from the truth.
	p, err := New("recovery", recoveryScenario(8, 0.8, women, front), Options{})
	require.NoError(t, err)
	fit, err := p.Run(context.Background())
	require.NoError(t, err)
	require.NotEqual(t, "interrupted", fit.Status)
	assert.Less(t, fit.Objective, 1.0, "both shares within their tolerance")
	want := []float64{cadre, bias}
	for i, pf := range fit.Parameters {
		require.NotNil(t, pf.SE, "%s is identified by the shares", pf.Path)
		assert.Greater(t, *pf.SE, 0.0)
		// Within the reported uncertainty, and close in absolute terms too
		// (the facts here are means, far more precise than one draw).
		assert.InDelta(t, want[i], pf.Value, 2**pf.SE, pf.Path)
		assert.InDelta(t, want[i], pf.Value, 0.25, pf.Path)
	}
	assert.Equal(t, fit.Total, fit.Reproduced)
}

func TestCalibrationIsDeterministic(t *testing.T) {
	data := recoveryScenario(4, 0, 0.33, 0.62)
	fits := make([]string, 0, 2)
	for _, workers := range []int{1, 2} {
		p, err := New("recovery", data, Options{Workers: workers, MaxEvaluations: 25, Trials: 100})
		require.NoError(t, err)
		fit, err := p.Run(context.Background())
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, fit.WriteJSON(&b))
		require.NoError(t, fit.WriteScenario(&b))
		fits = append(fits, b.String())
	}
	assert.Equal(t, fits[0], fits[1])
}

func TestWrittenScenarioChangesOnlyTheFittedNumbers(t *testing.T) {
	data := recoveryScenario(4, 0, 0.33, 0.62)
	// A comment on the fitted line and elsewhere must survive.
	data = bytes.Replace(data, []byte("values: {cadre: 4}"), []byte("values: {cadre: 4}   # FITTED"), 1)
	p, err := New("recovery", data, Options{MaxEvaluations: 15, Trials: 100})
	require.NoError(t, err)
	fit, err := p.Run(context.Background())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, fit.WriteScenario(&out))
	cadre := formatValue(fit.Parameters[0].Value, false)
	bias := formatValue(fit.Parameters[1].Value, false)
	want := bytes.Replace(data, []byte("{cadre: 4}"), []byte("{cadre: "+cadre+"}"), 1)
	want = bytes.Replace(want, []byte("{female: 0}"), []byte("{female: "+bias+"}"), 1)
	assert.Equal(t, string(want), out.String())
	// The written file loads and holds the fitted values.
	sc, err := scenario.Load("fitted", out.Bytes(), scenario.Options{})
	require.NoError(t, err)
	assert.Equal(t, fit.Parameters[0].Value, sc.Stages[0].Nominate.Weights[0].Values["cadre"])
	assert.Equal(t, fit.Parameters[1].Value, sc.Stages[2].Elect.Voters.Bias[0].Values["female"])
}

func TestInterruptedKeepsTheBestPoint(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, err := New("recovery", recoveryScenario(4, 0, 0.33, 0.62), Options{Trials: 100, MaxEvaluations: 500,
		Progress: func(pr Progress) {
			if pr.Evaluations >= 6 {
				cancel()
			}
		}})
	require.NoError(t, err)
	fit, err := p.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, "interrupted", fit.Status)
	assert.LessOrEqual(t, fit.Objective, fit.StartObjective)
	assert.Less(t, fit.Evaluations, 20)
	var out bytes.Buffer
	require.NoError(t, fit.WriteScenario(&out))
	_, err = scenario.Load("fitted", out.Bytes(), scenario.Options{})
	require.NoError(t, err)
}

func TestPerUnitAndElectedFacts(t *testing.T) {
	// Facts may name a share in one unit and the number elected; the model
	// side of each is computed from the run.
	data := recoveryScenario(4, 0, 0.33, 0.62)
	data = append(data, []byte(`  facts:
    - {share: women, unit: U3, published: 0.3}
    - {elected: 318, tolerance: 1}
    - {target: front_line_third}
`)...)
	p, err := New("recovery", data, Options{MaxEvaluations: 1, Trials: 200})
	require.NoError(t, err)
	fit, err := p.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, fit.Facts, 3)
	unit := fit.Facts[0]
	assert.Equal(t, "U3", unit.Unit)
	assert.Greater(t, unit.Mean, 0.1)
	assert.Less(t, unit.Low, unit.Mean)
	assert.Greater(t, unit.High, unit.Mean)
	el := fit.Facts[1]
	assert.Equal(t, "elected", el.Kind)
	assert.InDelta(t, 320, el.Mean, 1)
	assert.InDelta(t, (el.Mean-318)*(el.Mean-318), el.Error, 1e-9)
	assert.Equal(t, "met", fit.Facts[2].Outcome)
	// The per-unit mean is the tally's pooled share of that unit.
	sc, err := scenario.Load("r", data, scenario.Options{})
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	tally, err := sim.RunTally(context.Background(), m, sim.Options{Trials: 200, Seed: 5})
	require.NoError(t, err)
	mean, _, ok := tally.UnitShare(0, 3)
	require.True(t, ok)
	assert.Equal(t, mean, unit.Mean)
}

func TestRefusesBadCalibrations(t *testing.T) {
	base := string(recoveryScenario(4, 0, 0.33, 0.62))
	tests := []struct {
		name, replace, with, want string
	}{
		{"unknown share", "  parameters:\n", "  facts: [{share: womn}]\n  parameters:\n", `calibrate.facts[0].share: no tracked share is named "womn"; did you mean "women"?`},
		{"unknown unit", "  parameters:\n", "  facts: [{share: women, unit: U9, published: 0.3}]\n  parameters:\n", `calibrate.facts[0].unit: unknown unit "U9"`},
		{"unit share without a value", "  parameters:\n", "  facts: [{share: women, unit: U1}]\n  parameters:\n", `calibrate.facts[0].published: is required`},
		{"unknown target", "  parameters:\n", "  facts: [{target: front}]\n  parameters:\n", `calibrate.facts[0].target: no target is named "front"`},
		{"target not published", "    published: met\n", "\n", `target "front_line_third" has no published outcome`},
		{"unknown field", "values.cadre\n", "values.cadre.x\n", `calibrate.parameters[0].path`},
		{"not a number", "elect.voters.bias[trait=gender].values.female", "elect.majority_of", `names a string, not a number`},
		{"run setting", "elect.voters.bias[trait=gender].values.female", "x\n    - path: run.trials", `is a setting of the run, not of the model`},
		{"bounds", "      min: 0.2\n", "      min: 30\n", `needs finite bounds with min < max`},
		{"log of zero", "      min: 0.2\n", "      min: 0\n", `a log-scale parameter needs min > 0`},
		{"listed twice", "stages[name=election].elect.voters.bias[trait=gender].values.female", "stages[name=nomination].nominate.weights[trait=role].values.cadre", `is listed twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(base, tc.replace, tc.with, 1)
			if tc.name == "target not published" {
				data = strings.Replace(data, "  parameters:\n", "  facts: [{target: front_line_third}]\n  parameters:\n", 1)
			}
			require.NotEqual(t, base, data, "the replacement must apply")
			_, err := New("bad", []byte(data), Options{})
			require.Error(t, err)
			var se *scenario.Error
			require.ErrorAs(t, err, &se, "a bad calibration is bad input (exit 2)")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestRefusesParametersNotWrittenAsNumbers(t *testing.T) {
	base := string(recoveryScenario(4, 0, 0.33, 0.62))
	tests := []struct {
		name, replace, with, want string
	}{
		// abstain exists in the format but a default cannot be fitted.
		{"default", "elect.voters.bias[trait=gender].values.female", "elect.revotes", `revotes is not written in the file`},
		{"outside bounds", "values: {cadre: 4}", "values: {cadre: 40}", `lies outside [0.2, 20]`},
		{"no calibrate block", "calibrate:", "calibrat_:", `unknown field`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(base, tc.replace, tc.with, 1)
			require.NotEqual(t, base, data)
			_, err := New("bad", []byte(data), Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// A scenario with no calibrate block at all.
	i := strings.Index(base, "calibrate:")
	_, err := New("bad", []byte(base[:i]), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "declares nothing to calibrate")
}

func TestHessianFreeUncertaintyOfAnUnmovedParameter(t *testing.T) {
	// A parameter that moves no share fact (the abstention share changes no
	// outcome) is reported without a standard error.
	data := strings.Replace(string(recoveryScenario(4, 0, 0.33, 0.62)),
		"    - path: stages[name=election].elect.voters.bias[trait=gender].values.female\n      min: -2\n      max: 2\n",
		"    - path: stages[name=election].elect.voters.abstain\n      min: 0.1\n      max: 0.9\n", 1)
	p, err := New("recovery", []byte(data), Options{MaxEvaluations: 10, Trials: 200})
	require.NoError(t, err)
	fit, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, fit.Parameters[0].SE)
	assert.Nil(t, fit.Parameters[1].SE)
	assert.False(t, math.IsNaN(fit.Objective))
}
