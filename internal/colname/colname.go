// Package colname makes the column names of CSV and Parquet output:
// syntactic names in R (make.names leaves them unchanged) and identifiers
// in Python (pandas attribute access), whatever the target, share or key
// they name.
//
// A name keeps its ASCII letters and digits; comparison operators become
// words (women>=0.27 → women_ge_0_27); every other run of characters
// becomes one underscore (stages[name=election].elect.surplus →
// stages_name_election_elect_surplus); a non-ASCII character becomes u and
// its code point in hex (西 → u897f). A name that would start with a digit
// gets an x in front, a reserved word an underscore behind.
package colname

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

var operators = []struct{ op, word string }{
	{">=", "ge"}, {"<=", "le"}, {"!=", "ne"}, {"==", "eq"}, {">", "gt"}, {"<", "lt"},
}

// reserved are the reserved words of R and the keywords of Python.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`if else repeat while function for next break TRUE FALSE NULL Inf NaN NA
		NA_integer_ NA_real_ NA_character_ NA_complex_ in
		False None True and as assert async await class continue def del elif except finally
		from global import is lambda nonlocal not or pass raise return try with yield`) {
		reserved[w] = true
	}
}

// Ident turns s into a column name.
func Ident(s string) string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
outer:
	for i := 0; i < len(s); {
		for _, o := range operators {
			if strings.HasPrefix(s[i:], o.op) {
				sep()
				b.WriteString(o.word)
				b.WriteByte('_')
				i += len(o.op)
				continue outer
			}
		}
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteByte(c)
			i++
		case c < utf8.RuneSelf:
			sep()
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			sep()
			fmt.Fprintf(&b, "u%04x_", r)
			i += n
		}
	}
	out := strings.Trim(b.String(), "_")
	switch {
	case out == "":
		return "x"
	case out[0] >= '0' && out[0] <= '9':
		out = "x" + out
	case reserved[out]:
		out += "_"
	}
	return out
}

// Join makes the column name of a field of a named thing, e.g.
// Join("target", "women>=0.27", "probability") =
// "target_women_ge_0_27_probability".
func Join(parts ...string) string {
	for i, p := range parts {
		parts[i] = Ident(p)
	}
	return Ident(strings.Join(parts, "_"))
}

// Unique makes the names distinct, in place, by adding _2, _3 … to the
// second and later of equal names.
func Unique(names []string) []string {
	seen := map[string]bool{}
	for i, n := range names {
		if !seen[n] {
			seen[n] = true
			continue
		}
		for k := 2; ; k++ {
			if c := fmt.Sprintf("%s_%d", n, k); !seen[c] {
				names[i], seen[c] = c, true
				break
			}
		}
	}
	return names
}

// Valid reports whether name is syntactically valid in R (what make.names
// leaves unchanged: letters, digits, dots and underscores, starting with a
// letter or a dot not followed by a digit, not a reserved word) and an
// identifier in Python that is not a keyword (letters, digits and
// underscores, not starting with a digit). ASCII letters only.
func Valid(name string) bool {
	if name == "" || reserved[name] {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i == 0 && !letter {
			// R allows a leading dot (not before a digit), Python does not;
			// R does not allow a leading underscore.
			return false
		}
		if !letter && !digit && c != '_' {
			return false
		}
	}
	return true
}

// ValidR reports whether name is what R's make.names leaves unchanged
// (ASCII letters).
func ValidR(name string) bool {
	if name == "" || rReserved(name) {
		return false
	}
	start := name[0]
	switch {
	case start >= 'a' && start <= 'z', start >= 'A' && start <= 'Z':
	case start == '.':
		if len(name) > 1 && name[1] >= '0' && name[1] <= '9' {
			return false
		}
	default:
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

func rReserved(name string) bool {
	switch name {
	case "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL",
		"Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "in", "...":
		return true
	}
	// ..1, ..2 … are reserved too.
	if strings.HasPrefix(name, "..") && len(name) > 2 && strings.Trim(name[2:], "0123456789") == "" {
		return true
	}
	return false
}
