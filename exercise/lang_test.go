package exercise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
)

func TestEmbeddedExercisesAreInChinese(t *testing.T) {
	all, err := Load(configs.Exercises())
	require.NoError(t, err)
	for _, ex := range all {
		assert.Empty(t, ex.Untranslated(), ex.ID)
		zh := ex.In(true)
		assert.Equal(t, ex.TitleZh, zh.Title, ex.ID)
		assert.Equal(t, ex.QuestionZh, zh.Question, ex.ID)
		assert.Equal(t, ex.HintsZh, zh.Hints, ex.ID)
		assert.Same(t, ex, ex.In(false), "English is the exercise itself")
	}
}

func TestChineseFallsBackToEnglish(t *testing.T) {
	ex := &Exercise{Title: "T", Question: "Q", Hints: []string{"h1", "h2"}, Explanation: "E", Wrong: "W", QuestionZh: "问"}
	zh := ex.In(true)
	assert.Equal(t, "T", zh.Title)
	assert.Equal(t, "问", zh.Question)
	assert.Equal(t, []string{"h1", "h2"}, zh.Hints)
	assert.Equal(t, []string{"title_zh", "hints_zh", "explanation_zh", "wrong_zh"}, ex.Untranslated())
	assert.Equal(t, "Q", ex.Question, "In must not change the exercise")

	assert.Empty(t, ex.checkChinese())
	ex.HintsZh = []string{"提示"}
	assert.Equal(t, []string{"has 1 hints, hints has 2: give each hint in both languages"}, ex.checkChinese())
}
