package scenario_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

// teachingWith returns the teaching scenario with its text edited: each
// pair old, new replaces old by new once; an old of the form "KEY:" at the
// start of a line replaces the whole top-level section KEY.
func teachingWith(t *testing.T, edits ...string) []byte {
	t.Helper()
	data, ok := configs.Read("teaching")
	require.True(t, ok)
	s := string(data)
	// Drop the calibrate block: a hostile scenario's shares may not match it.
	if i := strings.Index(s, "\ncalibrate:"); i >= 0 {
		s = s[:i+1]
	}
	for i := 0; i+1 < len(edits); i += 2 {
		old, repl := edits[i], edits[i+1]
		if strings.HasSuffix(old, ":") && !strings.Contains(old, " ") {
			start := strings.Index(s, "\n"+old+"\n")
			require.GreaterOrEqual(t, start, 0, old)
			end := start + len(old) + 2
			for end < len(s) && (s[end] == ' ' || s[end] == '#' || s[end] == '\n') {
				end += strings.IndexByte(s[end:], '\n') + 1
			}
			s = s[:start+1] + repl + s[end:]
			continue
		}
		require.Contains(t, s, old)
		s = strings.Replace(s, old, repl, 1)
	}
	return []byte(s)
}

func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
	}
	return b.String()
}

// TestResourceLimits: each limit of docs/limits.md refuses a small hostile
// scenario quickly (loadBounded fails on a slow or memory-hungry load), with
// exit status 2 (a *scenario.Error) and a message naming the limit and the
// value; a scenario at the limit loads.
func TestResourceLimits(t *testing.T) {
	binaryTraits := func(n int) string {
		return "traits:\n" + repeat(n, func(i int) string { return fmt.Sprintf("  - {name: t%d, values: [a, b]}\n", i) })
	}
	binaryPool := func(n int) string {
		return "pool:\n" + repeat(n, func(i int) string { return fmt.Sprintf("  - {trait: t%d, shares: {a: 0.5, b: 0.5}}\n", i) })
	}
	// A scenario of n binary traits and u units of 5 seats, with no trait weights or biases.
	typesUnits := func(n, u int) []string {
		return []string{
			"quota: 20", fmt.Sprintf("quota: %d", 5*u),
			"traits:", binaryTraits(n),
			"pool:", binaryPool(n),
			"units:", "units:\n" + repeat(u, func(i int) string {
				return fmt.Sprintf("  - {name: u%d, seats: 5, members: 5000, entitled_voters: 50}\n", i)
			}),
			"      weights:\n        - trait: role\n          values: {cadre: 3}\n", "",
			"          when: {role: [front_line]}\n", "",
			"        bias:\n          - trait: gender\n            values: {female: -0.2}\n", "",
			"targets:", "targets:\n  - {name: x, when: {t0: [b]}, min_share: 0.3}\n",
			"shares:", "shares:\n  - {name: x, when: {t0: [b]}}\n",
		}
	}
	filters := func(n int) string {
		return repeat(n, func(i int) string {
			return fmt.Sprintf("  - name: f%d\n    filter: {vetoes: [{reason: r, rate: 0.0001}]}\n", i)
		})
	}
	shares := func(n int) string {
		return "shares:\n" + repeat(n, func(i int) string { return fmt.Sprintf("  - {name: s%d, when: {gender: [female]}}\n", i) })
	}
	targets := func(n int) string {
		return "targets:\n" + repeat(n, func(i int) string { return fmt.Sprintf("  - {name: g%d, when: {gender: [female]}, min_count: 1}\n", i) })
	}
	quotas := func(n int) string {
		return "from_targets: true\n      quotas:\n" + repeat(n, func(i int) string { return "        - {when: {gender: [female]}, min: 1}\n" })
	}
	nested := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name    string
		edits   []string
		errPart string // "" when the scenario loads
	}{
		{"stages at the limit", []string{"  - name: election\n", filters(scenario.MaxStages-7) + "  - name: election\n"}, ""},
		{"too many stages", []string{"  - name: election\n", filters(scenario.MaxStages-6) + "  - name: election\n"}, "stages: 65 stages; at most 64 are supported"},
		{"5,000 stages", []string{"  - name: election\n", filters(4993) + "  - name: election\n"}, "stages: 5000 stages; at most 64"},
		{"shares at the limit", []string{"shares:", shares(scenario.MaxShares)}, ""},
		{"too many shares", []string{"shares:", shares(scenario.MaxShares + 1)}, "shares: 257 tracked shares; at most 256"},
		{"too many targets", []string{"targets:", targets(scenario.MaxTargets + 1)}, "targets: 257 targets; at most 256"},
		{"too many quotas", []string{"from_targets: true\n      target_margin: 0.03\n", quotas(scenario.MaxQuotas+1) + "      target_margin: 0.03\n"}, "stages: 1025 quotas in the select stages; at most 1024"},
		{"nesting", []string{"values: [male, female]", "values: " + nested(scenario.MaxDepth)}, "nesting is deeper than 64 levels"},
		{"lists nested 9,000 deep", []string{"values: [male, female]", "values: " + nested(9000)}, "nesting is deeper than 64 levels"},
		{"too many units", []string{"units:", "units:\n" + repeat(scenario.MaxUnits+1, func(i int) string { return fmt.Sprintf("  - {name: u%d, seats: 1}\n", i) })}, "units: needs between 1 and 10000 units, got 10001"},
		{"types × units at the limit", typesUnits(16, 16), ""},
		{"16 binary traits × 200 units", typesUnits(16, 200), "65536 types of person × 200 units = 13107200 sampling cells; at most 1048576"},
		{"workers' memory", []string{"shares:", shares(scenario.MaxShares), "seed: 7", "seed: 7\n  workers: 1024"}, "run.workers: 1024 workers would need about 20"},
		{"a worker's lists", []string{"quota: 20", "quota: 1000000", "    seats: 20\n", "    seats: 50000\n",
			"  - name: County\n", repeat(19, func(i int) string {
				return fmt.Sprintf("  - {name: u%d, seats: 50000, members: 10000000, entitled_voters: 1}\n", i)
			}) + "  - name: County\n"}, "MiB per worker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := teachingWith(t, tc.edits...)
			sc, err := loadBounded(t, tc.name, data, scenario.Options{})
			if tc.errPart == "" {
				require.NoError(t, err)
				require.NotNil(t, sc)
				return
			}
			var se *scenario.Error
			require.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), tc.errPart)
		})
	}
}

func TestEstimateWorkerBytes(t *testing.T) {
	sc, err := scenario.Load("cpc20", mustEmbedded(t, "cpc20"), scenario.Options{})
	require.NoError(t, err)
	b := sc.EstimateWorkerBytes()
	// 12 histograms of 80 KB and lists of a few thousand names.
	assert.Greater(t, b, int64(12*80_000))
	assert.Less(t, b, int64(8<<20))
}

func mustEmbedded(t *testing.T, name string) []byte {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok)
	return data
}
