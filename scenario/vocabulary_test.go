package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVocabularyWord(t *testing.T) {
	union := Vocabulary{
		WordDeputy: {Label: "councillor", Plural: "councillors", LabelZh: "理事"},
		WordVoter:  {Label: "delegate"},
		WordMember: {LabelZh: "会员"},
	}
	tests := []struct {
		name     string
		v        Vocabulary
		word     string
		zh, plur bool
		want     string
	}{
		{"default singular", nil, WordDeputy, false, false, "deputy"},
		{"default plural", nil, WordDeputy, false, true, "deputies"},
		{"default zh", nil, WordCongress, true, false, "大会"},
		{"default member zh is neutral", nil, WordMember, true, false, "成员"},
		{"own plural", union, WordDeputy, false, true, "councillors"},
		{"own zh", union, WordDeputy, true, false, "理事"},
		{"plural from singular", union, WordVoter, false, true, "delegates"},
		{"zh falls back to default", union, WordVoter, true, false, "选举人"},
		{"en falls back to default", union, WordMember, false, true, "members"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.v.Word(tt.word, tt.zh, tt.plur))
		})
	}
	assert.Panics(t, func() { Vocabulary(nil).Word("deputies", false, false) })
}

func TestVocabularyWordsHaveDefaults(t *testing.T) {
	assert.Len(t, DefaultVocabulary, len(VocabularyWords))
	for _, w := range VocabularyWords {
		d := DefaultVocabulary[w]
		assert.NotEmpty(t, d.Label, w)
		assert.NotEmpty(t, d.Plural, w)
		assert.NotEmpty(t, d.LabelZh, w)
	}
}

func TestHashLeavesOutDisplayNames(t *testing.T) {
	sc := &Scenario{Name: "x", Targets: []Target{{Name: "t"}}, Shares: []Share{{Name: "s"}}}
	h := sc.Hash()
	sc.TitleZh = "标题"
	sc.Targets[0].LabelZh = "目标"
	sc.Shares[0].LabelZh = "比例"
	sc.Vocabulary = Vocabulary{WordDeputy: {Label: "councillor"}}
	assert.Equal(t, h, sc.Hash())
	assert.Equal(t, "目标", sc.Targets[0].LabelZh, "Hash must not change the scenario")
	sc.Targets[0].Label = "target"
	assert.NotEqual(t, h, sc.Hash(), "English labels stay part of the hash")
}
