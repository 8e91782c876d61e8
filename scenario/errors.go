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
	Line int
	Msg  string
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
	Source   string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	n := len(e.Problems)
	src := e.Source
	if src == "" {
		src = "scenario"
	}
	if n == 1 {
		fmt.Fprintf(&b, "%s: invalid scenario: %s", src, e.Problems[0])
		return b.String()
	}
	fmt.Fprintf(&b, "%s: invalid scenario (%d problems):", src, n)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects problems with a path prefix.
type problems struct {
	list []Problem
}

func (ps *problems) add(path, format string, args ...any) {
	ps.list = append(ps.list, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (ps *problems) err(source string, lines map[string]int) error {
	if len(ps.list) == 0 {
		return nil
	}
	for i := range ps.list {
		if ps.list[i].Line == 0 {
			ps.list[i].Line = lineFor(lines, ps.list[i].Path)
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

// lineFor finds the line of the longest prefix of path that the YAML file has.
func lineFor(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return 0
}
