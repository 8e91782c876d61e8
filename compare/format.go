package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText writes the comparison as a table: one line per target and
// share, both estimates with their intervals and the difference A − B.
func (c *Comparison) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "A: %s\nB: %s\n", c.A.describe(), c.B.describe())
	fmt.Fprintf(&b, "difference A − B with %v%% intervals (%s)\n\n", c.Confidence*100, c.method())
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	kind := ""
	for _, r := range c.Rows {
		if r.Kind != kind {
			kind = r.Kind
			if kind == KindTarget {
				fmt.Fprintln(tw, "  target\tP(met) in A\tP(met) in B\tA − B\tinterval\t")
			} else {
				fmt.Fprintln(tw, "\t\t\t\t\t")
				fmt.Fprintln(tw, "  share\tmean in A\tmean in B\tA − B\tinterval\t")
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", r.Name, withCI(r.A, 4), withCI(r.B, 4), signed(r.Diff.Value), ci(r.Diff, 4), r.verdict())
	}
	tw.Flush()
	// The table's padding leaves spaces at the ends of lines.
	lines := strings.Split(b.String(), "\n")
	b.Reset()
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(l, " "))
	}
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "\nnote: %s", n)
	}
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

// WriteJSON writes the comparison as one indented JSON object (undefined
// numbers as null), without HTML escaping.
func (c *Comparison) WriteJSON(w io.Writer) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c.jsonView()); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteHTML writes a self-contained HTML page with the comparison's table.
func (c *Comparison) WriteHTML(w io.Writer) error {
	var b bytes.Buffer
	if err := htmlPage.Execute(&b, c); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (s Side) describe() string {
	d := fmt.Sprintf("%s (%s), %d trials, seed %d", s.Source, s.Scenario, s.Trials, s.Seed)
	if len(s.Sets) > 0 {
		d += ", --set " + strings.Join(s.Sets, " --set ")
	}
	return d
}

func (c *Comparison) method() string {
	if c.Paired {
		return "paired per trial: common random numbers"
	}
	return "independent samples"
}

// verdict says whether the interval of the difference excludes 0.
func (r Row) verdict() string {
	switch {
	case math.IsNaN(r.Diff.CILow):
		return ""
	case r.Diff.CILow > 0:
		return "A higher"
	case r.Diff.CIHigh < 0:
		return "B higher"
	}
	return "no difference shown"
}

func signed(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func ci(e Estimate, prec int) string {
	if math.IsNaN(e.CILow) {
		return "—"
	}
	return fmt.Sprintf("[%s, %s]", strconv.FormatFloat(e.CILow, 'f', prec, 64), strconv.FormatFloat(e.CIHigh, 'f', prec, 64))
}

func withCI(e Estimate, prec int) string {
	if math.IsNaN(e.Value) {
		return "—"
	}
	return strconv.FormatFloat(e.Value, 'f', prec, 64) + " " + ci(e, prec)
}

// num is a float that encodes NaN as null.
type num float64

func (v num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(v), 'g', -1, 64), nil
}

type jsonEstimate struct {
	Value  num `json:"value"`
	CILow  num `json:"ci_low"`
	CIHigh num `json:"ci_high"`
}

type jsonRow struct {
	Kind       string       `json:"kind"`
	Name       string       `json:"name"`
	A          jsonEstimate `json:"a"`
	B          jsonEstimate `json:"b"`
	Difference jsonEstimate `json:"difference"`
	Method     string       `json:"method"`
}

type jsonComparison struct {
	A          Side      `json:"a"`
	B          Side      `json:"b"`
	Paired     bool      `json:"paired"`
	Confidence float64   `json:"confidence"`
	Rows       []jsonRow `json:"rows"`
	Notes      []string  `json:"notes,omitempty"`
	Version    string    `json:"version"`
}

func jsonEst(e Estimate) jsonEstimate { return jsonEstimate{num(e.Value), num(e.CILow), num(e.CIHigh)} }

func (c *Comparison) jsonView() jsonComparison {
	j := jsonComparison{A: c.A, B: c.B, Paired: c.Paired, Confidence: c.Confidence, Notes: c.Notes, Version: c.Version}
	for _, r := range c.Rows {
		j.Rows = append(j.Rows, jsonRow{Kind: r.Kind, Name: r.Name, A: jsonEst(r.A), B: jsonEst(r.B), Difference: jsonEst(r.Diff), Method: r.Method})
	}
	return j
}

var htmlPage = template.Must(template.New("compare").Funcs(template.FuncMap{
	"pct":     func(v float64) float64 { return v * 100 },
	"withCI":  func(e Estimate) string { return withCI(e, 4) },
	"ci":      func(e Estimate) string { return ci(e, 4) },
	"signed":  signed,
	"verdict": func(r Row) string { return r.verdict() },
	"side":    func(s Side) string { return s.describe() },
	"method":  func(c *Comparison) string { return c.method() },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>simulate compare: {{.A.Scenario}} vs {{.B.Scenario}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.up { color: #1a7f37; } td.down { color: #b42318; }
p.note { color: #555; max-width: 60em; }
</style>
</head>
<body>
<h1>Comparison</h1>
<p><b>A</b>: {{side .A}}<br><b>B</b>: {{side .B}}</p>
<p>Difference A − B with {{pct .Confidence}}% intervals ({{method .}}).</p>
<table>
<tr><th>kind</th><th>name</th><th>A</th><th>B</th><th>A − B</th><th>interval</th><th></th></tr>
{{range .Rows}}<tr><td>{{.Kind}}</td><td>{{.Name}}</td><td>{{withCI .A}}</td><td>{{withCI .B}}</td><td>{{signed .Diff.Value}}</td><td>{{ci .Diff}}</td><td class="{{if gt .Diff.CILow 0.0}}up{{else if lt .Diff.CIHigh 0.0}}down{{end}}">{{verdict .}}</td></tr>
{{end}}</table>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}<p class="note">simulate {{.Version}}</p>
</body>
</html>
`))
