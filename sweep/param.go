package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"simulate/scenario"
)

// MaxPoints bounds the number of points of one sweep (and of one solve grid).
const MaxPoints = 1_000_000

// ParamKind says how a Param's values are given.
type ParamKind int

// Parameter kinds.
const (
	// Grid is start:stop:step, the values start, start+step, … ≤ stop.
	Grid ParamKind = iota
	// Interval is lo:hi, a continuous range for random designs.
	Interval
	// List is a,b,c, an explicit list of YAML values.
	List
)

// Param is one swept scenario key and the values it takes.
type Param struct {
	// Key is a --set path, e.g. "stages[name=election].elect.surplus".
	Key string
	// Label is a short name for the key given as LABEL=KEY=SPEC, e.g.
	// "surplus" (plots use it on their axes); empty when none was given.
	Label string
	// Spec is the value specification as given: "0.05:1:0.05", "0.1:0.4" or "a,b".
	Spec string
	Kind ParamKind
	// Lo, Hi and Step describe Grid (all three) and Interval (Lo, Hi) params.
	// An interval is continuous; to draw integers at random, give a grid
	// (10:50:1), whose values a random design treats as a list.
	Lo, Hi, Step float64
	// Decimals is the number of decimals Grid values are written with: the
	// most of start, stop and step.
	Decimals int
	// Values are the values of Grid and List params, as YAML text.
	Values []string
}

// String returns the parameter as --vary takes it: KEY=SPEC.
func (p *Param) String() string { return p.Key + "=" + p.Spec }

// ParseVary parses a --vary argument, KEY=SPEC, where SPEC is
// start:stop:step (a grid), lo:hi (an interval, for random designs) or a
// comma-separated list of YAML values (commas inside brackets, braces or
// quotes do not split). Keys under run. are refused: trials and seeds are the
// sweep's own settings.
//
// LABEL=KEY=SPEC gives the key a short label (an identifier: letters,
// digits, _ and -), e.g. 'women_bias=stages[name=election].elect.voters.bias[0].values.woman=0:1:0.25':
// a plot writes it on its axis and the full key in its caption. The form is
// recognised when the part after the label's = is itself KEY=SPEC with a
// path KEY (one containing . or [), so KEY=SPEC arguments read as before.
func ParseVary(arg string) (*Param, error) {
	p, err := parseParam(arg)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func parseParam(arg string) (*Param, error) {
	key, spec, ok := scenario.CutAssignment(arg)
	label := ""
	if l := strings.TrimSpace(key); ok && isLabel(l) {
		if k, v, ok2 := scenario.CutAssignment(spec); ok2 && strings.ContainsAny(k, ".[") {
			label, key, spec = l, k, v
		}
	}
	key, spec = strings.TrimSpace(key), strings.TrimSpace(spec)
	if !ok || key == "" {
		return nil, fmt.Errorf("%q: expected KEY=SPEC, e.g. 'stages[name=election].elect.surplus=0.05:0.5:0.05' or 'units[0].seats=20,30,40'", arg)
	}
	if k := strings.ToLower(key); k == "run" || strings.HasPrefix(k, "run.") {
		return nil, fmt.Errorf("%s: run settings cannot be swept (trials and seed are the sweep's own settings; every point's seed is derived from the base seed)", key)
	}
	if spec == "" {
		return nil, fmt.Errorf("%s: no values", key)
	}
	if strings.ContainsAny(spec, "\n\r") {
		return nil, fmt.Errorf("%s: values must be on one line", key)
	}
	p := &Param{Key: key, Spec: spec, Label: label}
	if parts := strings.Split(spec, ":"); len(parts) == 2 || len(parts) == 3 {
		nums := make([]float64, len(parts))
		numeric := true
		for i, s := range parts {
			s = strings.TrimSpace(s)
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				numeric = false
				break
			}
			nums[i] = v
			p.Decimals = max(p.Decimals, decimals(s))
		}
		if numeric {
			if len(parts) == 2 {
				return p.interval(nums[0], nums[1])
			}
			return p.grid(nums[0], nums[1], nums[2])
		}
	}
	p.Kind = List
	for _, v := range splitTopLevel(spec, ',') {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil, fmt.Errorf("%s: empty value in the list %q", key, spec)
		}
		p.Values = append(p.Values, v)
	}
	if len(p.Values) > MaxPoints {
		return nil, fmt.Errorf("%s: more than %d values", key, MaxPoints)
	}
	return p, nil
}

func (p *Param) interval(lo, hi float64) (*Param, error) {
	if !(hi > lo) {
		return nil, fmt.Errorf("%s: interval %s needs lo < hi", p.Key, p.Spec)
	}
	p.Kind, p.Lo, p.Hi = Interval, lo, hi
	return p, nil
}

func (p *Param) grid(start, stop, step float64) (*Param, error) {
	switch {
	case !(step > 0):
		return nil, fmt.Errorf("%s: grid %s needs a step > 0", p.Key, p.Spec)
	case stop < start:
		return nil, fmt.Errorf("%s: grid %s needs start ≤ stop", p.Key, p.Spec)
	}
	// The 1e-9 absorbs binary rounding: 0.05:1:0.05 has 20 values, not 19.
	n := math.Floor((stop-start)/step+1e-9) + 1
	if n > MaxPoints {
		return nil, fmt.Errorf("%s: grid %s has more than %d values", p.Key, p.Spec, MaxPoints)
	}
	p.Kind, p.Lo, p.Hi, p.Step = Grid, start, stop, step
	for i := 0; i < int(n); i++ {
		p.Values = append(p.Values, p.format(start+float64(i)*step))
	}
	return p, nil
}

// format writes a grid value with the param's decimals, so that 0.05:1:0.05
// gives 0.30 rather than 0.30000000000000004.
func (p *Param) format(v float64) string {
	s := strconv.FormatFloat(v, 'f', p.Decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.00"
	}
	return s
}

// numbers returns the values as numbers, or false when one is not a number.
func numbers(values []string) ([]float64, bool) {
	out := make([]float64, len(values))
	for i, v := range values {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// decimals counts the digits after the decimal point of a plain decimal
// literal; literals with an exponent count their effective decimals.
func decimals(s string) int {
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	d := 0
	if _, frac, ok := strings.Cut(mant, "."); ok {
		d = len(frac)
	}
	if hasExp {
		if e, err := strconv.Atoi(exp); err == nil {
			d -= e
		}
	}
	return min(max(d, 0), 15)
}

// splitTopLevel splits s at every sep outside brackets, braces and quotes,
// so "[a, b],{x: 1}" is two YAML values.
func splitTopLevel(s string, sep rune) []string {
	var out []string
	depth, start := 0, 0
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			depth++
		case r == ']' || r == '}':
			depth--
		case r == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// isLabel reports whether s can be a parameter's label: an identifier of
// letters, digits, _ and -, not starting with a digit, at most 40 long.
func isLabel(s string) bool {
	if s == "" || len(s) > 40 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// ShortKey abbreviates a --set path for an axis: the selector of its first
// part (a stage's or unit's name) and its last two fields, e.g.
// "stages[name=election].elect.voters.bias[0].values.woman" gives
// "election: values.woman", "units[name=Tibet].seats" "Tibet: seats". A
// path of at most 24 characters stays as it is.
func ShortKey(key string) string {
	if len(key) <= 24 {
		return key
	}
	parts := splitTopLevel(key, '.')
	who := ""
	if _, sel, ok := strings.Cut(parts[0], "["); ok {
		sel = strings.TrimSuffix(sel, "]")
		if _, v, ok := strings.Cut(sel, "="); ok {
			sel = v
		}
		who = strings.Trim(sel, `"' `)
	}
	tail := parts[max(1, len(parts)-2):]
	if len(parts) == 1 {
		tail = parts
	}
	short := strings.Join(tail, ".")
	if who != "" {
		short = who + ": " + short
	}
	return short
}
