package scenario

import (
	"fmt"
	"strings"
)

// Vocabulary maps a role word of the process (VocabularyWords) to the
// scenario's own word for it.
type Vocabulary map[string]Term

// Term is one word of the vocabulary in English (singular and plural) and in
// Chinese. An empty field keeps the default's.
type Term struct {
	Label   string `yaml:"label" mapstructure:"label"`
	Plural  string `yaml:"plural" mapstructure:"plural"`
	LabelZh string `yaml:"label_zh" mapstructure:"label_zh"`
}

// The words of the vocabulary.
const (
	// WordDeputy is a person elected: deputy, councillor, board member.
	WordDeputy = "deputy"
	// WordMember is a person of the pool nominees are drawn from.
	WordMember = "member"
	// WordCongress is the body that elects: congress, conference, assembly.
	WordCongress = "congress"
	// WordVoter is one entitled to vote at the congress.
	WordVoter = "voter"
	// WordUnit is an electoral unit: a delegation, a district, a branch.
	WordUnit = "unit"
)

// DefaultVocabulary is the wording of a scenario without a vocabulary block:
// that of a party congress, the default scenario's. The Chinese word for a
// member is the neutral 成员, so that a scenario that says nothing is never
// told that its members belong to a party (cpc20 names its members 党员 in
// its glossary and vocabulary).
var DefaultVocabulary = Vocabulary{
	WordDeputy:   {Label: "deputy", Plural: "deputies", LabelZh: "代表"},
	WordMember:   {Label: "member", Plural: "members", LabelZh: "成员"},
	WordCongress: {Label: "congress", Plural: "congresses", LabelZh: "大会"},
	WordVoter:    {Label: "voter", Plural: "voters", LabelZh: "选举人"},
	WordUnit:     {Label: "electoral unit", Plural: "electoral units", LabelZh: "选举单位"},
}

// VocabularyWords lists the words a vocabulary may name, in the order of
// the documentation.
var VocabularyWords = []string{WordDeputy, WordMember, WordCongress, WordVoter, WordUnit}

// Word returns the scenario's word for w: in Chinese when zh, else in
// English, plural when plural. Fields the vocabulary leaves empty fall back
// to DefaultVocabulary; an English plural that is not given is the singular
// with an "s". It panics on a word that is not in VocabularyWords (a
// programming error: the scenario's keys are validated).
func (v Vocabulary) Word(w string, zh, plural bool) string {
	d, ok := DefaultVocabulary[w]
	if !ok {
		panic("scenario: unknown vocabulary word " + w)
	}
	t := v[w]
	switch {
	case zh && t.LabelZh != "":
		return t.LabelZh
	case zh:
		return d.LabelZh
	case plural && t.Plural != "":
		return t.Plural
	case plural && t.Label != "":
		return t.Label + "s"
	case plural:
		return d.Plural
	case t.Label != "":
		return t.Label
	}
	return d.Label
}

// validateVocabulary refuses words the vocabulary does not know (with the
// nearest known word) and terms that name nothing.
func (sc *Scenario) validateVocabulary(ps *problems) {
	for _, k := range SortedKeys(sc.Vocabulary) {
		p := "vocabulary." + k
		if _, ok := DefaultVocabulary[k]; !ok {
			hint := ""
			if n := nearest(singular(k), VocabularyWords); n != "" {
				hint = fmt.Sprintf("; did you mean %q?", n)
			}
			ps.add(p, "unknown word %q (known: %s)%s", k, strings.Join(VocabularyWords, ", "), hint)
			continue
		}
		t := sc.Vocabulary[k]
		if t.Label == "" && t.Plural == "" && t.LabelZh == "" {
			ps.add(p, "names nothing: give label, plural or label_zh")
		}
		if t.Plural != "" && t.Label == "" {
			ps.add(p+".plural", "needs label (the singular) beside it")
		}
	}
}

// singular undoes an English plural ("deputies" → "deputy", "voters" →
// "voter"), so that a plural key finds its word.
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies"):
		return strings.TrimSuffix(w, "ies") + "y"
	case strings.HasSuffix(w, "sses"):
		return strings.TrimSuffix(w, "es")
	case strings.HasSuffix(w, "s"):
		return strings.TrimSuffix(w, "s")
	}
	return w
}
