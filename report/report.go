// Package report renders simulation results: a readable terminal summary,
// JSON and CSV.
package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
	"simulate/sim"
)

// Formats understood by Write.
const (
	FormatText = "text"
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// Formats lists the output formats.
var Formats = []string{FormatText, FormatJSON, FormatCSV}

// Options adjust the terminal summary.
type Options struct {
	// ByUnit adds the per-unit funnel.
	ByUnit bool
	// Width is the number of columns the summary must fit (a terminal's
	// width): longer lines wrap, wide tables wrap their text column or split
	// into blocks. 0 writes the full layout, however wide.
	Width int
	// Tidy writes CSV in long form (TidyCSV).
	Tidy bool
	// Lang is the language of the summary (English when empty).
	Lang i18n.Lang
}

// Write renders r in the given format.
func Write(w io.Writer, format string, sc *scenario.Scenario, r *sim.Result, opts Options) error {
	switch format {
	case FormatJSON:
		return JSON(w, r)
	case FormatCSV:
		if opts.Tidy {
			return TidyCSV(w, r)
		}
		return TargetsCSV(w, r)
	case FormatText, "":
		return Text(w, sc, r, opts)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// JSON writes the result as one indented JSON object.
func JSON(w io.Writer, r *sim.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // ">=" stays ">=", not "\u003e="
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// TargetsCSV writes the targets table with a header row, preceded by no
// comments so that any CSV reader takes it; the run's identity is in columns.
// The last column, published, is the target's published outcome (met or
// missed), empty when none was published.
func TargetsCSV(w io.Writer, r *sim.Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"scenario", "scenario_sha256", "seed", "trials", "version", "target", "label", "met", "probability", "ci_low", "ci_high", "published"})
	published := map[string]string{}
	if r.Facts != nil {
		for _, f := range r.Facts.Items {
			if f.Kind == sim.FactTarget {
				published[f.Name] = f.Published.Outcome
			}
		}
	}
	for _, t := range r.Targets {
		_ = cw.Write([]string{r.Scenario, r.Hash, strconv.FormatUint(r.Seed, 10), strconv.Itoa(r.Trials), r.Version,
			t.Name, CSVText(t.Label), strconv.FormatInt(t.Met, 10), num(t.Probability), num(t.CILow), num(t.CIHigh), published[t.Name]})
	}
	cw.Flush()
	return cw.Error()
}

// TidyCSV writes the result in long form, one statistic per row:
//
//	scenario,scenario_sha256,seed,trials,version,kind,name,statistic,value
//
// kind is target (statistics met, probability, ci_low, ci_high and
// published: 1 met, 0 missed), share (samples, mean, p05, p50, p95, min,
// max, published), seats (elected: mean, min, max), stage (entered, left,
// dropped, shortfall: means per trial) or election (the congress's means
// and shares, statistic value).
func TidyCSV(w io.Writer, r *sim.Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"scenario", "scenario_sha256", "seed", "trials", "version", "kind", "name", "statistic", "value"})
	id := []string{r.Scenario, r.Hash, strconv.FormatUint(r.Seed, 10), strconv.Itoa(r.Trials), r.Version}
	row := func(kind, name, stat, value string) {
		_ = cw.Write(append(id[:len(id):len(id)], kind, CSVText(name), stat, value))
	}
	published := map[string]string{}
	if r.Facts != nil {
		for _, f := range r.Facts.Items {
			if f.Kind == sim.FactTarget {
				published[f.Name] = map[string]string{"met": "1", "missed": "0"}[f.Published.Outcome]
			}
		}
	}
	for _, t := range r.Targets {
		row("target", t.Name, "met", strconv.FormatInt(t.Met, 10))
		row("target", t.Name, "probability", num(t.Probability))
		row("target", t.Name, "ci_low", num(t.CILow))
		row("target", t.Name, "ci_high", num(t.CIHigh))
		if p := published[t.Name]; p != "" {
			row("target", t.Name, "published", p)
		}
	}
	for _, s := range r.Shares {
		row("share", s.Name, "samples", strconv.FormatInt(s.Samples, 10))
		for _, v := range []struct {
			stat string
			v    float64
		}{{"mean", s.Mean}, {"p05", s.P05}, {"p50", s.P50}, {"p95", s.P95}, {"min", s.Min}, {"max", s.Max}} {
			row("share", s.Name, v.stat, num(v.v))
		}
		if s.Published != nil {
			row("share", s.Name, "published", num(*s.Published))
		}
	}
	row("seats", "elected", "mean", num(r.Elected.Mean))
	row("seats", "elected", "min", strconv.FormatInt(r.Elected.Min, 10))
	row("seats", "elected", "max", strconv.FormatInt(r.Elected.Max, 10))
	for _, st := range r.Funnel {
		row("stage", st.Stage, "entered", num(st.Entered))
		row("stage", st.Stage, "left", num(st.Left))
		row("stage", st.Stage, "dropped", num(st.Dropped))
		row("stage", st.Stage, "shortfall", num(st.Shortfall))
	}
	if e := r.Election; e != nil {
		for _, v := range []struct {
			name string
			v    float64
		}{{"ballots", e.Ballots}, {"invalid_share", e.InvalidShare}, {"turnout", e.Turnout},
			{"abstain_share", e.AbstainShare}, {"against_share", e.AgainstShare}, {"further_rounds", e.FurtherRounds},
			{"vacancies", e.Vacancies}, {"failed_units", e.FailedUnits}, {"ballot_short", e.BallotShort}} {
			row("election", v.name, "value", num(v.v))
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVText protects a free-text CSV cell from spreadsheet formula
// evaluation: a cell beginning with =, +, -, @, a tab or a carriage return
// is prefixed with an apostrophe (the OWASP recommendation).
func CSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// Text writes the terminal summary.
func Text(w io.Writer, sc *scenario.Scenario, r *sim.Result, opts Options) error {
	var buf bytes.Buffer
	text(&buf, sc, r, opts)
	// Tables pad their last column; drop the trailing blanks.
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, FitText(strings.Join(lines, "\n"), opts.Width))
	return err
}

func text(w io.Writer, sc *scenario.Scenario, r *sim.Result, opts Options) {
	ew := &errWriter{w: w}
	L := opts.Lang
	nm := i18n.NewNames(sc, L)
	// name is a tracked share's column name: its identifier in English,
	// its Chinese label in Chinese.
	name := func(s sim.ShareResult) string {
		if L.Zh() {
			return nm.ShareLabel(s.Name)
		}
		return s.Name
	}
	ew.printf("%s — %s\n", r.Scenario, nm.Title())
	ew.printf(L.T("%d %s, %d seats; %d trials, seed %d; scenario sha256 %s; simulate %s\n"),
		len(sc.Units), nm.Word(scenario.WordUnit, len(sc.Units) != 1), r.Seats, r.Trials, r.Seed, short(r.Hash), r.Version)
	if r.Facts != nil {
		ew.printf("%s", factsLine(r.Facts, L))
	}
	ew.printf("\n")

	if len(r.Targets) > 0 {
		ew.printf(L.T("Targets (probability met, %d%% Wilson interval)\n"), int(sim.Confidence*100))
		tt := &textTable{indent: "  ", head: []string{L.T("target"), L.T("P(met)"), L.T("interval"), L.T("description")}, flex: 3}
		for _, t := range r.Targets {
			label := t.Label
			if L.Zh() {
				label = nm.TargetLabel(t.Name)
			}
			tt.rows = append(tt.rows, []string{t.Name, fmt.Sprintf("%.3f", t.Probability), fmt.Sprintf("[%.3f, %.3f]", t.CILow, t.CIHigh), label})
		}
		tt.write(ew, opts.Width)
		ew.printf("\n")
	}

	if len(r.Shares) > 0 {
		ew.printf("%s", L.F("Elected shares across trials\n"))
		w := i18n.Width(L.T("share"))
		for _, s := range r.Shares {
			w = max(w, i18n.Width(name(s)))
		}
		ew.printf("  %s %s %7s %7s %7s %s %s\n", i18n.PadRight(L.T("share"), w), i18n.PadLeft(L.T("mean"), 7), "p05", "p50", "p95",
			i18n.PadLeft(L.T("published"), 9), i18n.PadLeft(L.T("diff"), 6))
		outside := false
		for _, s := range r.Shares {
			pub, diff, mark := "", "", ""
			if s.Published != nil {
				pub = pct(*s.Published)
				diff = fmt.Sprintf("%+.1f", 100*(s.Mean-*s.Published))
				if f, _ := sim.ShareFact(s); !f.Reproduced {
					mark, outside = "*", true
				}
			}
			ew.printf("  %s %7s %7s %7s %7s %9s %6s %s\n", i18n.PadRight(name(s), w), pct(s.Mean), pct(s.P05), pct(s.P50), pct(s.P95), pub, diff, mark)
		}
		if outside {
			ew.printf("%s", L.F("  * published value outside the model's 90%% interval [p05, p95]\n"))
		}
		ew.printf(L.T("  elected: mean %.1f of %d seats (min %d, max %d)\n\n"), r.Elected.Mean, r.Seats, r.Elected.Min, r.Elected.Max)
	}

	ew.printf("%s", L.F("Stage funnel (mean people per trial)\n"))
	ft := &textTable{indent: "  ", head: []string{L.T("stage"), L.T("entered"), L.T("left"), L.T("dropped"), L.T("unfilled"), L.T("why dropped")}, flex: 5, trailingHead: "中文"}
	for _, f := range r.Funnel {
		var why []string
		for _, rm := range f.Reasons {
			reason := rm.Reason
			if L.Zh() {
				reason = nm.Reason(reason)
			}
			why = append(why, fmt.Sprintf("%s %.1f", reason, rm.Mean))
		}
		if len(why) == 0 && f.Dropped > 0 {
			switch f.Kind {
			case scenario.KindSelect:
				why = append(why, L.T("not selected"))
			case scenario.KindElect:
				why = append(why, L.T("defeated"))
			}
		}
		ft.rows = append(ft.rows, []string{f.Stage, fmt.Sprintf("%.1f", f.Entered), fmt.Sprintf("%.1f", f.Left),
			fmt.Sprintf("%.1f", f.Dropped), fmt.Sprintf("%.1f", f.Shortfall), strings.Join(why, ", ")})
		labelZh := f.LabelZh
		if L.Zh() && labelZh == "" {
			labelZh = nm.StageNamed(f.Stage)
		}
		ft.trailing = append(ft.trailing, labelZh)
	}
	ft.write(ew, opts.Width)
	ew.printf("\n")

	if len(r.Shares) > 0 && len(r.Funnel) > 0 {
		ew.printf("%s", L.F("Tracked shares of the list each stage passes on\n"))
		st := &textTable{indent: "  ", head: []string{L.T("stage")}, right: true, flex: -1}
		for _, s := range r.Shares {
			st.head = append(st.head, name(s))
		}
		for _, f := range r.Funnel {
			row := []string{f.Stage}
			for _, c := range f.Composition {
				row = append(row, pct(c.Share))
			}
			st.rows = append(st.rows, row)
		}
		st.write(ew, opts.Width)
		ew.printf("\n")
	}

	if e := r.Election; e != nil {
		ew.printf(L.T("%[9]s votes (per trial): %.0[1]f ballots, %[2]s invalid, turnout %[3]s; names: %[4]s abstain, %[5]s against;\n"+
			"  %.2[6]f further rounds, %.2[7]f vacant seats, %.3[8]f %[10]s without quorum\n\n"),
			e.Ballots, pct(e.InvalidShare), pct(e.Turnout), pct(e.AbstainShare), pct(e.AgainstShare), e.FurtherRounds, e.Vacancies, e.FailedUnits,
			capitalise(nm.Word(scenario.WordCongress, false)), nm.Word(scenario.WordUnit, true))
		if e.BallotShort > 0 {
			ew.printf(L.T("  ballots short of the required surplus by %.2f names per trial\n\n"), e.BallotShort)
		}
	}

	missed := missedTargets(r)
	if len(missed) > 0 {
		ew.printf("%s", L.F("Targets most often missed, and the stage after which they stayed missed\n"))
		for _, t := range missed {
			ew.printf(L.T("  %s: missed in %s of trials"), t.Name, pct(1-t.Probability))
			if len(t.MissedAt) > 0 {
				var at []string
				for _, s := range t.MissedAt {
					at = append(at, fmt.Sprintf("%s %s", stageName(nm, s.Stage), pct(float64(s.Count)/float64(int64(r.Trials)-t.Met))))
				}
				ew.printf(L.T("; lost for good at: %s"), L.List(at))
			}
			ew.printf("\n")
			if len(t.UnitMisses) > 0 {
				var us []string
				for i, u := range t.UnitMisses {
					if i == 5 {
						us = append(us, fmt.Sprintf(L.T("… %d more %s"), len(t.UnitMisses)-5, nm.Word(scenario.WordUnit, true)))
						break
					}
					us = append(us, fmt.Sprintf("%s %s", unitName(nm, u.Unit), pct(float64(u.Count)/float64(r.Trials))))
				}
				ew.printf(L.T("    %s most often short: %s\n"), nm.Word(scenario.WordUnit, true), L.List(us))
			}
		}
		ew.printf("\n")
	}

	if opts.ByUnit {
		ew.printf("%s", L.F("Funnel by unit (mean list passed on by each stage; unfilled seats last)\n"))
		ut := &textTable{indent: "  ", head: []string{L.T("unit")}, right: true, flex: -1}
		for _, f := range r.Funnel {
			ut.head = append(ut.head, stageName(nm, f.Stage))
		}
		ut.head = append(ut.head, L.T("unfilled"))
		for u := range sc.Units {
			row := []string{unitName(nm, sc.Units[u].Name)}
			short := 0.0
			for _, f := range r.Funnel {
				row = append(row, fmt.Sprintf("%.1f", f.Units[u].Left))
				if f.Kind == scenario.KindElect {
					short += f.Units[u].Shortfall
				}
			}
			row = append(row, fmt.Sprintf("%.2f", short))
			ut.rows = append(ut.rows, row)
		}
		ut.write(ew, opts.Width)
		ew.printf("\n")
	}
	ew.printf("%s", nm.Footnote())
}

// factsWidth is the width the facts line wraps at.
const factsWidth = 80

// factsMax is how many unreproduced facts the line names before it
// abbreviates the rest.
const factsMax = 6

// factsLine summarises the predictive check in one line, wrapped at 80
// columns: how many published facts the model reproduces and, when not all,
// which not and why.
func factsLine(fc *sim.FactCheck, L i18n.Lang) string {
	head := fmt.Sprintf(L.T("published facts reproduced: %d of %d"), fc.Reproduced, fc.Total)
	var not []string
	for _, f := range fc.Items {
		if f.Reproduced {
			continue
		}
		if len(not) == factsMax-1 && fc.Total-fc.Reproduced > factsMax {
			not = append(not, fmt.Sprintf(L.T("… %d more"), fc.Total-fc.Reproduced-len(not)))
			break
		}
		not = append(not, fmt.Sprintf("%s (%s)", f.Name, L.T(f.Verdict())))
	}
	if len(not) == 0 {
		return head + "\n"
	}
	var b strings.Builder
	line := head + L.T(" — not:")
	for i, item := range not {
		if i < len(not)-1 {
			item += ","
		}
		if i18n.Width(line)+1+i18n.Width(item) > factsWidth {
			b.WriteString(line + "\n")
			line = "   "
		}
		line += " " + item
	}
	b.WriteString(line + "\n")
	return b.String()
}

// missedTargets returns the targets missed in at least one trial, most often
// missed first.
func missedTargets(r *sim.Result) []sim.TargetResult {
	var out []sim.TargetResult
	for _, t := range r.Targets {
		if t.Met < int64(r.Trials) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Met < out[j].Met })
	return out
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
