package workflow

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenDiagrams compares the teaching scenario's diagrams with
// testdata/teaching_{unit,candidate}.{dot,mmd}; run with -update to refresh.
func TestGoldenDiagrams(t *testing.T) {
	sc, _ := loadEmbedded(t, "teaching")
	w, err := Build(sc)
	require.NoError(t, err)
	for _, m := range []*Machine{w.Unit, w.Candidate} {
		for _, f := range []struct {
			ext string
			got string
		}{{"dot", m.DOT()}, {"mmd", m.Mermaid()}} {
			path := filepath.Join("testdata", "teaching_"+m.Name+"."+f.ext)
			t.Run(filepath.Base(path), func(t *testing.T) {
				if *update {
					require.NoError(t, os.MkdirAll("testdata", 0o755))
					require.NoError(t, os.WriteFile(path, []byte(f.got), 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./workflow -update to create it")
				assert.Equal(t, string(want), f.got)
			})
		}
	}
}

// TestDiagramsAreStable builds twice and requires identical diagrams (stateless
// sorts its output, but does not promise to).
func TestDiagramsAreStable(t *testing.T) {
	for range 5 {
		a, err := Build(fiveStages())
		require.NoError(t, err)
		b, err := Build(fiveStages())
		require.NoError(t, err)
		require.Equal(t, a.Unit.DOT(), b.Unit.DOT())
		require.Equal(t, a.Candidate.DOT(), b.Candidate.DOT())
		require.Equal(t, a.Unit.Mermaid(), b.Unit.Mermaid())
	}
}

// TestDiagramContents checks that every state and every edge appears by name.
func TestDiagramContents(t *testing.T) {
	w, err := Build(reordered())
	require.NoError(t, err)
	for _, m := range []*Machine{w.Unit, w.Candidate} {
		dot, mmd := m.DOT(), m.Mermaid()
		assert.True(t, strings.HasPrefix(dot, "digraph "+m.Name+" {"), dot)
		assert.True(t, strings.HasPrefix(mmd, "stateDiagram-v2\n"), mmd)
		assert.Contains(t, dot, "init -> "+m.States[m.Initial])
		assert.Contains(t, mmd, "[*] --> "+m.States[m.Initial]+"\n")
		for _, s := range m.States {
			assert.Contains(t, dot, "\t"+s+` [label="`+s+`"];`)
		}
		for _, e := range m.Edges() {
			from, trig, to := m.States[e.From], m.Triggers[e.Trigger], m.States[e.To]
			assert.Contains(t, mmd, "    "+from+" --> "+to+" : "+trig+"\n")
			assert.Contains(t, dot, "\t"+from+" -> "+to+" [label=")
			assert.NotContains(t, dot, "func1")
		}
		for s := range State(len(m.States)) {
			if m.Terminal(s) {
				assert.Contains(t, mmd, "    "+m.States[s]+" --> [*]\n")
			}
		}
	}
}

func TestMermaidAliases(t *testing.T) {
	m, err := NewMachine(Definition{Name: "odd", States: []string{"start here", "end", "a-b"},
		Triggers: []string{"go: on", "x"}, Edges: []Edge{{0, 0, 1}, {1, 1, 2}}})
	require.NoError(t, err)
	want := `stateDiagram-v2
    %% workflow: odd machine
    state "start here" as s0
    state "end" as s1
    state "a-b" as s2
    [*] --> s0
    s0 --> s1 : go#colon; on
    s1 --> s2 : x
    s2 --> [*]
`
	assert.Equal(t, want, m.Mermaid())
	assert.True(t, strings.HasPrefix(m.DOT(), "digraph odd {"))
	assert.Contains(t, m.DOT(), `"start here" -> end`)
}

func TestDOTInitClash(t *testing.T) {
	m, err := NewMachine(Definition{Name: "clash", States: []string{"init", "init_", "b"},
		Triggers: []string{"go", "on"}, Edges: []Edge{{0, 0, 1}, {1, 1, 2}}})
	require.NoError(t, err)
	dot := m.DOT()
	assert.Contains(t, dot, "\tinit [label=\"init\"];\n")
	assert.Contains(t, dot, "\tinit__ [label=\"\", shape=point];\n\tinit__ -> init\n")
	assert.NotContains(t, dot, "\tinit [label=\"\", shape=point]")
}
