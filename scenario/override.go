package scenario

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// applyOverrides applies environment variables, then flags, then --set
// values to the settings tree. Flags and environment variables are bound to
// viper so its precedence (flag over environment) decides which one wins.
func applyOverrides(v *viper.Viper, tree map[string]any, opts Options) error {
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
				return err
			}
			raw, from = f.Value.String(), "flag --"+f.Name
		} else if name := opts.Env[key]; name != "" {
			val, ok := os.LookupEnv(name)
			if !ok {
				continue
			}
			if err := v.BindEnv(key, name); err != nil {
				return err
			}
			raw, from = val, "environment variable "+name
		} else {
			continue
		}
		val, err := parseValue(raw)
		if err != nil {
			return fmt.Errorf("%s: %v", from, err)
		}
		if err := SetPath(tree, key, val); err != nil {
			return fmt.Errorf("%s: %v", from, err)
		}
	}
	for _, s := range opts.Sets {
		key, raw, ok := cutAssignment(s)
		if !ok || strings.TrimSpace(key) == "" {
			return fmt.Errorf("--set %q: expected key=value", s)
		}
		val, err := parseValue(raw)
		if err != nil {
			return fmt.Errorf("--set %s: %v", key, err)
		}
		if err := SetPath(tree, strings.TrimSpace(key), val); err != nil {
			return fmt.Errorf("--set %s: %v", key, err)
		}
	}
	return nil
}

// cutAssignment splits "key=value" at the first '=' outside brackets, so
// "units[name=Tibet].seats=30" splits before "30".
func cutAssignment(s string) (key, value string, ok bool) {
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
// boolean and "[a, b]" a list. Mapping keys are folded to lower case like the
// rest of the tree.
func parseValue(raw string) (any, error) {
	if len(raw) > 1<<16 {
		return nil, fmt.Errorf("value is longer than %d bytes", 1<<16)
	}
	var val any
	if err := yaml.Unmarshal([]byte(raw), &val); err != nil {
		return nil, fmt.Errorf("value %q is not valid YAML: %v", raw, err)
	}
	return normalise(val), nil
}

func normalise(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[strings.ToLower(k)] = normalise(x)
		}
		return out
	case []any:
		for i := range t {
			t[i] = normalise(t[i])
		}
	}
	return v
}

// SetPath sets a value in a settings tree at a dotted path whose segments may
// index lists by position ("units[3]") or by name ("units[name=Tibet]").
// Missing mapping keys are created (strict decoding rejects unknown ones later);
// list elements must exist.
func SetPath(tree map[string]any, path string, val any) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	var cur any = tree
	for i, seg := range segs {
		last := i == len(segs)-1
		m, ok := cur.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is not a mapping", strings.Join(segsKeys(segs[:i]), "."))
		}
		key := strings.ToLower(seg.key)
		if seg.sel == "" {
			if last {
				m[key] = val
				return nil
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
			return fmt.Errorf("%s is not a list", seg.key)
		}
		idx, err := seg.index(list)
		if err != nil {
			return err
		}
		if last {
			list[idx] = val
			return nil
		}
		cur = list[idx]
	}
	return nil
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
	field = strings.ToLower(strings.TrimSpace(field))
	for i, e := range list {
		if m, ok := e.(map[string]any); ok && fmt.Sprint(m[field]) == strings.TrimSpace(want) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s[%s]: no element has %s %q", s.key, s.sel, field, want)
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
