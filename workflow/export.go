package workflow

import (
	"fmt"
	"strconv"
	"strings"
)

// plainID reports whether s can be written as is as a DOT or Mermaid
// identifier: an ASCII letter or '_' followed by letters, digits or '_'.
func plainID(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// dotID quotes s as a DOT identifier when it is not plain.
func dotID(s string) string {
	if plainID(s) && !dotKeyword[strings.ToLower(s)] {
		return s
	}
	return strconv.Quote(s)
}

var dotKeyword = map[string]bool{"node": true, "edge": true, "graph": true, "digraph": true, "subgraph": true, "strict": true}

// renderDOT names the digraph drawn by stateless after the machine, and
// renames stateless's initial-state point ("init") when a state has that name.
func (m *Machine) renderDOT(graph string) string {
	graph = strings.Replace(graph, "digraph {", "digraph "+dotID(m.Name)+" {", 1)
	if _, clash := m.stateIdx["init"]; clash {
		point := "init_"
		for {
			if _, taken := m.stateIdx[point]; !taken {
				break
			}
			point += "_"
		}
		const tail = "\tinit [label=\"\", shape=point];\n\tinit -> "
		graph = strings.Replace(graph, tail, "\t"+point+" [label=\"\", shape=point];\n\t"+point+" -> ", 1)
	}
	return graph
}

// mermaidKeyword lists words a Mermaid state diagram reads as syntax.
var mermaidKeyword = map[string]bool{
	"state": true, "note": true, "end": true, "direction": true, "class": true,
	"classdef": true, "style": true, "click": true, "as": true, "left": true,
	"right": true, "of": true, "over": true, "fork": true, "join": true, "choice": true,
}

// renderMermaid writes the machine as a stateDiagram-v2. A state whose name is
// not a safe identifier is declared under an alias (s<index>) with its name as
// the label.
func (m *Machine) renderMermaid() string {
	ids := make([]string, len(m.States))
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	fmt.Fprintf(&b, "    %%%% workflow: %s machine\n", m.Name)
	for i, s := range m.States {
		if plainID(s) && !mermaidKeyword[strings.ToLower(s)] {
			ids[i] = s
			continue
		}
		ids[i] = fmt.Sprintf("s%d", i)
		fmt.Fprintf(&b, "    state %q as %s\n", strings.ReplaceAll(s, `"`, "#quot;"), ids[i])
	}
	fmt.Fprintf(&b, "    [*] --> %s\n", ids[m.Initial])
	for _, e := range m.edges {
		label := strings.NewReplacer(":", "#colon;", "\n", " ").Replace(m.Triggers[e.Trigger])
		fmt.Fprintf(&b, "    %s --> %s : %s\n", ids[e.From], ids[e.To], label)
	}
	for i := range m.States {
		if m.Terminal(State(i)) {
			fmt.Fprintf(&b, "    %s --> [*]\n", ids[i])
		}
	}
	return b.String()
}
