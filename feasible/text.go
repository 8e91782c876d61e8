package feasible

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
)

// TextOptions adjust the terminal report.
type TextOptions struct {
	// ByUnit adds every unit's needs, worst-case ballot and inverse funnel,
	// and every arithmetic check.
	ByUnit bool
	// Lang is the language of the report's frame: headings, verdicts and
	// tables. The explanations the checks write (Report's texts, also in
	// its JSON) are English; in Chinese a note says so.
	Lang i18n.Lang
	// Names, when set, shows the title and unit names in Lang and ends a
	// Chinese report with the footnote of names without a Chinese form.
	Names *i18n.Names
}

// unitName is a unit's name as opts shows it.
func (opts TextOptions) unitName(name string) string {
	if opts.Names != nil {
		return opts.Names.UnitNamed(name)
	}
	return name
}

// WriteJSON writes the report as one indented JSON object.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // ">=" stays ">=", not "\u003e="
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the readable report.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	var b bytes.Buffer
	writeText(&b, r, opts)
	_, err := w.Write(b.Bytes())
	return err
}

// Summary is the verdict in one paragraph: what `simulate run` prints when
// it refuses a scenario.
func Summary(r *Report, L i18n.Lang) string {
	var b bytes.Buffer
	writeVerdict(&b, r, L)
	writeEnglishNote(&b, L)
	writeConflicts(&b, r, L)
	writeRepairs(&b, r, L)
	for _, n := range r.Notes {
		writeWrapped(&b, L.T("\nNote: "), "  ", L.T(n))
	}
	return b.String()
}

// writeEnglishNote says, in Chinese, that the explanations below are the
// solver's English.
func writeEnglishNote(b *bytes.Buffer, L i18n.Lang) {
	if L.Zh() {
		b.WriteString("（注：各目标、检查和最坏情况的具体说明由精确求解器生成，目前只有英文。）\n")
	}
}

func writeText(b *bytes.Buffer, r *Report, opts TextOptions) {
	L := opts.Lang
	title, rt := r.Scenario, r.Title
	if opts.Names != nil {
		rt = opts.Names.Title()
	}
	if rt != "" && rt != r.Scenario {
		title += L.T(": ") + rt
	}
	fmt.Fprintf(b, L.T("Exact feasibility — %s\n"), title)
	central := ""
	if r.Central > 0 {
		central = fmt.Sprintf(L.T(" (%d centrally nominated)"), r.Central)
	}
	hash := r.Hash
	if len(hash) > 12 {
		hash = hash[:12]
	}
	fmt.Fprintf(b, L.T("%s, %d seats%s, %s; scenario sha256 %s"), unitCount(r.Units, opts), r.Seats, central, plural(len(r.Targets), "target", L), hash)
	if r.Version != "" {
		fmt.Fprintf(b, L.T("; simulate %s"), r.Version)
	}
	b.WriteString("\n\n")
	writeVerdict(b, r, L)
	writeEnglishNote(b, L)

	if len(r.Targets) > 0 {
		b.WriteString(L.T("\nTargets\n"))
		for _, t := range r.Targets {
			writeWrapped(b, "  "+t.Name+" — ", "      ", t.Text)
		}
	}
	writeConflicts(b, r, L)
	writeRepairs(b, r, L)
	for _, n := range r.Notes {
		writeWrapped(b, L.T("\nNote: "), "  ", L.T(n))
	}
	writeGuarantee(b, r, opts)
	if opts.ByUnit {
		writeUnits(b, r, opts)
	}
	writeChecks(b, r, opts)
	b.WriteString(L.T("\nAssumptions\n"))
	for _, a := range r.Assumptions {
		// The assumptions are fixed sentences: the catalogue has them.
		writeWrapped(b, "  - ", "    ", L.T(a))
	}
	s := r.Solver
	fmt.Fprintf(b, L.T("\nSolved in %.0f ms, the verdict after %.0f ms.\n%d integer problems (largest %d variables, %d rows, %d atoms), %d branch-and-bound nodes, %d pivots.\n"),
		s.Millis, s.VerdictMillis, s.Problems, s.Variables, s.Rows, s.Atoms, s.Nodes, s.Pivots)
	if opts.Names != nil {
		b.WriteString(opts.Names.Footnote())
	}
}

func writeVerdict(b *bytes.Buffer, r *Report, L i18n.Lang) {
	switch r.Verdict {
	case "feasible":
		b.WriteString(L.T("VERDICT: FEASIBLE — every target and quota can be met at once, in every unit and nationally.\n"))
	case "infeasible":
		n := len(r.Conflicts)
		proof := ""
		if r.Certified {
			proof = L.T(" (proven: exact certificates)")
		}
		what := L.T("1 conflict")
		if n != 1 {
			what = fmt.Sprintf(L.T("%d conflicts"), n)
		}
		fmt.Fprintf(b, L.T("VERDICT: INFEASIBLE — the targets cannot all be met, whatever happens: no trial of the simulation meets them; %s below%s.\n"), what, proof)
	case "conditional":
		n := len(r.Conflicts)
		what := L.T("1 conflict")
		if n != 1 {
			what = fmt.Sprintf(L.T("%d conflicts"), n)
		}
		fmt.Fprintf(b, L.T("VERDICT: NOT AS PLANNED — the targets cannot all be met with every seat filled, every central candidate elected and every quota met (%s below); a trial can meet them only if:\n"), what)
		for _, x := range r.Relies {
			writeWrapped(b, "  - ", "    ", x)
		}
	default:
		b.WriteString(L.T("VERDICT: UNKNOWN — the search hit a limit before deciding (see the notes; raise the node or time limit).\n"))
	}
}

func writeConflicts(b *bytes.Buffer, r *Report, L i18n.Lang) {
	if len(r.Conflicts) == 0 {
		return
	}
	minimal := true
	for _, cf := range r.Conflicts {
		minimal = minimal && cf.Minimal
	}
	if minimal {
		b.WriteString(L.T("\nConflicts (each is minimal: drop any one member and the rest can be met)\n"))
	} else {
		b.WriteString(L.T("\nConflicts (a limit stopped the search before every set was shown minimal: those marked may hold members the conflict does not need)\n"))
	}
	for i, cf := range r.Conflicts {
		prefix := fmt.Sprintf("  %d. ", i+1)
		for j, line := range cf.Explanation {
			if j == 0 {
				writeWrapped(b, prefix, "     ", line)
				continue
			}
			if strings.HasPrefix(line, "  • ") {
				writeWrapped(b, "       • ", "         ", strings.TrimPrefix(line, "  • "))
				continue
			}
			writeWrapped(b, "     ", "     ", line)
		}
		if !cf.Minimal {
			b.WriteString(L.T("     (a solver limit stopped the search: this set may not be minimal)\n"))
		}
	}
}

func writeRepairs(b *bytes.Buffer, r *Report, L i18n.Lang) {
	if r.Planned != VerdictInfeasible {
		return
	}
	if len(r.Repairs) == 0 {
		b.WriteString(L.T("\nNo relaxation of the targets within the limits makes the whole scenario feasible"))
		for _, cf := range r.Conflicts {
			if cf.Structural {
				b.WriteString(L.T(" (a unit's lists cannot be filled: change its pools, weights or vetoes)"))
				break
			}
		}
		b.WriteString(L.T(".\n"))
		return
	}
	if r.RepairsTogether {
		b.WriteString(L.T("\nSmallest repair (no single change suffices; together these make the whole scenario feasible):\n"))
	} else {
		b.WriteString(L.T("\nSmallest repairs (any one of these alone makes the whole scenario feasible):\n"))
	}
	for _, x := range r.Repairs {
		writeWrapped(b, "  - ", "    ", x.Text)
		if len(x.Set) > 0 {
			var args []string
			for _, a := range x.Set {
				args = append(args, "--set "+shellQuote(a))
			}
			writeWrapped(b, "    ", "      ", strings.Join(args, " "))
		}
	}
}

// shellQuote quotes an argument for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func writeGuarantee(b *bytes.Buffer, r *Report, opts TextOptions) {
	if !r.Election {
		return
	}
	L := opts.Lang
	b.WriteString(L.T("\nWorst case: can the ballots be composed so that the vote cannot break the targets?\n"))
	verdict := map[string]string{"guaranteed": "YES", "not_guaranteed": "NO", "unknown": "UNKNOWN", "not_assessed": "NOT ASSESSED"}[r.Guarantee.Verdict]
	fmt.Fprintf(b, L.T("  %s.\n"), L.T(verdict))
	for _, t := range r.Guarantee.Text {
		if strings.HasPrefix(t, "  ") {
			writeWrapped(b, "    ", "      ", strings.TrimSpace(t))
			continue
		}
		// The verdict's fixed sentences have their Chinese in the
		// catalogue; the computed ones stay as the checker wrote them.
		writeWrapped(b, "  ", "  ", L.T(t))
	}
	if opts.ByUnit {
		return
	}
	// A compact table of the least worst-case ballot per unit, its first
	// column as wide as the longest unit name.
	var names, rows []string
	nameW := len("unit")
	for _, u := range r.UnitReports {
		var parts []string
		for _, n := range u.Needs {
			if n.National || n.BallotMin == nil && n.BallotMax == nil {
				continue
			}
			parts = append(parts, needShort(n))
		}
		if len(parts) == 0 {
			continue
		}
		mark := ""
		switch u.GuaranteeVerdict {
		case "infeasible":
			mark = L.T("  ✗ cannot be guaranteed")
		case "unknown":
			mark = L.T("  ? undecided")
		}
		name := opts.unitName(u.Name)
		nameW = max(nameW, i18n.Width(name))
		names = append(names, name)
		rows = append(rows, fmt.Sprintf(" %5d %6d %8d  %s%s", u.Seats, u.Ballot, u.Extra, strings.Join(parts, ", "), mark))
	}
	if len(rows) > 0 {
		b.WriteString(L.T("\n  Least composition of each unit's ballot for its unit-level targets (the per-unit report shows every list):\n"))
		fmt.Fprintf(b, "  %s %s %s %s  %s\n", i18n.PadRight(L.T("unit"), nameW), i18n.PadLeft(L.T("seats"), 5), i18n.PadLeft(L.T("ballot"), 6),
			i18n.PadLeft(L.T("defeated"), 8), L.T("the ballot's local names need (elected)"))
		for i, row := range rows {
			fmt.Fprintf(b, "  %s%s\n", i18n.PadRight(names[i], nameW), row)
		}
	}
}

// unitCount is "3 units", in Chinese with the scenario's word for a unit.
func unitCount(n int, opts TextOptions) string {
	if opts.Lang.Zh() && opts.Names != nil {
		return fmt.Sprintf("%d 个%s", n, opts.Names.Word(scenario.WordUnit, true))
	}
	return plural(n, "unit", opts.Lang)
}

func plural(n int, what string, L i18n.Lang) string {
	if L.Zh() {
		return fmt.Sprintf(L.T("%d "+what+"s"), n)
	}
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func needShort(n Need) string {
	var parts []string
	if n.BallotMin != nil {
		parts = append(parts, fmt.Sprintf("≥ %d", *n.BallotMin))
	}
	if n.BallotMax != nil {
		parts = append(parts, fmt.Sprintf("≤ %d", *n.BallotMax))
	}
	var el []string
	if n.ElectedMin != nil {
		el = append(el, fmt.Sprintf("≥ %d", *n.ElectedMin))
	}
	if n.ElectedMax != nil {
		el = append(el, fmt.Sprintf("≤ %d", *n.ElectedMax))
	}
	return fmt.Sprintf("%s %s (%s)", n.Target, strings.Join(parts, " and "), strings.Join(el, " and "))
}

func writeUnits(b *bytes.Buffer, r *Report, opts TextOptions) {
	L := opts.Lang
	b.WriteString(L.T("\nUnits: what each target asks, the least worst-case ballot, and the inverse funnel\n"))
	for _, u := range r.UnitReports {
		seats := fmt.Sprintf(L.T("%d seats"), u.Seats)
		if u.Central > 0 {
			seats = fmt.Sprintf(L.T("%d seats (%d local + %d central)"), u.Seats, u.Local, u.Central)
		}
		vote := fmt.Sprintf(L.T("ballot %d local names, %d defeated"), u.Ballot, u.Extra)
		switch {
		case !r.Election:
			vote = L.T("no vote: the final list is drawn up directly")
		case u.Extra == 0:
			vote = fmt.Sprintf(L.T("ballot %d local names, none defeated"), u.Ballot)
		}
		guar := map[Verdict]string{"feasible": "guaranteed", "infeasible": "not guaranteed", "unknown": "undecided"}[u.GuaranteeVerdict]
		if !r.Election {
			fmt.Fprintf(b, L.T("\n  %s — %s; %s; possible: %s\n"), opts.unitName(u.Name), seats, vote, L.T(yesNo(u.Verdict)))
		} else {
			fmt.Fprintf(b, L.T("\n  %s — %s; %s; possible: %s; worst case: %s\n"), opts.unitName(u.Name), seats, vote, L.T(yesNo(u.Verdict)), L.T(guar))
		}
		var national []string
		for _, n := range u.Needs {
			if n.National {
				national = append(national, nationalShort(n))
				continue
			}
			writeWrapped(b, "    ", "      ", n.Text)
		}
		if len(national) > 0 {
			writeWrapped(b, "    ", "      ", L.T("its proportional part of the national targets (informational): ")+strings.Join(national, "; "))
		}
		for _, note := range u.Notes {
			writeWrapped(b, "    ! ", "      ", note)
		}
		if len(u.Funnel) > 0 && hasFunnelNeeds(u.Funnel) {
			b.WriteString(L.T("    least composition of each list (filters assumed to remove nobody; \"expected\": what nomination\n"))
			b.WriteString(L.T("    alone gives on average, from the pools and nomination weights):\n"))
			for _, st := range u.Funnel {
				fmt.Fprintf(b, "      %-14s %5d  %s\n", st.Stage, st.Size, funnelText(st))
			}
		}
	}
}

func nationalShort(n Need) string {
	var parts []string
	if n.ElectedMin != nil && n.BallotMin != nil {
		parts = append(parts, fmt.Sprintf("≥ %d elected → ≥ %d on the ballot", *n.ElectedMin, *n.BallotMin))
	}
	if n.ElectedMax != nil && n.BallotMax != nil {
		parts = append(parts, fmt.Sprintf("≤ %d elected → ≤ %d on the ballot", *n.ElectedMax, *n.BallotMax))
	}
	return n.Target + " " + strings.Join(parts, ", ")
}

func yesNo(v Verdict) string {
	switch v {
	case VerdictFeasible:
		return "yes"
	case VerdictInfeasible:
		return "NO"
	}
	return string(v)
}

func hasFunnelNeeds(f []FunnelStep) bool {
	for _, s := range f {
		if len(s.AtLeast) > 0 || len(s.AtLeastNot) > 0 {
			return true
		}
	}
	return false
}

func funnelText(st FunnelStep) string {
	var parts []string
	for _, k := range scenario.SortedKeys(st.AtLeast) {
		p := fmt.Sprintf("%s ≥ %d", k, st.AtLeast[k])
		if e, ok := st.Expected[k]; ok {
			p += fmt.Sprintf(" (expected %.1f)", e)
		}
		parts = append(parts, p)
	}
	for _, k := range scenario.SortedKeys(st.AtLeastNot) {
		parts = append(parts, fmt.Sprintf("not %s ≥ %d", k, st.AtLeastNot[k]))
	}
	return strings.Join(parts, ", ")
}

func writeChecks(b *bytes.Buffer, r *Report, opts TextOptions) {
	passed, failed := 0, 0
	for _, f := range r.Checks {
		if f.OK {
			passed++
		} else {
			failed++
		}
	}
	L := opts.Lang
	fmt.Fprintf(b, L.T("\nArithmetic checks (exact integer rounding): %d passed, %d failed\n"), passed, failed)
	for _, f := range r.Checks {
		national := f.Unit == ""
		if !opts.ByUnit && f.OK && !national {
			continue
		}
		mark := "✓"
		if !f.OK {
			mark = "✗"
		}
		where := f.Check
		if f.Target != "" {
			where += " " + f.Target
		}
		if f.Unit != "" {
			where += " [" + f.Unit + "]"
		}
		writeWrapped(b, fmt.Sprintf("  %s %s: ", mark, where), "      ", f.Text)
	}
	if !opts.ByUnit {
		b.WriteString(L.T("  (per-unit checks that passed are listed in the per-unit report)\n"))
	}
}

// writeWrapped writes text after prefix, wrapping at 100 columns with
// indent on continuation lines. Words break at spaces; Chinese, which has
// none, may break before any wide character (and its columns count two).
func writeWrapped(b *bytes.Buffer, prefix, indent, text string) {
	const width = 100
	line := prefix
	col := i18n.Width(prefix)
	for i, word := range strings.Fields(text) {
		for j, piece := range splitWide(word) {
			w := i18n.Width(piece)
			space := i > 0 && j == 0
			gap := 0
			if space {
				gap = 1
			}
			if (i > 0 || j > 0) && col+gap+w > width {
				b.WriteString(strings.TrimRight(line, " ") + "\n")
				line, col = indent, i18n.Width(indent)
			} else if space {
				line += " "
				col++
			}
			line += piece
			col += w
		}
	}
	b.WriteString(line + "\n")
}

// splitWide splits a word before each wide character, keeping closing
// punctuation (，。；：）、) with the character before it, so a line never
// starts with it.
func splitWide(word string) []string {
	var out []string
	start := 0
	for i, r := range word {
		if i > start && i18n.Width(string(r)) == 2 && !strings.ContainsRune("，。；：）、」", r) {
			out = append(out, word[start:i])
			start = i
		}
	}
	return append(out, word[start:])
}
