package compare

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
	"simulate/sim"
	"simulate/sim/stats"
)

// In testdata/draw.yaml the women nominated are Binomial(20, p) with
// p = 0.3·W/(0.7 + 0.3·W) for a woman's nomination weight W; the target
// "women" asks for at least 7 and the share "women" is their share.
const weightKey = "stages[name=nomination].nominate.weights[0].values.female"

func womenShare(w float64) float64 { return 0.3 * w / (0.7 + 0.3*w) }

func model(t *testing.T, sets ...string) *sim.Model {
	t.Helper()
	data, err := os.ReadFile("testdata/draw.yaml")
	require.NoError(t, err)
	sc, err := scenario.Load("testdata/draw.yaml", data, scenario.Options{Sets: sets})
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	return m
}

func paired(t *testing.T, a, b *sim.Model, trials int, seedA, seedB uint64) *Comparison {
	t.Helper()
	pt, err := sim.RunPaired(context.Background(), a, b, sim.PairedOptions{Trials: trials, SeedA: seedA, SeedB: seedB, Workers: 2})
	require.NoError(t, err)
	return FromPaired(pt, Side{Source: "A"}, Side{Source: "B"}, 0.999)
}

func row(t *testing.T, c *Comparison, kind, name string) Row {
	t.Helper()
	for _, r := range c.Rows {
		if r.Kind == kind && r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s %s", kind, name)
	return Row{}
}

func TestSameScenarioTwiceDiffersByExactlyZero(t *testing.T) {
	m := model(t)
	c := paired(t, m, model(t), 3000, 5, 5)
	require.True(t, c.Paired)
	for _, r := range c.Rows {
		assert.Equal(t, Paired, r.Method)
		assert.Equal(t, r.A, r.B, "%s %s: the same trials give the same estimate", r.Kind, r.Name)
		assert.Zero(t, r.Diff.Value, "%s %s", r.Kind, r.Name)
		assert.LessOrEqual(t, r.Diff.CILow, 0.0)
		assert.GreaterOrEqual(t, r.Diff.CIHigh, 0.0)
	}
	assert.Equal(t, Estimate{}, row(t, c, KindShare, "women").Diff, "every paired share difference is 0: the interval is [0, 0]")
	// Independent seeds: the same law, but the estimates differ by noise.
	ind := paired(t, m, m, 3000, 5, 6)
	assert.False(t, ind.Paired)
	assert.NotZero(t, row(t, ind, KindShare, "women").Diff.Value)
}

// TestDifferenceCoversTheExactLaw compares weights W = 1 and W = 1.5: the
// exact probabilities of at least 7 women are binomial tails, the exact
// share means p(W). Both the paired and the independent intervals (99.9%)
// cover the exact differences, and common random numbers make the paired
// ones narrower.
func TestDifferenceCoversTheExactLaw(t *testing.T) {
	a, b := model(t, weightKey+"=1"), model(t, weightKey+"=1.5")
	pa, pb := womenShare(1), womenShare(1.5)
	exactTarget := stats.BinomialSurvival(20, pa, 7) - stats.BinomialSurvival(20, pb, 7)
	exactShare := pa - pb
	var width [2]float64
	for i, seedB := range []uint64{9, 10} {
		c := paired(t, a, b, 20000, 9, seedB)
		tr, sh := row(t, c, KindTarget, "women"), row(t, c, KindShare, "women")
		assert.True(t, tr.Diff.CILow <= exactTarget && exactTarget <= tr.Diff.CIHigh,
			"paired=%v: target difference %v, interval [%v, %v], exact %v", c.Paired, tr.Diff.Value, tr.Diff.CILow, tr.Diff.CIHigh, exactTarget)
		assert.True(t, sh.Diff.CILow <= exactShare && exactShare <= sh.Diff.CIHigh,
			"paired=%v: share difference %v, interval [%v, %v], exact %v", c.Paired, sh.Diff.Value, sh.Diff.CILow, sh.Diff.CIHigh, exactShare)
		assert.True(t, sh.A.CILow <= pa && pa <= sh.A.CIHigh, "share in A covers p(1)")
		width[i] = sh.Diff.CIHigh - sh.Diff.CILow
	}
	assert.Less(t, width[0], width[1], "common random numbers narrow the share difference")
}

func TestFromResultsIsIndependent(t *testing.T) {
	run := func(sets ...string) *sim.Result {
		r, err := sim.Run(context.Background(), model(t, sets...), sim.Options{Trials: 20000, Seed: 3})
		require.NoError(t, err)
		// Through JSON, as compare reads them from files.
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var back sim.Result
		require.NoError(t, json.Unmarshal(b, &back))
		return &back
	}
	ra, rb := run(weightKey+"=1"), run(weightKey+"=1.5")
	c := FromResults(ra, rb, Side{Source: "a.json"}, Side{Source: "b.json"}, 0.999)
	assert.False(t, c.Paired)
	exact := stats.BinomialSurvival(20, womenShare(1), 7) - stats.BinomialSurvival(20, womenShare(1.5), 7)
	tr := row(t, c, KindTarget, "women")
	assert.Equal(t, Independent, tr.Method)
	assert.True(t, tr.Diff.CILow <= exact && exact <= tr.Diff.CIHigh, "[%v, %v] covers %v", tr.Diff.CILow, tr.Diff.CIHigh, exact)
	sh := row(t, c, KindShare, "women")
	exactShare := womenShare(1) - womenShare(1.5)
	assert.True(t, sh.Diff.CILow <= exactShare && exactShare <= sh.Diff.CIHigh, "[%v, %v] covers %v", sh.Diff.CILow, sh.Diff.CIHigh, exactShare)
	assert.Contains(t, strings.Join(c.Notes, " "), "both ran with seed 3")
}

func TestFormats(t *testing.T) {
	m := model(t)
	c := paired(t, m, model(t, weightKey+"=2"), 200, 1, 1)
	c.Version = "test"
	var text, js, html bytes.Buffer
	require.NoError(t, c.WriteText(&text))
	require.NoError(t, c.WriteJSON(&js))
	require.NoError(t, c.WriteHTML(&html))
	assert.Contains(t, text.String(), "paired per trial")
	assert.Contains(t, text.String(), "B higher", "more women nominated in B")
	for _, l := range strings.Split(text.String(), "\n") {
		assert.Equal(t, strings.TrimRight(l, " "), l, "no trailing spaces")
	}
	var back map[string]any
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, true, back["paired"])
	assert.Contains(t, html.String(), "<table>")
	assert.Contains(t, html.String(), "B higher")
	// Undefined numbers are null in JSON.
	c.Rows[0].Diff.CILow = math.NaN()
	js.Reset()
	require.NoError(t, c.WriteJSON(&js))
	assert.Contains(t, js.String(), `"ci_low": null`)
}
