package i18n

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"simulate/scenario"
	"simulate/workflow"
)

func namesScenario() *scenario.Scenario {
	return &scenario.Scenario{
		Name: "x", Title: "Board", TitleZh: "理事会",
		Traits: []scenario.Trait{{Name: "gender", LabelZh: "性别"}, {Name: "region"}},
		Units:  []scenario.Unit{{Name: "North", NameZh: "北方"}, {Name: "South"}},
		Stages: []scenario.Stage{{Name: "nomination", LabelZh: "提名", UnitState: "nomination"}, {Name: "slate"}},
		Targets: []scenario.Target{
			{Name: "women", Label: "Women at least 40%", LabelZh: "女性不少于 40%"},
			{Name: "north", Label: "North a fifth"},
			{Name: "bare"},
		},
		Glossary: scenario.Glossary{
			Values: map[string]scenario.Label{"woman": {LabelZh: "女"}},
			States: map[string]scenario.Label{"elected": {LabelZh: "当选"}},
		},
		Vocabulary: scenario.Vocabulary{scenario.WordDeputy: {Label: "councillor", LabelZh: "理事"}, scenario.WordMember: {LabelZh: "会员"}},
	}
}

func TestNames(t *testing.T) {
	sc := namesScenario()
	tests := []struct {
		name   string
		lang   Lang
		get    func(n *Names) string
		want   string
		missed bool // shown without a Chinese name
	}{
		{"title zh", Zh, (*Names).Title, "理事会", false},
		{"title en", En, (*Names).Title, "Board", false},
		{"unit zh", Zh, func(n *Names) string { return n.Unit(0) }, "北方", false},
		{"unit zh missing", Zh, func(n *Names) string { return n.Unit(1) }, "South", true},
		{"unit en", En, func(n *Names) string { return n.Unit(0) }, "North", false},
		{"unit by name", Zh, func(n *Names) string { return n.UnitNamed("North") }, "北方", false},
		{"stage zh", Zh, func(n *Names) string { return n.Stage(0) }, "提名", false},
		{"stage zh missing: no gloss", Zh, func(n *Names) string { return n.StageNamed("slate") }, "slate", true},
		{"trait zh missing", Zh, func(n *Names) string { return n.Trait(1) }, "region", true},
		{"value", Zh, func(n *Names) string { return n.Value("woman") }, "女", false},
		{"value missing", Zh, func(n *Names) string { return n.Value("man") }, "man", true},
		{"value en", En, func(n *Names) string { return n.Value("woman") }, "woman", false},
		{"state from glossary", Zh, func(n *Names) string { return n.State("elected") }, "当选（elected）", false},
		{"state from stage", Zh, func(n *Names) string { return n.State("nomination") }, "提名（nomination）", false},
		{"state missing", Zh, func(n *Names) string { return n.State("seated") }, "seated", true},
		{"member state from the vocabulary", Zh, func(n *Names) string { return n.State("member") }, "会员（member）", false},
		{"target zh", Zh, func(n *Names) string { return n.TargetLabel("women") }, "女性不少于 40%", false},
		{"target zh missing", Zh, func(n *Names) string { return n.TargetLabel("north") }, "North a fifth", true},
		{"target without label", En, func(n *Names) string { return n.TargetLabel("bare") }, "bare", false},
		{"vocabulary", Zh, func(n *Names) string { return n.Word(scenario.WordDeputy, false) }, "理事", false},
		{"vocabulary plural", En, func(n *Names) string { return n.Word(scenario.WordDeputy, true) }, "councillors", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := NewNames(sc, tc.lang)
			assert.Equal(t, tc.want, tc.get(n))
			if tc.missed {
				assert.Equal(t, []string{tc.want}, n.Untranslated())
				assert.Contains(t, n.Footnote(), "按原文显示："+tc.want)
			} else {
				assert.Empty(t, n.Untranslated())
				assert.Empty(t, n.Footnote())
			}
		})
	}
}

func TestFootnoteListsEachNameOnceInOrder(t *testing.T) {
	n := NewNames(namesScenario(), Zh)
	n.Unit(1)
	n.Value("man")
	n.Unit(1)
	n.Trait(1)
	assert.Equal(t, []string{"South", "man", "region"}, n.Untranslated())
	assert.True(t, strings.HasSuffix(n.Footnote(), "按原文显示：South、man、region\n"))
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"en", "en", ""}, {"zh", "zh", ""},
		{"zh-CN", "", `unknown language "zh-CN" (want en or zh); did you mean zh?`},
		{"cn", "", "did you mean zh?"}, {"Chinese", "", "did you mean zh?"}, {"中文", "", "did you mean zh?"},
		{"english", "", "did you mean en?"}, {"EN", "", "did you mean en?"},
		{"fr", "", `unknown language "fr" (want en or zh)`}, {"", "", `unknown language ""`},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		assert.Equal(t, Lang(tc.want), got, tc.in)
		if tc.err == "" {
			assert.NoError(t, err, tc.in)
		} else {
			assert.ErrorContains(t, err, tc.err, tc.in)
		}
	}
	_, err := Parse("fr")
	assert.NotContains(t, err.Error(), "did you mean")
}

// FuzzParse: any input is either a language or an error; a hint names a
// language; nothing panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"en", "zh", "zh-CN", "cn", "", "中文", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := Parse(s)
		if err == nil {
			assert.Contains(t, Langs, string(l))
			assert.Equal(t, s, string(l))
			return
		}
		assert.Empty(t, l)
		if h := Hint(s); h != "" {
			assert.Contains(t, []string{"; did you mean en?", "; did you mean zh?"}, h)
		}
	})
}

func TestStateMemberIsTheMachines(t *testing.T) {
	assert.Equal(t, workflow.StateMember, stateMember)
}
