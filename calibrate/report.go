package calibrate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteJSON writes the fit report as one JSON object.
func (f *Fit) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// WriteText writes the fit report for a terminal: the search, each
// parameter (start, fitted, standard error, bounds) and each fact
// (published, model, 90% interval, reproduced).
func (f *Fit) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("calibrate %s: %d evaluations (%s), %d trials per evaluation, seed %d\n",
		f.Scenario, f.Evaluations, f.Status, f.Trials, f.Seed)
	ew.printf("objective %.4g at the start, %.4g fitted (sum of squared scaled errors)\n\n", f.StartObjective, f.Objective)

	pw := len("parameter")
	for _, p := range f.Parameters {
		pw = max(pw, utf8.RuneCountInString(p.Path))
	}
	ew.printf("%-*s  %10s  %10s  %10s  %s\n", pw, "parameter", "start", "fitted", "± se", "range")
	for _, p := range f.Parameters {
		se := "—"
		if p.SE != nil {
			se = fmt.Sprintf("%.3g", *p.SE)
		}
		rng := fmt.Sprintf("[%g, %g]", p.Min, p.Max)
		if p.Scale != "linear" {
			rng += " " + p.Scale
		}
		if p.AtBound {
			rng += "  at a bound"
		}
		ew.printf("%-*s  %10.5g  %10.5g  %10s  %s\n", pw, p.Path, p.Start, p.Value, se, rng)
	}
	ew.printf("  (± se: the standard error if the share facts were one draw of the model; — when the share facts do not determine it)\n\n")

	fw := len("fact")
	for _, x := range f.Facts {
		fw = max(fw, utf8.RuneCountInString(factName(x)))
	}
	ew.printf("%-*s  %9s  %9s  %-20s  %s\n", fw, "fact", "published", "model", "90% interval", "reproduced")
	for _, x := range f.Facts {
		var pub, model, interval, ok string
		switch x.Kind {
		case "share":
			pub, model = pct(x.Published), pct(x.Mean)
			interval = fmt.Sprintf("[%s, %s]", pct(x.Low), pct(x.High))
		case "target":
			pub, model = x.Outcome, fmt.Sprintf("P %.3f", x.Probability)
			interval = fmt.Sprintf("[%.3f, %.3f] (95%%)", x.Low, x.High)
		default:
			pub, model = fmt.Sprintf("%.0f", x.Published), fmt.Sprintf("%.1f", x.Mean)
			interval = fmt.Sprintf("min %.0f, max %.0f", x.Low, x.High)
		}
		ok = "no"
		if x.Reproduced {
			ok = "yes"
		}
		ew.printf("%-*s  %9s  %9s  %-20s  %s\n", fw, factName(x), pub, model, interval, ok)
	}
	ew.printf("\npublished facts reproduced: %d of %d\n", f.Reproduced, f.Total)
	return ew.err
}

func factName(x FactFit) string {
	switch {
	case x.Kind == "share" && x.Unit != "":
		return "share " + x.Name + " in " + x.Unit
	case x.Kind == "elected":
		return "elected"
	}
	return x.Kind + " " + x.Name
}

func pct(v float64) string { return strings.TrimSpace(fmt.Sprintf("%.1f%%", 100*v)) }

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
