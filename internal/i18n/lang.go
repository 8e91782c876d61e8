package i18n

import (
	"fmt"
	"strings"
)

// Lang is a language of the program's human output.
type Lang string

// The languages.
const (
	En Lang = "en"
	Zh Lang = "zh"
)

// Langs lists the languages, as the --lang flag takes them.
var Langs = []string{string(En), string(Zh)}

// Parse returns the language s names, or an error that lists the languages
// and, for a near miss (zh-CN, cn, chinese, english …), says which was meant.
func Parse(s string) (Lang, error) {
	switch Lang(s) {
	case En, Zh:
		return Lang(s), nil
	}
	return "", fmt.Errorf("unknown language %q (want %s)%s", s, strings.Join(Langs, " or "), Hint(s))
}

// Hint is "; did you mean zh?" when s is a near miss of a language (zh-CN,
// cn, chinese, english …), else "".
func Hint(s string) string {
	if m := nearLang(s); m != "" {
		return fmt.Sprintf("; did you mean %s?", m)
	}
	return ""
}

func nearLang(s string) Lang {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "":
		return ""
	case strings.HasPrefix(l, "zh"), strings.HasPrefix(l, "cn"), strings.HasPrefix(l, "ch"),
		strings.HasPrefix(l, "中"), strings.HasPrefix(l, "汉"), l == "z", l == "h":
		return Zh
	case strings.HasPrefix(l, "en"), strings.HasPrefix(l, "eng"), l == "e", l == "n", l == "us", l == "uk", l == "gb":
		return En
	}
	return ""
}

// Zh reports whether the language is Chinese.
func (l Lang) Zh() bool { return l == Zh }

// T returns the fixed text en in the language: en itself in English, its
// catalogue entry in Chinese. Text the catalogue lacks is returned in
// English; the catalogue test makes that a failing test, not an output.
func (l Lang) T(en string) string {
	if l == Zh {
		if z, ok := zh[en]; ok {
			return z
		}
	}
	return en
}

// F formats the catalogue entry of format with args.
func (l Lang) F(format string, args ...any) string { return fmt.Sprintf(l.T(format), args...) }

// Pick returns en in English and zh in Chinese: for text written in both
// languages at the call site.
func (l Lang) Pick(en, zh string) string {
	if l == Zh {
		return zh
	}
	return en
}

// List joins items with the language's list separator (", " or "、").
func (l Lang) List(items []string) string { return strings.Join(items, l.Pick(", ", "、")) }

// Has reports whether the catalogue has a Chinese entry for en.
func Has(en string) bool {
	_, ok := zh[en]
	return ok
}
