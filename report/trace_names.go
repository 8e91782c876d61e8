package report

import (
	"math"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
	"simulate/sim"
)

// Names in the narrative. Everything the scenario names (units, stages,
// traits, their values, states, veto reasons) is displayed by the
// scenario's own words: name_zh, label, label_zh and the glossary. An
// identifier without a display name is printed as is. Only the engine's own
// vocabulary (why a person passed or left, a vote's verdict) is translated
// here.

// engineReasons are the engine's reasons in English and Chinese.
var engineReasons = map[string][2]string{
	sim.ReasonRecommended: {"recommended", "被推荐"},
	sim.ReasonSentBack:    {"sent back down", "退回，另行推荐"},
	sim.ReasonNotSelected: {"not selected", "未入选"},
	sim.ReasonDefeated:    {"defeated", "落选"},
	sim.ReasonNoQuorum:    {"no quorum", "未达到法定人数"},
}

// verdicts are a vote's or a draw's verdict in English and Chinese.
var verdicts = map[string][2]string{
	sim.VerdictElected:   {"elected", "当选"},
	sim.VerdictBelow:     {"below the majority", "未过半数"},
	sim.VerdictOutranked: {"passed, outranked", "过半数，但票数排名在后"},
	sim.VerdictTied:      {"tied at the last seat", "末位票数相同"},
	sim.VerdictDrawn:     {"drawn by lot", "抽签当选"},
	sim.VerdictNotDrawn:  {"not drawn", "抽签未当选"},
}

func (n *narrator) t(en, zh string) string {
	if n.zh {
		return zh
	}
	return en
}

func (n *narrator) word(w [2]string) string { return n.t(w[0], w[1]) }

// vocab is the scenario's word for a role (scenario.WordDeputy …).
func (n *narrator) vocab(w string, plural bool) string { return n.nm.Word(w, plural) }

// state renders a state of a machine: as is in English, with its Chinese
// name first in Chinese (the glossary's, or for a stage's unit state the
// stage's label_zh).
func (n *narrator) state(id string) string { return n.nm.State(id) }

func (n *narrator) value(v string) string { return n.nm.Value(v) }

func (n *narrator) reason(r string) string {
	if w, ok := engineReasons[r]; ok {
		return n.word(w)
	}
	return n.nm.Reason(r)
}

func (n *narrator) verdict(v string) string {
	if w, ok := verdicts[v]; ok {
		return n.word(w)
	}
	return v
}

func (n *narrator) stageName(i int) string {
	st := &n.sc.Stages[i]
	if n.zh {
		if st.LabelZh == "" {
			return n.nm.Stage(i)
		}
		return st.LabelZh + "（" + st.Name + "）"
	}
	if st.Label != "" {
		return st.Label + " (" + st.Name + ")"
	}
	return st.Name
}

func (n *narrator) traitName(i int) string { return n.nm.Trait(i) }

// unitName is a unit's heading name: both names, the reader's language's
// first.
func (n *narrator) unitName(u int) string {
	un := &n.sc.Units[u]
	switch {
	case un.NameZh == "":
		return n.nm.Unit(u)
	case n.zh:
		return un.NameZh + "（" + un.Name + "）"
	}
	return un.Name + " (" + un.NameZh + ")"
}

// person lists a person's trait values in the scenario's trait order.
func (n *narrator) person(p *sim.Person) string {
	if p == nil {
		return "?"
	}
	parts := make([]string, 0, len(n.sc.Traits)+1)
	for _, t := range n.sc.Traits {
		parts = append(parts, n.value(p.Traits[t.Name]))
	}
	if p.Central {
		parts = append(parts, n.t("centrally nominated", "中央提名"))
	}
	return strings.Join(parts, n.t(", ", "，"))
}

// ChineseStateNames returns a Sublabel function giving the Chinese name of
// a state of the scenario's machines: the glossary's, or for a stage's unit
// state the stage's label_zh; "" when the scenario has none.
func ChineseStateNames(sc *scenario.Scenario) func(string) string {
	return func(state string) string {
		z, _ := i18n.StateZh(sc, state)
		return z
	}
}

// percent is a share in per cent, rounded to six decimals (0.29 is 29, not
// 28.999999999999996).
func percent(x float64) float64 { return math.Round(100*x*1e6) / 1e6 }
