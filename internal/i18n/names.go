package i18n

import (
	"strings"

	"simulate/scenario"
)

// Names gives the scenario's identifiers (title, units, stages, traits and
// their values, targets, shares, veto reasons, machine states) their display
// names in one language, and remembers, in the order first used, every name
// shown in Chinese without a Chinese name, for the footnote. A Names belongs
// to one output; it is not safe for concurrent use.
type Names struct {
	Lang    Lang
	sc      *scenario.Scenario
	missing []string
	seen    map[string]bool
}

// NewNames returns the display names of sc's identifiers in lang.
func NewNames(sc *scenario.Scenario, lang Lang) *Names {
	return &Names{Lang: lang, sc: sc, seen: map[string]bool{}}
}

// untranslated records s as shown in Chinese without a Chinese name and
// returns it.
func (n *Names) untranslated(s string) string {
	if n.Lang == Zh && s != "" && !n.seen[s] {
		n.seen[s] = true
		n.missing = append(n.missing, s)
	}
	return s
}

// Untranslated lists the names shown so far without a Chinese name.
func (n *Names) Untranslated() []string { return n.missing }

// Footnote is the closing note of a Chinese output that showed names
// without a Chinese name: it lists them, so a reader knows that English
// there is the scenario's, not a gap of the program. "" in English or when
// every name had its Chinese name.
func (n *Names) Footnote() string {
	if n.Lang != Zh || len(n.missing) == 0 {
		return ""
	}
	return "注：以下名称场景未给出中文名（name_zh、label_zh、title_zh 或 glossary），按原文显示：" +
		strings.Join(n.missing, "、") + "\n"
}

// Word is the scenario's word for a role (scenario.WordDeputy …).
func (n *Names) Word(w string, plural bool) string {
	return n.sc.Vocabulary.Word(w, n.Lang == Zh, plural)
}

// Title is the scenario's title (its name when it has none).
func (n *Names) Title() string {
	sc := n.sc
	switch {
	case n.Lang == Zh && sc.TitleZh != "":
		return sc.TitleZh
	case sc.Title == "":
		return sc.Name
	case n.Lang == Zh:
		return n.untranslated(sc.Title)
	}
	return sc.Title
}

// Unit is the name of unit u: its name_zh in Chinese.
func (n *Names) Unit(u int) string {
	un := &n.sc.Units[u]
	if n.Lang == Zh {
		if un.NameZh != "" {
			return un.NameZh
		}
		return n.untranslated(un.Name)
	}
	return un.Name
}

// UnitNamed is Unit of the unit called name (name itself when there is none).
func (n *Names) UnitNamed(name string) string {
	for u := range n.sc.Units {
		if n.sc.Units[u].Name == name {
			return n.Unit(u)
		}
	}
	return n.untranslated(name)
}

// Stage is the name of stage s: its identifier in English (the name --set
// paths and funnels use), its label_zh in Chinese.
func (n *Names) Stage(s int) string {
	st := &n.sc.Stages[s]
	if n.Lang == Zh {
		if st.LabelZh != "" {
			return st.LabelZh
		}
		return n.untranslated(st.Name)
	}
	return st.Name
}

// StageNamed is Stage of the stage called name.
func (n *Names) StageNamed(name string) string {
	for s := range n.sc.Stages {
		if n.sc.Stages[s].Name == name {
			return n.Stage(s)
		}
	}
	return n.untranslated(name)
}

// Trait is the name of trait t: its identifier in English, its label_zh in
// Chinese.
func (n *Names) Trait(t int) string {
	tr := &n.sc.Traits[t]
	if n.Lang == Zh {
		if tr.LabelZh != "" {
			return tr.LabelZh
		}
		return n.untranslated(tr.Name)
	}
	return tr.Name
}

// Value is the display name of a trait value, from the glossary.
func (n *Names) Value(v string) string {
	if s, ok := n.sc.Glossary.Value(v, n.Lang == Zh); ok {
		return s
	}
	return n.untranslated(v)
}

// Reason is the display name of a veto reason, from the glossary.
func (n *Names) Reason(r string) string {
	if s, ok := n.sc.Glossary.Reason(r, n.Lang == Zh); ok {
		return s
	}
	return n.untranslated(r)
}

// StateZh is the Chinese name of a machine state: the glossary's, or for a
// stage's unit state the stage's label_zh, or for the candidate machine's
// first state, member, the vocabulary's word for a member when the
// scenario gives one; false when there is none.
func StateZh(sc *scenario.Scenario, id string) (string, bool) {
	if z, ok := sc.Glossary.State(id, true); ok {
		return z, true
	}
	for _, st := range sc.Stages {
		if st.UnitState == id && st.LabelZh != "" {
			return st.LabelZh, true
		}
	}
	if id == stateMember {
		if z := sc.Vocabulary[scenario.WordMember].LabelZh; z != "" {
			return z, true
		}
	}
	return "", false
}

// stateMember is the candidate machine's first state (workflow.StateMember;
// i18n does not import the machines).
const stateMember = "member"

// State is a machine state: its identifier in English; in Chinese its
// Chinese name followed by the identifier, "当选（elected）".
func (n *Names) State(id string) string {
	if n.Lang != Zh {
		return id
	}
	if z, ok := StateZh(n.sc, id); ok {
		return z + "（" + id + "）"
	}
	return n.untranslated(id)
}

// TargetLabel is a target's label (its name when it has none); in Chinese
// its label_zh.
func (n *Names) TargetLabel(name string) string {
	for i := range n.sc.Targets {
		if t := &n.sc.Targets[i]; t.Name == name {
			return n.label(t.Name, t.Label, t.LabelZh)
		}
	}
	return n.untranslated(name)
}

// ShareLabel is a tracked share's label (its name when it has none); in
// Chinese its label_zh.
func (n *Names) ShareLabel(name string) string {
	for i := range n.sc.Shares {
		if s := &n.sc.Shares[i]; s.Name == name {
			return n.label(s.Name, s.Label, s.LabelZh)
		}
	}
	return n.untranslated(name)
}

func (n *Names) label(name, en, zh string) string {
	switch {
	case n.Lang == Zh && zh != "":
		return zh
	case en == "":
		en = name
	}
	if n.Lang == Zh {
		return n.untranslated(en)
	}
	return en
}

// TraitNamed is Trait of the trait called name.
func (n *Names) TraitNamed(name string) string {
	for t := range n.sc.Traits {
		if n.sc.Traits[t].Name == name {
			return n.Trait(t)
		}
	}
	return n.untranslated(name)
}
