package scenario

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a scenario, located by its field path
// (e.g. "units[3].seats") and, when known, its line in the YAML file.
type Problem struct {
	Path string
	// Line and Column locate the problem in the YAML file (1-based); zero
	// when unknown, or when the value came from an override.
	Line, Column int
	Msg          string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error reports every problem found in a scenario. It is the only error type
// the loader returns for bad input, so callers can map it to a usage exit code.
type Error struct {
	// Source names the file or embedded scenario.
	Source string
	// What is invalid, in the message: "scenario" unless set (an exercise
	// file reports its problems the same way).
	What     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	n := len(e.Problems)
	src := e.Source
	what := e.What
	if what == "" {
		what = "scenario"
	}
	if src == "" {
		src = what
	}
	if n == 1 {
		fmt.Fprintf(&b, "%s: invalid %s: %s", src, what, e.Problems[0])
		return b.String()
	}
	fmt.Fprintf(&b, "%s: invalid %s (%d problems):", src, what, n)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects problems with a path prefix.
type problems struct {
	list []Problem
	// noLine marks problems (by index) whose value did not come from the
	// file, so no file line is looked up for them.
	noLine map[int]bool
}

func (ps *problems) add(path, format string, args ...any) {
	ps.list = append(ps.list, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// addNoLine adds a problem that is not about a line of the file.
func (ps *problems) addNoLine(path, format string, args ...any) {
	if ps.noLine == nil {
		ps.noLine = map[int]bool{}
	}
	ps.noLine[len(ps.list)] = true
	ps.add(path, format, args...)
}

// err returns the problems as an *Error, or nil; lineOf finds the YAML line
// of a field path (0 when unknown).
func (ps *problems) err(source string, lineOf func(path string) int) error {
	if len(ps.list) == 0 {
		return nil
	}
	for i := range ps.list {
		if ps.list[i].Line == 0 && !ps.noLine[i] {
			ps.list[i].Line = lineOf(ps.list[i].Path)
		}
	}
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		if (a.Line == 0) != (b.Line == 0) {
			return a.Line != 0
		}
		return a.Line < b.Line
	})
	return &Error{Source: source, Problems: ps.list}
}

// Error makes a single problem an error.
func (p *Problem) Error() string { return p.String() }
