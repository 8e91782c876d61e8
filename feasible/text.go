package feasible

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"simulate/scenario"
	"strings"
)

// TextOptions adjust the terminal report.
type TextOptions struct {
	// ByUnit adds every unit's needs, worst-case ballot and inverse funnel,
	// and every arithmetic check.
	ByUnit bool
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
func Summary(r *Report) string {
	var b bytes.Buffer
	writeVerdict(&b, r)
	writeConflicts(&b, r)
	writeRepairs(&b, r)
	for _, n := range r.Notes {
		writeWrapped(&b, "\nNote: ", "  ", n)
	}
	return b.String()
}

func writeText(b *bytes.Buffer, r *Report, opts TextOptions) {
	title := r.Scenario
	if r.Title != "" {
		title += ": " + r.Title
	}
	fmt.Fprintf(b, "Exact feasibility — %s\n", title)
	central := ""
	if r.Central > 0 {
		central = fmt.Sprintf(" (%d centrally nominated)", r.Central)
	}
	hash := r.Hash
	if len(hash) > 12 {
		hash = hash[:12]
	}
	fmt.Fprintf(b, "%s, %d seats%s, %s; scenario sha256 %s", plural(r.Units, "unit"), r.Seats, central, plural(len(r.Targets), "target"), hash)
	if r.Version != "" {
		fmt.Fprintf(b, "; simulate %s", r.Version)
	}
	b.WriteString("\n\n")
	writeVerdict(b, r)

	if len(r.Targets) > 0 {
		b.WriteString("\nTargets\n")
		for _, t := range r.Targets {
			writeWrapped(b, "  "+t.Name+" — ", "      ", t.Text)
		}
	}
	writeConflicts(b, r)
	writeRepairs(b, r)
	for _, n := range r.Notes {
		writeWrapped(b, "\nNote: ", "  ", n)
	}
	writeGuarantee(b, r, opts)
	if opts.ByUnit {
		writeUnits(b, r)
	}
	writeChecks(b, r, opts)
	b.WriteString("\nAssumptions\n")
	for _, a := range r.Assumptions {
		writeWrapped(b, "  - ", "    ", a)
	}
	s := r.Solver
	fmt.Fprintf(b, "\nSolved in %.0f ms: %d integer problems (largest %d variables, %d rows, %d atoms), %d branch-and-bound nodes, %d pivots.\n",
		s.Millis, s.Problems, s.Variables, s.Rows, s.Atoms, s.Nodes, s.Pivots)
}

func writeVerdict(b *bytes.Buffer, r *Report) {
	switch r.Verdict {
	case "feasible":
		b.WriteString("VERDICT: FEASIBLE — every target and quota can be met at once, in every unit and nationally.\n")
	case "infeasible":
		n := len(r.Conflicts)
		proof := ""
		if r.Certified {
			proof = " (proven: exact certificates)"
		}
		what := "1 conflict"
		if n != 1 {
			what = fmt.Sprintf("%d conflicts", n)
		}
		fmt.Fprintf(b, "VERDICT: INFEASIBLE — the targets cannot all be met, whatever happens: no trial of the simulation meets them; %s below%s.\n", what, proof)
	case "conditional":
		n := len(r.Conflicts)
		what := "1 conflict"
		if n != 1 {
			what = fmt.Sprintf("%d conflicts", n)
		}
		fmt.Fprintf(b, "VERDICT: NOT AS PLANNED — the targets cannot all be met with every seat filled, every central candidate elected and every quota met (%s below); a trial can meet them only if:\n", what)
		for _, x := range r.Relies {
			writeWrapped(b, "  - ", "    ", x)
		}
	default:
		b.WriteString("VERDICT: UNKNOWN — the search hit a limit before deciding (see the notes; raise the node or time limit).\n")
	}
}

func writeConflicts(b *bytes.Buffer, r *Report) {
	if len(r.Conflicts) == 0 {
		return
	}
	minimal := true
	for _, cf := range r.Conflicts {
		minimal = minimal && cf.Minimal
	}
	if minimal {
		b.WriteString("\nConflicts (each is minimal: drop any one member and the rest can be met)\n")
	} else {
		b.WriteString("\nConflicts (a limit stopped the search before every set was shown minimal: those marked may hold members the conflict does not need)\n")
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
			b.WriteString("     (a solver limit stopped the search: this set may not be minimal)\n")
		}
	}
}

func writeRepairs(b *bytes.Buffer, r *Report) {
	if r.Planned != VerdictInfeasible {
		return
	}
	if len(r.Repairs) == 0 {
		b.WriteString("\nNo relaxation of the targets within the limits makes the whole scenario feasible")
		for _, cf := range r.Conflicts {
			if cf.Structural {
				b.WriteString(" (a unit's lists cannot be filled: change its pools, weights or vetoes)")
				break
			}
		}
		b.WriteString(".\n")
		return
	}
	if r.RepairsTogether {
		b.WriteString("\nSmallest repair (no single change suffices; together these make the whole scenario feasible):\n")
	} else {
		b.WriteString("\nSmallest repairs (any one of these alone makes the whole scenario feasible):\n")
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
	b.WriteString("\nWorst case: can the ballots be composed so that the vote cannot break the targets?\n")
	verdict := map[string]string{"guaranteed": "YES", "not_guaranteed": "NO", "unknown": "UNKNOWN", "not_assessed": "NOT ASSESSED"}[r.Guarantee.Verdict]
	fmt.Fprintf(b, "  %s.\n", verdict)
	for _, t := range r.Guarantee.Text {
		if strings.HasPrefix(t, "  ") {
			writeWrapped(b, "    ", "      ", strings.TrimSpace(t))
			continue
		}
		writeWrapped(b, "  ", "  ", t)
	}
	if opts.ByUnit {
		return
	}
	// A compact table of the least worst-case ballot per unit.
	var rows []string
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
			mark = "  ✗ cannot be guaranteed"
		case "unknown":
			mark = "  ? undecided"
		}
		rows = append(rows, fmt.Sprintf("  %-30s %5d %6d %8d  %s%s", u.Name, u.Seats, u.Ballot, u.Extra, strings.Join(parts, ", "), mark))
	}
	if len(rows) > 0 {
		b.WriteString("\n  Least composition of each unit's ballot for its unit-level targets (the per-unit report shows every list):\n")
		fmt.Fprintf(b, "  %-30s %5s %6s %8s  %s\n", "unit", "seats", "ballot", "defeated", "the ballot's local names need (elected)")
		for _, row := range rows {
			b.WriteString(row + "\n")
		}
	}
}

func plural(n int, what string) string {
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

func writeUnits(b *bytes.Buffer, r *Report) {
	b.WriteString("\nUnits: what each target asks, the least worst-case ballot, and the inverse funnel\n")
	for _, u := range r.UnitReports {
		seats := fmt.Sprintf("%d seats", u.Seats)
		if u.Central > 0 {
			seats = fmt.Sprintf("%d seats (%d local + %d central)", u.Seats, u.Local, u.Central)
		}
		vote := fmt.Sprintf("ballot %d local names, %d defeated", u.Ballot, u.Extra)
		switch {
		case !r.Election:
			vote = "no vote: the final list is drawn up directly"
		case u.Extra == 0:
			vote = fmt.Sprintf("ballot %d local names, none defeated", u.Ballot)
		}
		guar := map[Verdict]string{"feasible": "guaranteed", "infeasible": "not guaranteed", "unknown": "undecided"}[u.GuaranteeVerdict]
		if !r.Election {
			fmt.Fprintf(b, "\n  %s — %s; %s; possible: %s\n", u.Name, seats, vote, yesNo(u.Verdict))
		} else {
			fmt.Fprintf(b, "\n  %s — %s; %s; possible: %s; worst case: %s\n", u.Name, seats, vote, yesNo(u.Verdict), guar)
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
			writeWrapped(b, "    ", "      ", "its proportional part of the national targets (informational): "+strings.Join(national, "; "))
		}
		for _, note := range u.Notes {
			writeWrapped(b, "    ! ", "      ", note)
		}
		if len(u.Funnel) > 0 && hasFunnelNeeds(u.Funnel) {
			b.WriteString("    least composition of each list (filters assumed to remove nobody; \"expected\": what nomination\n")
			b.WriteString("    alone gives on average, from the pools and nomination weights):\n")
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
	fmt.Fprintf(b, "\nArithmetic checks (exact integer rounding): %d passed, %d failed\n", passed, failed)
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
		b.WriteString("  (per-unit checks that passed are listed in the per-unit report)\n")
	}
}

// writeWrapped writes text after prefix, wrapping at 100 columns with
// indent on continuation lines.
func writeWrapped(b *bytes.Buffer, prefix, indent, text string) {
	const width = 100
	line := prefix
	col := len([]rune(prefix))
	for i, word := range strings.Fields(text) {
		w := len([]rune(word))
		if i > 0 && col+1+w > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line, col = indent, len([]rune(indent))
		} else if i > 0 {
			line += " "
			col++
		}
		line += word
		col += w
	}
	b.WriteString(line + "\n")
}
