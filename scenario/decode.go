package scenario

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// decoder decodes a YAML node tree into a Go value, strictly: every key must
// name a field of the Go type, every value must have the field's type (no
// strings for numbers, no fractions for integers, no overflow), and every
// problem is recorded with its field path and line instead of stopping at
// the first. Aliases and merge keys are followed; the node budget checked
// before decoding bounds what they expand to.
type decoder struct {
	ps   *problems
	seen map[string]bool // problems already recorded (an anchor used twice reports once per path)
	// Alias accounting, as yaml.v3 does it: a document whose decoding is
	// almost all alias expansion is refused even under the node budget.
	decodeCount, aliasCount, aliasDepth int
	aliasBomb                           bool
}

// tick counts one node decoded and reports whether decoding goes on.
func (d *decoder) tick() bool {
	d.decodeCount++
	if d.aliasDepth > 0 {
		d.aliasCount++
	}
	if d.aliasCount > 100 && d.decodeCount > 1000 && float64(d.aliasCount)/float64(d.decodeCount) > 0.99 {
		d.aliasBomb = true
	}
	return !d.aliasBomb
}

func newDecoder(ps *problems) *decoder { return &decoder{ps: ps, seen: map[string]bool{}} }

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	p := Problem{Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	id := fmt.Sprintf("%d:%d:%s:%s", p.Line, p.Column, p.Path, p.Msg)
	if d.seen[id] {
		return
	}
	d.seen[id] = true
	d.ps.list = append(d.ps.list, p)
}

// decode decodes n into v (addressable). A null leaves v as it is: zero, or
// the default a new value was given, so that an empty value means "the
// default" wherever it is written.
func (d *decoder) decode(at *yaml.Node, v reflect.Value, path string) {
	if !d.tick() {
		return
	}
	if at != nil && at.Kind == yaml.AliasNode {
		d.aliasDepth++
		defer func() { d.aliasDepth-- }()
	}
	n := deref(at)
	if n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		return
	}
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			nv := newWithDefaults(t.Elem())
			v.Set(nv)
		}
		d.decode(at, v.Elem(), path)
		return
	case reflect.Struct:
		entries, ok := d.mapping(at, n, t, path)
		if !ok {
			return
		}
		fields := structFields(t)
		for _, e := range entries {
			if !d.tick() {
				return
			}
			key := e.key.Value
			p := joinPath(path, key)
			idx, ok := fields[key]
			if !ok {
				d.fail(e.key, p, "%s", unknownFieldMsg(key, t))
				continue
			}
			d.decode(e.val, v.FieldByIndex(idx), p)
		}
		return
	case reflect.Map:
		entries, ok := d.mapping(at, n, t, path)
		if !ok {
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(t, len(entries)))
		}
		for _, e := range entries {
			if !d.tick() {
				return
			}
			key := e.key.Value
			p := joinPath(path, key)
			if !keyPattern.MatchString(key) {
				// File keys were checked when parsed; this one was added by an override.
				d.fail(e.key, p, "%q must be a lower-case identifier (letters, digits, '_')", clip(key))
				continue
			}
			ev := reflect.New(t.Elem()).Elem()
			d.decode(e.val, ev, p)
			v.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), ev)
		}
		return
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.mismatch(at, n, t, path)
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
		v.Set(s)
		return
	}
	if n.Kind != yaml.ScalarNode {
		d.mismatch(at, n, t, path)
		return
	}
	x, err := scalarValue(n)
	if err != nil {
		d.fail(at, path, "%v", err)
		return
	}
	if x == nil {
		return
	}
	if _, err := strictTypes(reflect.TypeOf(x), t, x); err != nil {
		d.fail(at, path, "%v", err)
		return
	}
	setScalar(v, x)
}

// mismatch records a value of the wrong kind.
func (d *decoder) mismatch(at, n *yaml.Node, t reflect.Type, path string) {
	var got any
	switch n.Kind {
	case yaml.SequenceNode:
		got = []any{}
	case yaml.MappingNode:
		got = map[string]any{}
	default:
		x, err := scalarValue(n)
		if err != nil {
			d.fail(at, path, "%v", err)
			return
		}
		got = x
	}
	d.fail(at, path, "%s", mismatch(goTypeWords(t.String()), t.String(), got))
}

// scalarValue is a scalar's value as YAML resolves it (int, uint64,
// float64, bool, string or nil).
func scalarValue(n *yaml.Node) (any, error) {
	var x any
	if err := n.Decode(&x); err != nil {
		return nil, fmt.Errorf("the value %q cannot be read as %s", clip(n.Value), n.ShortTag())
	}
	switch x.(type) {
	case nil, bool, string, int, int64, uint64, float64:
		return x, nil
	}
	return gotTag(strings.TrimPrefix(n.ShortTag(), "!!")), nil
}

// setScalar stores a checked scalar (see strictTypes) in v.
func setScalar(v reflect.Value, x any) {
	rv := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if rv.CanInt() {
			v.SetInt(rv.Int())
		} else {
			v.SetInt(int64(rv.Uint()))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if rv.CanInt() {
			v.SetUint(uint64(rv.Int()))
		} else {
			v.SetUint(rv.Uint())
		}
	case reflect.Float32, reflect.Float64:
		switch {
		case rv.CanInt():
			v.SetFloat(float64(rv.Int()))
		case rv.CanUint():
			v.SetFloat(float64(rv.Uint()))
		default:
			v.SetFloat(rv.Float())
		}
	case reflect.Bool:
		v.SetBool(rv.Bool())
	case reflect.String:
		v.SetString(rv.String())
	}
}

// entry is a key and its value in a mapping.
type entry struct{ key, val *yaml.Node }

// mapping lists the entries of a mapping node, merge keys resolved (keys
// written in the mapping win over merged ones, earlier merges over later
// ones), reporting duplicate keys. It reports a node that is not a mapping.
func (d *decoder) mapping(at, n *yaml.Node, t reflect.Type, path string) ([]entry, bool) {
	if n.Kind != yaml.MappingNode {
		d.mismatch(at, n, t, path)
		return nil, false
	}
	var out []entry
	have := map[string]*yaml.Node{}
	d.collect(n, path, have, &out, 0)
	return out, true
}

func (d *decoder) collect(n *yaml.Node, path string, have map[string]*yaml.Node, out *[]entry, depth int) {
	if depth > 16 {
		d.fail(n, path, "merge keys nest more than 16 deep")
		return
	}
	var merges []*yaml.Node
	direct := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			merges = append(merges, v)
			continue
		}
		if first := direct[k.Value]; first != nil {
			d.fail(k, joinPath(path, k.Value), "duplicate key: already set at line %d", first.Line)
			continue
		}
		direct[k.Value] = k
		if have[k.Value] != nil {
			continue // set by an enclosing mapping, which wins over what it merges
		}
		have[k.Value] = k
		*out = append(*out, entry{k, v})
	}
	for _, m := range merges {
		src := deref(m)
		srcs := []*yaml.Node{src}
		if src != nil && src.Kind == yaml.SequenceNode {
			srcs = src.Content
		}
		for _, s := range srcs {
			s = deref(s)
			if s == nil || s.Kind != yaml.MappingNode {
				d.fail(m, path, "a merge key (<<) takes a mapping or a list of mappings")
				continue
			}
			d.collect(s, path, have, out, depth+1)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var fieldCache sync.Map // reflect.Type → map[string][]int

// structFields maps the YAML keys of a struct type to their field indexes,
// inline fields included.
func structFields(t reflect.Type) map[string][]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string][]int)
	}
	out := map[string][]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			idx := append(append([]int(nil), prefix...), i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if strings.Contains(opts, "inline") {
				walk(f.Type, idx)
				continue
			}
			if name != "" && name != "-" {
				out[name] = idx
			}
		}
	}
	walk(t, nil)
	fieldCache.Store(t, out)
	return out
}
