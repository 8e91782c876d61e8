package exercise

import (
	"fmt"

	"simulate/internal/i18n"
)

// In returns the exercise as a reader of the language sees it: in Chinese
// (zh) its title, question, hints, explanation and feedback are the _zh
// texts, each falling back to the English text where the exercise has no
// Chinese one (Untranslated lists which). The answer, scenario and grading
// are the same in both languages.
func (ex *Exercise) In(zh bool) *Exercise {
	if !zh {
		return ex
	}
	c := *ex
	pick := func(dst *string, zh string) {
		if zh != "" {
			*dst = zh
		}
	}
	pick(&c.Title, ex.TitleZh)
	pick(&c.Question, ex.QuestionZh)
	pick(&c.Explanation, ex.ExplanationZh)
	pick(&c.Wrong, ex.WrongZh)
	if len(ex.HintsZh) > 0 {
		c.Hints = ex.HintsZh
	}
	return &c
}

// Untranslated names the texts of the exercise that have no Chinese form.
func (ex *Exercise) Untranslated() []string {
	var out []string
	for _, f := range []struct {
		name    string
		en, zh  string
		enN, zN int
	}{
		{"title_zh", ex.Title, ex.TitleZh, 0, 0},
		{"question_zh", ex.Question, ex.QuestionZh, 0, 0},
		{"hints_zh", "", "", len(ex.Hints), len(ex.HintsZh)},
		{"explanation_zh", ex.Explanation, ex.ExplanationZh, 0, 0},
		{"wrong_zh", ex.Wrong, ex.WrongZh, 0, 0},
	} {
		if f.en != "" && f.zh == "" || f.enN > 0 && f.zN == 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// checkChinese refuses Chinese hints that do not match the English ones one
// for one (a hint would be lost or shown out of order).
func (ex *Exercise) checkChinese() []string {
	if len(ex.HintsZh) > 0 && len(ex.HintsZh) != len(ex.Hints) {
		return []string{fmt.Sprintf("has %d hints, hints has %d: give each hint in both languages", len(ex.HintsZh), len(ex.Hints))}
	}
	return nil
}

// FormatIn is the answer's format in the language: Format in English.
func (a *Answer) FormatIn(L i18n.Lang) string {
	if !L.Zh() {
		return a.Format()
	}
	switch a.Kind {
	case KindLeast, KindGreatest:
		return fmt.Sprintf(L.T("a number from %g to %g in steps of %g"), a.Min, a.Max, a.Step)
	case KindEstimate:
		unit := ""
		if a.Unit != "" {
			unit = fmt.Sprintf(L.T(" in %s"), L.T(a.Unit))
		}
		return fmt.Sprintf(L.T("a number%s (accepted within ±%g)"), unit, a.Tolerance)
	case KindChoice:
		var names []string
		for _, o := range a.Options {
			names = append(names, o.Name)
		}
		return L.T("one of ") + L.List(names)
	case KindFeasible:
		return L.T("a whole percentage, e.g. 45")
	}
	return L.T("see the question")
}
