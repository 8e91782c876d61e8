package scenario

import "fmt"

// validateGlossary checks that the glossary's keys are identifiers. A key
// that names nothing in the scenario is allowed, so that overrides which
// remove stages or trait values leave a scenario with a glossary valid.
func (sc *Scenario) validateGlossary(ps *problems) {
	g := &sc.Glossary
	for _, part := range []struct {
		key   string
		names map[string]Label
	}{{"values", g.Values}, {"states", g.States}, {"reasons", g.Reasons}} {
		for _, k := range SortedKeys(part.names) {
			checkIdent(ps, fmt.Sprintf("glossary.%s.%s", part.key, k), k)
		}
	}
}

// name is the label in English, or in Chinese when zh.
func (l Label) name(zh bool) string {
	if zh {
		return l.LabelZh
	}
	return l.Label
}

// Value, State and Reason return the glossary's display name of a trait
// value, a state of the unit or candidate machine, or a veto reason, in
// English or Chinese (zh), and false when it has none.
func (g *Glossary) Value(id string, zh bool) (string, bool)  { return lookup(g.Values, id, zh) }
func (g *Glossary) State(id string, zh bool) (string, bool)  { return lookup(g.States, id, zh) }
func (g *Glossary) Reason(id string, zh bool) (string, bool) { return lookup(g.Reasons, id, zh) }

func lookup(m map[string]Label, id string, zh bool) (string, bool) {
	s := m[id].name(zh)
	return s, s != ""
}
