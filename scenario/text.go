package scenario

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
)

// checkText refuses control and bidirectional-formatting characters in every
// string of the scenario (names, titles, labels, unit names, Chinese names,
// sources): they are printed on terminals, in CSV cells and in reports,
// where a carriage return or an escape sequence could overwrite what is
// shown (a label ending in "\r women 1.000" would hide the real
// probability). Descriptions may contain line breaks and tabs.
func (sc *Scenario) checkText(ps *problems) {
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Struct:
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				key := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
				p := path
				if key != "" {
					if p != "" {
						p += "."
					}
					p += key
				}
				walk(v.Field(i), p)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				p := path + "." + fmt.Sprint(k.Interface())
				if k.Kind() == reflect.String {
					checkChars(ps, p, k.String(), false)
				}
				walk(v.MapIndex(k), p)
			}
		case reflect.String:
			checkChars(ps, path, v.String(), path == "description")
		}
	}
	walk(reflect.ValueOf(sc).Elem(), "")
}

// checkChars adds a problem when s contains a character that could change
// what a terminal shows; multiline allows line breaks and tabs.
func checkChars(ps *problems, path, s string, multiline bool) {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
			ps.add(path, "contains the control character %U; names, labels and titles must be printable text", r)
			return
		}
	}
}
