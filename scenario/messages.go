package scenario

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// yamlTagName names a YAML tag in words.
func yamlTagName(tag string) string {
	switch tag {
	case "!!int":
		return "an integer"
	case "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	}
	return "a value tagged " + tag
}

// gotTag marks a value of an unusual YAML tag (binary, timestamp ...).
type gotTag string

// mismatch says what was expected and what was found. kind is the Go type
// (as in reflect.Type.String) the value was meant for.
func mismatch(want, kind string, got any) string {
	integer := strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint")
	switch g := got.(type) {
	case string:
		hint := ""
		if _, err := strconv.ParseFloat(g, 64); err == nil && (integer || strings.HasPrefix(kind, "float")) {
			hint = " (remove the quotes)"
		} else if kind == "bool" && (g == "yes" || g == "no" || g == "on" || g == "off" || g == "y" || g == "n") {
			hint = " (write true or false)"
		} else if f, ok := percent(g); ok && strings.HasPrefix(kind, "float") {
			hint = fmt.Sprintf(" (shares are fractions: write %s for %s)", strconv.FormatFloat(f/100, 'f', -1, 64), strings.TrimSpace(g))
		} else if ok && integer {
			hint = " (write a whole number, not a percentage)"
		}
		return fmt.Sprintf("expected %s, got the string %q%s", want, clip(g), hint)
	case int64:
		if kind == "string" {
			return fmt.Sprintf("expected %s, got the number %d (quote it to make it a string)", want, g)
		}
		if strings.HasPrefix(kind, "uint") && g < 0 {
			return fmt.Sprintf("expected %s, got %d", want, g)
		}
		if integer {
			return fmt.Sprintf("the integer %d is out of range", g)
		}
		return fmt.Sprintf("expected %s, got the number %d", want, g)
	case uint64:
		if integer {
			return fmt.Sprintf("the integer %d is out of range", g)
		}
		return fmt.Sprintf("expected %s, got the number %d", want, g)
	case float64:
		switch {
		case kind == "string":
			return fmt.Sprintf("expected %s, got the number %v (quote it to make it a string)", want, g)
		case integer && !math.IsInf(g, 0) && !math.IsNaN(g) && g == math.Trunc(g):
			return fmt.Sprintf("the number %v is too large for an integer", g)
		}
		return fmt.Sprintf("expected %s, got %v", want, g)
	case bool:
		if kind == "string" {
			return fmt.Sprintf("expected %s, got the boolean %v (quote it to make it a string)", want, g)
		}
		return fmt.Sprintf("expected %s, got the boolean %v", want, g)
	case nil:
		return fmt.Sprintf("expected %s, got null", want)
	case gotTag:
		return fmt.Sprintf("expected %s, got a value tagged !!%s", want, string(g))
	}
	rv := reflect.ValueOf(got)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return fmt.Sprintf("expected %s, got a list", want)
	case reflect.Map:
		return fmt.Sprintf("expected %s, got a mapping", want)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return mismatch(want, kind, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return mismatch(want, kind, rv.Uint())
	case reflect.Float32:
		return mismatch(want, kind, rv.Float())
	}
	return fmt.Sprintf("expected %s, got %v", want, got)
}

func goTypeWords(t string) string {
	t = strings.TrimPrefix(t, "*")
	switch {
	case strings.HasPrefix(t, "uint"):
		return "a non-negative integer"
	case strings.HasPrefix(t, "int"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "scenario."):
		return "a mapping"
	}
	return t
}

// fieldNames lists the YAML keys of a struct type, inline fields included.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			out = append(out, fieldNames(f.Type)...)
			continue
		}
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// unknownFieldMsg says a key is unknown, suggesting the nearest known key of
// the struct type or listing them all.
func unknownFieldMsg(key string, t reflect.Type) string {
	if t == nil {
		return "unknown field"
	}
	names := fieldNames(t)
	key = strings.ToLower(key)
	// A near miss: a typo of at most one edit in three letters, or a
	// prefix (majority for majority_of).
	best := nearest(key, names)
	if best == "" && len(key) >= 4 {
		for _, n := range names {
			if strings.HasPrefix(n, key) || strings.HasPrefix(key, n) {
				best = n
				break
			}
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown field; did you mean %q?", best)
	}
	return fmt.Sprintf("unknown field (known here: %s)", strings.Join(names, ", "))
}

// nearest returns the name closest to key within one edit per three
// letters of key (the first of equally close ones), or "".
func nearest(key string, names []string) string {
	best, bestD := "", max(1, len(key)/3)+1
	for _, n := range names {
		if d := editDistance(key, n, bestD); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the edit distance of a and b counting two neighbouring
// letters exchanged as one edit (trail for trial, mne for men), or limit
// when it is at least limit.
func editDistance(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit)
}

// strictTypes refuses every conversion but integer → number: no strings for
// numbers, no numbers for strings, no fractions or negative numbers
// truncated into integers, no integers that overflow.
func strictTypes(from, to reflect.Type, data any) (any, error) {
	if data == nil {
		return data, nil
	}
	for to.Kind() == reflect.Pointer {
		to = to.Elem()
	}
	fail := func() (any, error) {
		return nil, errors.New(mismatch(goTypeWords(to.String()), to.String(), data))
	}
	fk := from.Kind()
	isInt := fk >= reflect.Int && fk <= reflect.Int64
	isUint := fk >= reflect.Uint && fk <= reflect.Uintptr
	isFloat := fk == reflect.Float32 || fk == reflect.Float64
	switch k := to.Kind(); {
	case k >= reflect.Int && k <= reflect.Int64:
		switch {
		case isInt:
			if reflect.Zero(to).OverflowInt(reflect.ValueOf(data).Int()) {
				return fail()
			}
		case isUint:
			if u := reflect.ValueOf(data).Uint(); u > math.MaxInt64 || reflect.Zero(to).OverflowInt(int64(u)) {
				return nil, fmt.Errorf("the integer %d is out of range", u)
			}
		case isFloat:
			f := reflect.ValueOf(data).Float()
			switch {
			case f == math.Trunc(f) && math.Abs(f) >= 1<<63:
				return nil, fmt.Errorf("the number %v is too large for an integer", f)
			case f == math.Trunc(f):
				// 5.0 or 1e3: read as a fraction, refused like one.
				return nil, fmt.Errorf("expected an integer, got %.1f (write it without a decimal point or exponent)", f)
			}
			return nil, fmt.Errorf("expected an integer, got %v", f)
		default:
			return fail()
		}
	case k >= reflect.Uint && k <= reflect.Uintptr:
		switch {
		case isInt:
			if reflect.ValueOf(data).Int() < 0 {
				return fail()
			}
		case isUint:
		case isFloat:
			return nil, fmt.Errorf("expected a non-negative integer, got %v", reflect.ValueOf(data).Float())
		default:
			return fail()
		}
	case k == reflect.Float32 || k == reflect.Float64:
		if !isInt && !isUint && !isFloat {
			return fail()
		}
	case k == reflect.Bool:
		if fk != reflect.Bool {
			return fail()
		}
	case k == reflect.String:
		if fk != reflect.String {
			return fail()
		}
	case k == reflect.Slice:
		if fk != reflect.Slice && fk != reflect.Array {
			return fail()
		}
	case k == reflect.Map || k == reflect.Struct:
		if fk != reflect.Map {
			return fail()
		}
		if fk == reflect.Map && from.Key().Kind() != reflect.String {
			return nil, errors.New("expected a mapping with names as keys")
		}
	}
	return data, nil
}

// Nearest returns the name in names closest to key (at most one edit per
// three letters of key), or "": the "did you mean" of every name the
// program is given, from scenario keys to command-line flags.
func Nearest(key string, names []string) string { return nearest(key, names) }

// percent reads a percentage like "40%" or "12.5 %".
func percent(s string) (float64, bool) {
	t := strings.TrimSpace(s)
	if !strings.HasSuffix(t, "%") {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "%")), 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}
