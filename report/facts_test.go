package report_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

// withFacts returns the teaching result with n published target outcomes
// that the model does not reproduce (long names, to force wrapping), and
// one published share per tracked share: the first inside its interval, the
// others outside.
func withFacts(t *testing.T, notReproduced int) (*scenario.Scenario, *sim.Result) {
	t.Helper()
	sc, res := teachingResult(t)
	fc := &sim.FactCheck{}
	for i := range notReproduced {
		f, ok := sim.TargetFact(sim.TargetResult{Name: fmt.Sprintf("a_rather_long_target_name_%d", i), Probability: 0.25}, scenario.PublishedMet)
		require.True(t, ok)
		fc.Items = append(fc.Items, f)
	}
	for i := range res.Shares {
		s := &res.Shares[i]
		v := s.P50
		if i > 0 {
			v = s.P95 + 0.05
		}
		s.Published = &v
		f, ok := sim.ShareFact(*s)
		require.True(t, ok)
		fc.Items = append(fc.Items, f)
	}
	for _, f := range fc.Items {
		fc.Total++
		if f.Reproduced {
			fc.Reproduced++
		}
	}
	res.Facts = fc
	return sc, res
}

func TestTextFacts(t *testing.T) {
	tests := []struct {
		name  string
		n     int // target facts not reproduced
		facts bool
		want  []string
		not   []string
	}{
		{"no facts", 0, false, nil, []string{"published facts"}},
		{"one target not reproduced", 1, true, []string{
			"published facts reproduced: 1 of 4 — not: a_rather_long_target_name_0 (P 0.250 < 0.5),",
			"front_line (", "aged_45_or_under (",
		}, []string{"women ("}},
		{"many: wrapped and abbreviated", 9, true, []string{
			"published facts reproduced: 1 of 12 — not:", "a_rather_long_target_name_4 (P 0.250 < 0.5), … 6 more",
		}, []string{"a_rather_long_target_name_5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, res := teachingResult(t)
			if tc.facts {
				sc, res = withFacts(t, tc.n)
			}
			var buf bytes.Buffer
			require.NoError(t, report.Text(&buf, sc, res, report.Options{}))
			out := buf.String()
			lines := strings.Split(out, "\n")
			require.Greater(t, len(lines), 3)
			if tc.facts {
				assert.True(t, strings.HasPrefix(lines[2], "published facts reproduced: "), "the line follows the header: %q", lines[2])
				// The facts lines, up to the blank line, fit in 80 columns.
				for _, l := range lines[2:] {
					if l == "" {
						break
					}
					assert.LessOrEqual(t, utf8.RuneCountInString(l), 80, l)
				}
			} else {
				assert.Empty(t, lines[2], "the blank line follows the header")
			}
			// The header: up to the first blank line; wrapped lines joined.
			head := strings.ReplaceAll(out[:strings.Index(out, "\n\n")], "\n    ", " ")
			for _, w := range tc.want {
				assert.Contains(t, head, w)
			}
			for _, w := range tc.not {
				assert.NotContains(t, head, w)
			}
		})
	}
}

func TestSharesTableMarksPublishedOutsideInterval(t *testing.T) {
	sc, res := withFacts(t, 0)
	var buf bytes.Buffer
	require.NoError(t, report.Text(&buf, sc, res, report.Options{}))
	out := buf.String()
	table := out[strings.Index(out, "Elected shares across trials"):]
	table = table[:strings.Index(table, "\n\n")]
	rows := map[string]string{}
	for _, l := range strings.Split(table, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = l
		}
	}
	assert.False(t, strings.HasSuffix(rows["women"], "*"), rows["women"])
	assert.True(t, strings.HasSuffix(rows["front_line"], " *"), rows["front_line"])
	assert.True(t, strings.HasSuffix(rows["aged_45_or_under"], " *"), rows["aged_45_or_under"])
	assert.Contains(t, table, "\n  * published value outside the model's 90% interval [p05, p95]\n")

	// Without published values nothing is marked and there is no footnote.
	sc, res = teachingResult(t)
	buf.Reset()
	require.NoError(t, report.Text(&buf, sc, res, report.Options{}))
	assert.NotContains(t, buf.String(), "*")
}

func TestCSVPublishedColumn(t *testing.T) {
	_, res := teachingResult(t)
	f, ok := sim.TargetFact(res.Targets[1], scenario.PublishedMissed)
	require.True(t, ok)
	res.Facts = &sim.FactCheck{Total: 1, Items: []sim.Fact{f}}
	var buf bytes.Buffer
	require.NoError(t, report.TargetsCSV(&buf, res))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+len(res.Targets))
	last := len(rows[0]) - 1
	assert.Equal(t, "published", rows[0][last])
	for i, want := range []string{"", "missed", ""} {
		assert.Equal(t, want, rows[1+i][last], rows[1+i][5])
	}
}

func TestHTMLFacts(t *testing.T) {
	sc, res := withFacts(t, 1)
	res.Facts.Items[0].Name = "<b>x</b>"
	res.Facts.Items[0].Source = `"quoted" & <i>marked</i>`
	var buf bytes.Buffer
	require.NoError(t, report.HTML(&buf, sc, res, report.HTMLOptions{}))
	page := buf.String()
	for _, want := range []string{
		`<a href="#facts">Published facts</a>`, `<section id="facts">`, `id="facts-table"`,
		"1 of 4</span> published facts reproduced",
		"&lt;b&gt;x&lt;/b&gt;", "&#34;quoted&#34; &amp; &lt;i&gt;marked&lt;/i&gt;",
		`<td class="poor">no <small>(P 0.250 &lt; 0.5)</small></td>`, `<td class="good">yes</td>`,
		`<td class="num poor" data-sort="`, `title="outside the model&#39;s 90% interval [p05, p95]"`, // the apostrophe escaped in the attribute
	} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "<b>x</b>")
	assert.Less(t, strings.Index(page, `<section id="facts">`), strings.Index(page, `<section id="scenario"`), "facts come first")

	sc, res = teachingResult(t)
	buf.Reset()
	require.NoError(t, report.HTML(&buf, sc, res, report.HTMLOptions{}))
	assert.NotContains(t, buf.String(), `id="facts"`)
	assert.NotContains(t, buf.String(), `href="#facts"`)
}

func TestCSVTextDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-2+3":              "'-2+3",
		"@SUM(A1)":          "'@SUM(A1)",
		"Women ≥ 30%":       "Women ≥ 30%",
		"":                  "",
	} {
		assert.Equal(t, want, report.CSVText(in), in)
	}
}

func TestJSONKeepsComparisonsReadable(t *testing.T) {
	// A label with <, > and & is written as is, not as \u003c… (the JSON
	// is read by people and by R/Python, never embedded in HTML).
	var b bytes.Buffer
	require.NoError(t, report.Write(&b, report.FormatJSON, &scenario.Scenario{Name: "x"}, &sim.Result{Scenario: "x", Targets: []sim.TargetResult{{Name: "t", Label: "women >= 27% & <b>"}}}, report.Options{}))
	assert.Contains(t, b.String(), `"women >= 27% & <b>"`)
	assert.NotContains(t, b.String(), `\u003e`)
}
