package scenario

import (
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Override is one value set over the scenario file: a key, its value as YAML
// text, and where it came from. The loader knows nothing of flags, files or
// environment variables: the caller words the origin, and every problem with
// the value names it.
type Override struct {
	// Key is a dotted path into the scenario with list elements addressed
	// by index or by name: "run.trials", "units[2].seats",
	// "stages[name=election].elect.surplus".
	Key string
	// Value is YAML: a number, boolean, string, or a flow list or mapping;
	// empty means null (the default, where the key has one).
	Value string
	// Origin says where the value came from, in words a user recognises:
	// "environment variable SIMULATE_TRIALS", "--set units[0].seats=-1".
	Origin string
}

// ParseAssignment reads "key=value" (split at the first '=' outside
// brackets) into an override from origin.
func ParseAssignment(s, origin string) (Override, error) {
	key, raw, ok := CutAssignment(s)
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		if strings.Count(s, "[") != strings.Count(s, "]") {
			return Override{}, fmt.Errorf("%q: unbalanced brackets in the key", s)
		}
		return Override{}, fmt.Errorf("%q: expected key=value, e.g. run.trials=500 or units[name=County].seats=30", s)
	}
	return Override{Key: key, Value: raw, Origin: origin}, nil
}

// overrides lists the options' overrides in the order they apply.
func (o Options) overrides(ps *problems) []Override {
	out := slices.Clone(o.Overrides)
	for _, s := range o.Sets {
		ov, err := ParseAssignment(s, "override "+clip(s))
		if err != nil {
			ps.addNoLine("", "override %v", err)
			continue
		}
		out = append(out, ov)
	}
	return out
}

// applyOverrides edits the document, one override after the other: each
// replaces (or adds) the node at its path with its value, whose nodes carry
// no line. It returns where each overridden path's value came from.
func applyOverrides(root *yaml.Node, ovs []Override, ps *problems) overrideOrigins {
	origins := overrideOrigins{}
	for _, ov := range ovs {
		by := " (set by " + ov.Origin + ")"
		val, err := parseValue(ov.Value)
		if err != nil {
			ps.addNoLine(ov.Key, "%v%s", err, by)
			continue
		}
		path, err := setNode(root, ov.Key, val)
		if err != nil {
			ps.addNoLine("", "%v%s", err, by)
			continue
		}
		origins[path] = ov.Origin
	}
	return origins
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
			p.Line, p.Column = 0, 0
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

// parseValue reads an override value as a YAML node, so "0.2" is a number,
// "true" a boolean and "[a, b]" a list; empty is null. Mapping keys must be
// lower-case identifiers, as in a scenario file. The nodes' lines are
// cleared: they are not lines of the file.
func parseValue(raw string) (*yaml.Node, error) {
	if len(raw) > 1<<16 {
		return nil, fmt.Errorf("value is longer than %d bytes", 1<<16)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, fmt.Errorf("value %q is not valid YAML: %v", clip(raw), strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return nil, fmt.Errorf("value %q holds more than one YAML document; give one value", clip(raw))
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	n := doc.Content[0]
	var ps problems
	idx := newNodeIndex(n)
	budget := MaxNodes / 16
	idx.count(n, &budget, 1)
	if idx.cycle != nil || budget < 0 {
		return nil, fmt.Errorf("value %q expands to too many YAML nodes", clip(raw))
	}
	if idx.deep != nil {
		return nil, fmt.Errorf("value %q: %s", clip(raw), idx.deep.Msg)
	}
	if idx.checkKeys(&ps); len(ps.list) > 0 {
		p := ps.list[0]
		return nil, fmt.Errorf("value %q: %s: %s", clip(raw), p.Path, p.Msg)
	}
	clearLines(n, map[*yaml.Node]bool{})
	return n, nil
}

func clearLines(n *yaml.Node, done map[*yaml.Node]bool) {
	if n == nil || done[n] {
		return
	}
	done[n] = true
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearLines(c, done)
	}
}

// SetPath sets a value in a YAML mapping (or a document holding one) at a
// dotted path whose segments may index lists by position ("units[3]") or
// by name ("units[name=Tibet]"). Missing mapping keys are created (decoding
// refuses unknown ones); list elements must exist. Nodes shared through
// anchors are copied before they are changed, so other uses keep their
// value.
func SetPath(root *yaml.Node, path string, val *yaml.Node) error {
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	_, err := setNode(root, path, val)
	return err
}

// setNode is SetPath, returning the path with list elements addressed by
// index ("units[3].seats").
func setNode(root *yaml.Node, path string, val *yaml.Node) (string, error) {
	segs, err := splitPath(path)
	if err != nil {
		return "", err
	}
	cur := root
	done := make([]pathSeg, 0, len(segs))
	for i, seg := range segs {
		last := i == len(segs)-1
		if cur == nil || cur.Kind != yaml.MappingNode {
			return "", fmt.Errorf("%s is not a mapping", strings.Join(segsKeys(done), "."))
		}
		key := strings.ToLower(strings.TrimSpace(seg.key))
		done = append(done, pathSeg{key: key})
		slot := ownKey(cur, key)
		if seg.sel == "" {
			if last {
				*slot = val
				break
			}
			if next := deref(*slot); next == nil || (next.Kind == yaml.ScalarNode && next.ShortTag() == "!!null") {
				*slot = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			} else {
				*slot = own(*slot)
			}
			cur = *slot
			continue
		}
		list := deref(*slot)
		if list == nil || list.Kind != yaml.SequenceNode {
			return "", fmt.Errorf("%s is not a list", strings.Join(segsKeys(done), "."))
		}
		list = own(list)
		*slot = list
		idx, err := seg.index(list)
		if err != nil {
			return "", err
		}
		done[len(done)-1].sel = strconv.Itoa(idx)
		if last {
			list.Content[idx] = val
			break
		}
		list.Content[idx] = own(list.Content[idx])
		cur = list.Content[idx]
	}
	return strings.Join(segsKeys(done), "."), nil
}

// ownKey returns the value slot of key in mapping m, adding the key when m
// has none of its own (a value it merges is copied in, to be edited).
func ownKey(m *yaml.Node, key string) **yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && !isMergeKey(k) && k.Value == key {
			return &m.Content[i+1]
		}
	}
	_, merged := lookupKey(m, key, 0)
	if merged == nil {
		merged = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, merged)
	return &m.Content[len(m.Content)-1]
}

// own returns a copy of n (aliases followed) whose children can be replaced
// without changing n.
func own(n *yaml.Node) *yaml.Node {
	n = deref(n)
	c := *n
	c.Anchor = ""
	c.Content = slices.Clone(n.Content)
	return &c
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

// index finds the element of a list node a selector names.
func (s pathSeg) index(list *yaml.Node) (int, error) {
	if n, err := strconv.Atoi(s.sel); err == nil {
		if n < 0 || n >= len(list.Content) {
			return 0, fmt.Errorf("%s[%d]: index out of range (the list has %d elements)", s.key, n, len(list.Content))
		}
		return n, nil
	}
	field, want, ok := strings.Cut(s.sel, "=")
	if !ok {
		return 0, fmt.Errorf("%s[%s]: expected an index or field=value", s.key, s.sel)
	}
	field, want = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(want)
	var found []int
	for i, e := range list.Content {
		if _, v := lookupKey(deref(e), field, 0); v != nil {
			if v = deref(v); v.Kind == yaml.ScalarNode && v.ShortTag() != "!!null" && v.Value == want {
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

// PathSegment is one segment of a settings path written as for an
// override: a key and, for a list element, its selector ("3" or "name=Tibet").
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
	t, p := knownPathType(path)
	if p != nil {
		return reflect.Invalid, p
	}
	return t.Kind(), nil
}

// knownPathType returns the Go type of the value a settings path names.
func knownPathType(path string) (reflect.Type, *Problem) {
	fail := func(path, format string, args ...any) (reflect.Type, *Problem) {
		return nil, &Problem{Path: path, Msg: fmt.Sprintf(format, args...)}
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
			idx, ok := structFields(t)[s.key]
			if !ok {
				return fail(name, "%s", unknownFieldMsg(s.key, t))
			}
			t = t.FieldByIndex(idx).Type
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

// Lookup returns the node a settings path names in a parsed scenario (keys
// as written, list elements by index or field=value, as for --set), without
// changing anything; the nodes it passes through are returned as written,
// aliases included, for callers that must know.
func Lookup(root *yaml.Node, path string, visit func(*yaml.Node) error) (*yaml.Node, error) {
	segs, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	n := root
	for _, s := range segs {
		if visit != nil {
			if err := visit(n); err != nil {
				return nil, err
			}
		}
		_, v := lookupKey(deref(n), strings.ToLower(s.key), 0)
		if v == nil {
			return nil, fmt.Errorf("%s is not written in the file", s.key)
		}
		n = v
		if s.sel == "" {
			continue
		}
		if visit != nil {
			if err := visit(n); err != nil {
				return nil, err
			}
		}
		list := deref(n)
		if list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s is not a list in the file", s.key)
		}
		i, err := s.index(list)
		if err != nil {
			return nil, err
		}
		n = list.Content[i]
	}
	return n, nil
}
