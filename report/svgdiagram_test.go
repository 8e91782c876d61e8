package report

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/workflow"
)

// TestMachineSVG draws both machines of every embedded scenario and checks
// that each picture is well-formed XML with one box per state, every trigger
// written on an arrow, unique element ids, and a size that holds it.
func TestMachineSVG(t *testing.T) {
	for _, name := range []string{"teaching", "union", "cpc20"} {
		sc, _ := loadEmbedded(t, name)
		wf, err := workflow.Build(sc)
		require.NoError(t, err)
		for _, m := range []*workflow.Machine{wf.Unit, wf.Candidate} {
			t.Run(name+"/"+m.Name, func(t *testing.T) {
				svg := MachineSVG(m, DiagramOptions{Sublabel: ChineseStateNames(sc)})
				dec := xml.NewDecoder(strings.NewReader(svg))
				ids := map[string]bool{}
				states, texts := 0, map[string]bool{}
				var inText bool
				for {
					tok, err := dec.Token()
					if err == io.EOF {
						break
					}
					require.NoError(t, err)
					switch el := tok.(type) {
					case xml.StartElement:
						inText = el.Name.Local == "text"
						for _, a := range el.Attr {
							if a.Name.Local == "id" {
								assert.False(t, ids[a.Value], "duplicate id %s", a.Value)
								ids[a.Value] = true
							}
							if a.Name.Local == "class" && el.Name.Local == "g" && strings.HasPrefix(a.Value, "state") {
								states++
							}
						}
					case xml.CharData:
						if inText {
							texts[string(el)] = true
						}
					case xml.EndElement:
						inText = false
					}
				}
				assert.Equal(t, len(m.States), states)
				for _, s := range m.States {
					assert.True(t, texts[s], "state %s labelled", s)
				}
				for _, tr := range m.Triggers {
					assert.True(t, texts[tr], "trigger %s labelled", tr)
				}
				assert.Contains(t, svg, `marker-end="url(#`+m.Name+`-arrow)"`)
			})
		}
	}
}

func TestMachineSVGLayout(t *testing.T) {
	sc, _ := loadEmbedded(t, "teaching")
	wf, err := workflow.Build(sc)
	require.NoError(t, err)
	svg := MachineSVG(wf.Candidate, DiagramOptions{ID: "c 1"})
	assert.Contains(t, svg, `id="c_1"`, "ids are sanitised")
	assert.Contains(t, svg, `class="state dropped" id="c_1-vetoed"`, "dropped terminal states are marked")
	assert.Contains(t, svg, `class="state final" id="c_1-seated"`, "the last pass state is final")
	assert.Contains(t, svg, `class="edge loop"`, "the further round re-enters itself")
	assert.Contains(t, svg, `class="edge long"`, "reserve → elected skips the further-round layer")
	assert.Equal(t, "d", sanitizeID(""))
	assert.InDelta(t, 2*12.0, textWidth("推荐", 12), 1e-9)
}
