package scenario

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// applyOverrides applies environment variables, then flags, then --set
// values to the settings tree: for each key, a flag the user set wins over
// its environment variable, and --set wins over both. Every key must name a
// field of a scenario. It returns where each overridden path's value came from.
func applyOverrides(v *viper.Viper, tree map[string]any, opts Options) (overrideOrigins, error) {
	origins := overrideOrigins{}
	keys := make([]string, 0, len(opts.Flags)+len(opts.Env))
	seen := map[string]bool{}
	for k := range opts.Flags {
		if !seen[k] {
			keys, seen[k] = append(keys, k), true
		}
	}
	for k := range opts.Env {
		if !seen[k] {
			keys, seen[k] = append(keys, k), true
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		var raw, from string
		if f := opts.Flags[key]; f != nil && f.Changed {
			if err := v.BindPFlag(key, f); err != nil {
				return nil, err
			}
			raw, from = f.Value.String(), "flag --"+f.Name
		} else if name := opts.Env[key]; name != "" {
			val, ok := os.LookupEnv(name)
			if !ok || val == "" {
				continue // an empty variable counts as unset
			}
			if err := v.BindEnv(key, name); err != nil {
				return nil, err
			}
			raw, from = val, "environment variable "+name
		} else {
			continue
		}
		val, err := parseValue(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", from, err)
		}
		origin := fmt.Sprintf("%s=%s", from, clip(raw))
		path, err := setPath(tree, key, val)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", from, err)
		}
		if err := checkKnownPath(path); err != nil {
			return nil, err.from(origin)
		}
		origins[path] = origin
	}
	for _, s := range opts.Sets {
		key, raw, ok := CutAssignment(s)
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			if strings.Count(s, "[") != strings.Count(s, "]") {
				return nil, fmt.Errorf("--set %q: unbalanced brackets in the key", s)
			}
			return nil, fmt.Errorf("--set %q: expected key=value, e.g. run.trials=500 or units[name=County].seats=30", s)
		}
		val, err := parseValue(raw)
		if err != nil {
			return nil, fmt.Errorf("--set %s: %v", key, err)
		}
		origin := "--set " + clip(s)
		path, err := setPath(tree, key, val)
		if err != nil {
			return nil, fmt.Errorf("--set %s: %v", key, err)
		}
		if err := checkKnownPath(path); err != nil {
			return nil, err.from(origin)
		}
		origins[path] = origin
	}
	return origins, nil
}

// overrideError is a problem with an override's key, located by its path.
type overrideError struct{ Problem }

func (e *overrideError) Error() string { return e.Problem.String() }

// from says where the override came from.
func (e *overrideError) from(origin string) *overrideError {
	e.Msg += " (set by " + origin + ")"
	return e
}

// checkKnownPath refuses a path that names no field of a scenario, even when
// the value set is null (which strict decoding would not see).
func checkKnownPath(path string) *overrideError {
	_, err := knownPathType(path)
	return err
}

// knownPathType returns the Go type of the value a settings path names.
func knownPathType(path string) (reflect.Type, *overrideError) {
	fail := func(path, format string, args ...any) (reflect.Type, *overrideError) {
		return nil, &overrideError{Problem{Path: path, Msg: fmt.Sprintf(format, args...)}}
	}
	segs, err := splitPath(path)
	if err != nil {
		return fail("", "%v", err)
	}
	t := reflect.TypeOf(Scenario{})
	for i, s := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		name := strings.Join(append(segsKeys(segs[:i]), s.key), ".")
		switch t.Kind() {
		case reflect.Map:
			if !keyPattern.MatchString(s.key) {
				return fail(name, "%q must be a lower-case identifier (letters, digits, '_')", clip(s.key))
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByKey(t, s.key)
			if !ok {
				return fail(name, "%s", unknownFieldMsg(s.key, t))
			}
			t = f
		default:
			return fail(strings.Join(segsKeys(segs[:i]), "."), "is not a mapping")
		}
		if s.sel != "" {
			if t.Kind() != reflect.Slice {
				return fail(name, "is not a list")
			}
			t = t.Elem()
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t, nil
}

// overrideOrigins maps the canonical paths of overridden keys
// ("units[2].seats") to where their values came from.
type overrideOrigins map[string]string

// mark tells, on every problem at or under an overridden path, where the
// value came from; such problems get no file line, since the file's value was
// replaced.
func (o overrideOrigins) mark(ps *problems) *problems {
	if len(o) == 0 {
		return ps
	}
	for i := range ps.list {
		p := &ps.list[i]
		best := ""
		for k := range o {
			if (p.Path == k || strings.HasPrefix(p.Path, k+".") || strings.HasPrefix(p.Path, k+"[")) && len(k) > len(best) {
				best = k
			}
		}
		if best != "" {
			p.Msg += " (set by " + o[best] + ")"
			if ps.noLine == nil {
				ps.noLine = map[int]bool{}
			}
			ps.noLine[i] = true
		}
	}
	return ps
}

// CutAssignment splits "key=value" at the first '=' outside brackets, so
// "units[name=Tibet].seats=30" splits before "30".
func CutAssignment(s string) (key, value string, ok bool) {
	depth := 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '=':
			if depth == 0 {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// parseValue reads an override value as YAML, so "0.2" is a number, "true" a
// boolean and "[a, b]" a list. Mapping keys must be lower-case identifiers,
// as in a scenario file.
func parseValue(raw string) (any, error) {
	if len(raw) > 1<<16 {
		return nil, fmt.Errorf("value is longer than %d bytes", 1<<16)
	}
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(raw), &node); err != nil {
		return nil, fmt.Errorf("value %q is not valid YAML: %v", clip(raw), strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var ps problems
	idx := newNodeIndex(&node)
	budget := MaxNodes / 16
	idx.count(&node, &budget)
	if idx.cycle != nil || budget < 0 {
		return nil, fmt.Errorf("value %q expands to too many YAML nodes", clip(raw))
	}
	if idx.checkKeys(&ps); len(ps.list) > 0 {
		p := ps.list[0]
		return nil, fmt.Errorf("value %q: %s: %s", clip(raw), p.Path, p.Msg)
	}
	var val any
	if err := node.Decode(&val); err != nil {
		return nil, fmt.Errorf("value %q is not valid YAML: %v", clip(raw), strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return val, nil
}

// SetPath sets a value in a settings tree at a dotted path whose segments may
// index lists by position ("units[3]") or by name ("units[name=Tibet]").
// Missing mapping keys are created (strict decoding rejects unknown ones later);
// list elements must exist.
func SetPath(tree map[string]any, path string, val any) error {
	_, err := setPath(tree, path, val)
	return err
}

// setPath is SetPath, also returning the path with list elements addressed
// by index ("units[3].seats").
func setPath(tree map[string]any, path string, val any) (string, error) {
	segs, err := splitPath(path)
	if err != nil {
		return "", err
	}
	var cur any = tree
	done := make([]pathSeg, 0, len(segs))
	for i, seg := range segs {
		last := i == len(segs)-1
		m, ok := cur.(map[string]any)
		if !ok {
			return "", fmt.Errorf("%s is not a mapping", strings.Join(segsKeys(done), "."))
		}
		key := strings.ToLower(seg.key)
		if seg.sel == "" {
			done = append(done, pathSeg{key: key})
			if last {
				m[key] = val
				return strings.Join(segsKeys(done), "."), nil
			}
			next, ok := m[key]
			if !ok || next == nil {
				next = map[string]any{}
				m[key] = next
			}
			cur = next
			continue
		}
		list, ok := m[key].([]any)
		if !ok {
			done = append(done, pathSeg{key: key})
			return "", fmt.Errorf("%s is not a list", strings.Join(segsKeys(done), "."))
		}
		idx, err := seg.index(list)
		if err != nil {
			return "", err
		}
		done = append(done, pathSeg{key: key, sel: strconv.Itoa(idx)})
		if last {
			list[idx] = val
			return strings.Join(segsKeys(done), "."), nil
		}
		cur = list[idx]
	}
	return strings.Join(segsKeys(done), "."), nil
}

type pathSeg struct {
	key string
	sel string // "" for plain keys, "3" or "name=Tibet" for list elements
}

func segsKeys(segs []pathSeg) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.key
		if s.sel != "" {
			out[i] += "[" + s.sel + "]"
		}
	}
	return out
}

func (s pathSeg) index(list []any) (int, error) {
	if n, err := strconv.Atoi(s.sel); err == nil {
		if n < 0 || n >= len(list) {
			return 0, fmt.Errorf("%s[%d]: index out of range (the list has %d elements)", s.key, n, len(list))
		}
		return n, nil
	}
	field, want, ok := strings.Cut(s.sel, "=")
	if !ok {
		return 0, fmt.Errorf("%s[%s]: expected an index or field=value", s.key, s.sel)
	}
	field, want = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(want)
	var found []int
	for i, e := range list {
		if m, ok := e.(map[string]any); ok {
			if v, ok := m[field]; ok && v != nil && fmt.Sprint(v) == want {
				found = append(found, i)
			}
		}
	}
	switch len(found) {
	case 0:
		return 0, fmt.Errorf("%s[%s]: no element has %s %q", s.key, s.sel, field, want)
	case 1:
		return found[0], nil
	}
	return 0, fmt.Errorf("%s[%s]: %d elements have %s %q (%s[%d] and %s[%d] ...); use an index or a field that is unique",
		s.key, s.sel, len(found), field, want, s.key, found[0], s.key, found[1])
}

func splitPath(path string) ([]pathSeg, error) {
	var segs []pathSeg
	rest := path
	for rest != "" {
		var part string
		// A dot inside brackets (units[name=St. Helena]) does not split.
		depth, cut := 0, -1
		for i, r := range rest {
			switch r {
			case '[':
				depth++
			case ']':
				depth--
			case '.':
				if depth == 0 && cut < 0 {
					cut = i
				}
			}
			if cut >= 0 {
				break
			}
		}
		if cut >= 0 {
			part, rest = rest[:cut], rest[cut+1:]
		} else {
			part, rest = rest, ""
		}
		key, sel, hasSel := strings.Cut(part, "[")
		if key == "" {
			return nil, fmt.Errorf("key %q: empty segment", path)
		}
		seg := pathSeg{key: key}
		if hasSel {
			if !strings.HasSuffix(sel, "]") || strings.Count(sel, "]") != 1 {
				return nil, fmt.Errorf("key %q: unbalanced brackets", path)
			}
			seg.sel = strings.TrimSuffix(sel, "]")
			if seg.sel == "" {
				return nil, fmt.Errorf("key %q: empty brackets", path)
			}
		}
		segs = append(segs, seg)
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("empty key")
	}
	return segs, nil
}

// PathSegment is one segment of a settings path written as for --set: a key
// and, for a list element, its selector ("3" or "name=Tibet").
type PathSegment struct{ Key, Selector string }

// SplitPath splits a settings path (units[name=Tibet].seats) into segments.
func SplitPath(path string) ([]PathSegment, error) {
	segs, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	out := make([]PathSegment, len(segs))
	for i, s := range segs {
		out[i] = PathSegment{Key: s.key, Selector: s.sel}
	}
	return out, nil
}

// PathKind returns the kind of the value a settings path names (e.g.
// reflect.Float64 for units[0].turnout, reflect.Int for units[0].seats).
func PathKind(path string) (reflect.Kind, error) {
	t, err := knownPathType(path)
	if err != nil {
		return reflect.Invalid, err
	}
	return t.Kind(), nil
}
