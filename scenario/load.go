package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// Input limits. A scenario is a small text file (the 20th-Congress default is
// 50 KB and 2,600 YAML nodes); anything larger or more deeply aliased than
// this is refused before it can exhaust memory. The YAML parser needs a few
// hundred bytes per node, so the node limit, checked right after parsing,
// is what bounds the later passes.
const (
	MaxFileBytes = 1 << 20
	// MaxNodes bounds the YAML nodes visited, counting every expansion of an alias.
	MaxNodes = 1 << 17
)

// Options are the overrides applied on top of a scenario file, lowest
// precedence first: environment variables, then flags, then Sets.
type Options struct {
	// Sets are "key=value" overrides; keys are dotted paths into the scenario
	// with list elements addressed by index or by name:
	// "run.trials=500", "units[2].seats=40", "stages[name=election].elect.surplus=0.2".
	// Values are YAML: numbers, booleans, strings, or flow lists and maps.
	Sets []string
	// Flags maps scenario keys to command-line flags; a flag overrides its key
	// when the user set it.
	Flags map[string]*pflag.Flag
	// Env maps scenario keys to environment variables; a variable that is set
	// and not empty overrides its key unless the flag for the same key was set.
	Env map[string]string
}

// Load parses, overrides, defaults and validates a scenario. Every problem with
// the input is reported in one *Error, with field paths and YAML lines.
func Load(source string, data []byte, opts Options) (*Scenario, error) {
	fail := func(path, format string, args ...any) error {
		return &Error{Source: source, Problems: []Problem{{Path: path, Msg: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > MaxFileBytes {
		return nil, fail("", "file is %d bytes; a scenario may be at most %d", len(data), MaxFileBytes)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, failAt(source, data, i, "not a YAML text file (NUL byte at offset %d)", i)
	}
	if !utf8.Valid(data) {
		i := invalidUTF8(data)
		return nil, failAt(source, data, i, "not a YAML text file (invalid UTF-8 at offset %d)", i)
	}

	root, err := parseNode(data)
	if err != nil {
		return nil, &Error{Source: source, Problems: []Problem{yamlProblem(err)}}
	}
	// Count the nodes first, allocating nothing, then check the keys.
	idx := newNodeIndex(root)
	budget := MaxNodes
	idx.count(root, &budget)
	if idx.cycle != nil {
		return nil, &Error{Source: source, Problems: []Problem{*idx.cycle}}
	}
	if budget < 0 {
		if idx.aliases > 0 {
			return nil, fail("", "document expands to more than %d YAML nodes through its aliases (an alias bomb?)", MaxNodes)
		}
		return nil, fail("", "document has more than %d YAML nodes (values, lists and mappings); a scenario is far smaller", MaxNodes)
	}
	var ps problems
	idx.checkKeys(&ps)
	if err := ps.err(source, idx.lineOf); err != nil {
		return nil, err
	}

	// Strict typed pass: unknown fields and wrong types, with line numbers.
	var typed Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&typed); err != nil {
		ps := problems{list: idx.typeProblems(err)}
		return nil, ps.err(source, idx.lineOf)
	}

	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fail("", "%v", err)
	}
	tree := v.AllSettings()
	origins, err := applyOverrides(v, tree, opts)
	if err != nil {
		p := Problem{Msg: err.Error()}
		var oe *overrideError
		if errors.As(err, &oe) {
			p = oe.Problem
		}
		return nil, &Error{Source: source, Problems: []Problem{p}}
	}

	treeDefaults(tree)
	var sc Scenario
	if err := decodeStrict(tree, &sc); err != nil {
		ps := problems{list: decodeProblems(err)}
		return nil, origins.mark(&ps).err(source, idx.lineOf)
	}
	sc.ApplyDefaults()
	if err := origins.mark(sc.validate()).err(source, idx.lineOf); err != nil {
		return nil, err
	}
	return &sc, nil
}

// failAt reports a problem at a byte offset, with its line.
func failAt(source string, data []byte, offset int, format string, args ...any) error {
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	return &Error{Source: source, Problems: []Problem{{Line: line, Msg: fmt.Sprintf(format, args...)}}}
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// ReadFile reads a scenario file, refusing files too large to be scenarios
// without reading them whole.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{Source: path, Problems: []Problem{{Msg: fmt.Sprintf("file is larger than %d bytes; a scenario may be at most that", MaxFileBytes)}}}
	}
	return data, nil
}

// Hash returns the SHA-256 of the effective scenario (after overrides and
// defaults), so outputs record exactly what was modelled. The run block is
// left out: seed and trials are reported beside the hash, and the number of
// workers never changes results; so is the calibrate block, which changes
// nothing in a run. Zero values are left out, so that a new optional field
// does not change the hash of scenarios that do not use it.
func (sc *Scenario) Hash() string {
	c := *sc
	c.Run = RunSettings{}
	c.Calibrate = nil
	b, err := json.Marshal(&c)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		panic(err)
	}
	b, err = json.Marshal(pruneZero(tree))
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// pruneZero removes zero values (null, false, 0, "", empty lists and
// mappings) from mappings, recursively; list elements keep their places.
func pruneZero(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			e = pruneZero(e)
			if isZero(e) {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = pruneZero(e)
		}
		return x
	}
	return v
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func parseNode(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty document: a scenario needs at least name, quota, traits, pool, units and stages")
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("line %d: more than one YAML document; a scenario is one document", extra.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the document must be a mapping of scenario keys (name, quota, traits ...)")
	}
	return doc.Content[0], nil
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// nodeIndex locates field paths in the YAML file. It keeps only the parsed
// tree: a path's line is found by descending the tree, and the paths on a
// line by walking it, so a large file costs no index it does not need.
type nodeIndex struct {
	root *yaml.Node
	// expanding holds the alias targets being counted, to catch an anchor
	// that contains an alias to itself.
	expanding map[*yaml.Node]bool
	// cycle is set when an anchor contains an alias to itself.
	cycle *Problem
	// aliases counts the aliases expanded.
	aliases int
}

func newNodeIndex(root *yaml.Node) *nodeIndex {
	return &nodeIndex{root: root, expanding: map[*yaml.Node]bool{}}
}

// nodeEntry is a value in the tree with its path and mapping key.
type nodeEntry struct {
	path string
	key  string // the mapping key; "" for list elements
	val  *yaml.Node
}

// segment is one step of a path being walked: a mapping key or a list index.
type segment struct {
	key   string
	index int // -1 for keys
}

func pathString(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// visit calls f on every mapping value and list element under n (aliases
// not followed, merge keys transparent) with the path's segments, which f
// must not keep.
func visit(n *yaml.Node, segs []segment, f func(segs []segment, key, val *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			visit(c, segs, f)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if isMergeKey(k) {
				visit(val, segs, f)
				continue
			}
			next := append(segs, segment{key: k.Value, index: -1})
			f(next, k, val)
			visit(val, next, f)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			next := append(segs, segment{index: i})
			f(next, nil, c)
			visit(c, next, f)
		}
	}
}

func isMergeKey(k *yaml.Node) bool { return k.Kind == yaml.ScalarNode && k.Tag == "!!merge" }

// checkKeys checks that mapping keys are lower-case identifiers (viper folds
// key case, so "Female" and "female" would silently merge).
func (x *nodeIndex) checkKeys(ps *problems) {
	visit(x.root, nil, func(segs []segment, k, _ *yaml.Node) {
		if k == nil {
			return
		}
		switch {
		case k.Kind != yaml.ScalarNode:
			ps.list = append(ps.list, Problem{Path: pathString(segs[:len(segs)-1]), Line: k.Line,
				Msg: "a mapping key must be a plain name, not a list, mapping or alias"})
		case k.ShortTag() != "!!str":
			ps.list = append(ps.list, Problem{Path: pathString(segs), Line: k.Line,
				Msg: fmt.Sprintf("key %s is read as %s, not a name; use a lower-case identifier", clip(k.Value), yamlTagName(k.ShortTag()))})
		case !keyPattern.MatchString(k.Value):
			ps.list = append(ps.list, Problem{Path: pathString(segs), Line: k.Line,
				Msg: fmt.Sprintf("key %q must be a lower-case identifier (letters, digits, '_')", clip(k.Value))})
		}
	})
}

// entriesOn returns the entries whose key or value starts on one of lines.
func (x *nodeIndex) entriesOn(lines map[int]bool) map[int][]nodeEntry {
	out := map[int][]nodeEntry{}
	visit(x.root, nil, func(segs []segment, k, val *yaml.Node) {
		kl := val.Line
		if k != nil {
			kl = k.Line
		}
		if !lines[kl] && !lines[val.Line] {
			return
		}
		e := nodeEntry{path: pathString(segs), val: val}
		if k != nil {
			e.key = k.Value
		}
		out[kl] = append(out[kl], e)
		if val.Line != kl {
			out[val.Line] = append(out[val.Line], e)
		}
	})
	return out
}

// lineOf returns the line of the longest prefix of path found in the file:
// the line of a mapping key or of a list element.
func (x *nodeIndex) lineOf(path string) int {
	segs, err := splitPath(path)
	if err != nil || x.root == nil {
		return 0
	}
	n, line := x.root, 0
	for _, s := range segs {
		k, v := lookupKey(deref(n), s.key, 0)
		if v == nil {
			return line
		}
		line, n = k.Line, v
		if s.sel != "" {
			i, err := strconv.Atoi(s.sel)
			n = deref(n)
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		}
	}
	return line
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// lookupKey finds a key in a mapping, directly or through merge keys.
func lookupKey(m *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode || depth > 16 {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if c := m.Content[i]; c.Kind == yaml.ScalarNode && !isMergeKey(c) && c.Value == key {
			return c, m.Content[i+1]
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		src := deref(m.Content[i+1])
		srcs := []*yaml.Node{src}
		if src != nil && src.Kind == yaml.SequenceNode {
			srcs = src.Content
		}
		for _, s := range srcs {
			if k, v := lookupKey(deref(s), key, depth+1); v != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// count visits the nodes under n (aliases expanded) without recording
// anything, for the budget, and records an anchor that contains itself.
func (x *nodeIndex) count(n *yaml.Node, budget *int) {
	*budget--
	if *budget < 0 || n == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		x.aliases++
		if x.expanding[n.Alias] {
			x.cycle = &Problem{Line: n.Line, Msg: fmt.Sprintf("alias *%s is inside its own anchor, so it never ends", n.Value)}
			*budget = -1 // stop: the expansion is infinite
			return
		}
		x.expanding[n.Alias] = true
		x.count(n.Alias, budget)
		delete(x.expanding, n.Alias)
		return
	}
	for _, c := range n.Content {
		x.count(c, budget)
		if *budget < 0 {
			return
		}
	}
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-3]) + "..."
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func yamlProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{Msg: msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Msg = m[2]
	}
	switch {
	case p.Msg == "document contains excessive aliasing":
		p.Msg = "the document's aliases expand to too much data (an alias bomb?)"
	case strings.HasPrefix(p.Msg, "exceeded max depth of "):
		p.Msg = "nesting is deeper than " + strings.TrimPrefix(p.Msg, "exceeded max depth of ") + " levels"
	}
	return p
}

var (
	unknownField = regexp.MustCompile(`^field (\S+) not found in type scenario\.(\w+)$`)
	fieldTwice   = regexp.MustCompile(`^field (\S+) already set in type scenario\.(\w+)$`)
	duplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
	badType      = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
)

// typeProblems turns yaml.v3's unknown-field and type errors into problems
// with field paths and plain wording.
func (x *nodeIndex) typeProblems(err error) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{yamlProblem(err)}
	}
	lines := map[int]bool{}
	for _, e := range te.Errors {
		lines[yamlProblem(errors.New(e)).Line] = true
	}
	byLine := x.entriesOn(lines)
	var out []Problem
	for _, e := range te.Errors {
		p := yamlProblem(errors.New(e))
		if m := unknownField.FindStringSubmatch(p.Msg); m != nil {
			p.Path = keyPath(byLine[p.Line], m[1])
			p.Msg = unknownFieldMsg(m[1], structTypes[m[2]])
		} else if m := duplicateKey.FindStringSubmatch(p.Msg); m != nil {
			p.Path = keyPath(byLine[p.Line], m[1])
			p.Msg = fmt.Sprintf("duplicate key: already set at line %s", m[2])
		} else if m := fieldTwice.FindStringSubmatch(p.Msg); m != nil {
			p.Path = keyPath(byLine[p.Line], m[1])
			p.Msg = "is set twice (directly and through a merge key)"
		} else if m := badType.FindStringSubmatch(p.Msg); m != nil {
			value := m[2]
			if e := valueAt(byLine[p.Line], p.Line, m[1], m[2]); e != nil {
				p.Path, value = e.path, e.val.Value
			}
			p.Msg = yamlTypeMsg(m[1], value, m[3])
		}
		out = append(out, p)
	}
	return out
}

// keyPath finds the path of the mapping key on a line.
func keyPath(entries []nodeEntry, key string) string {
	for _, e := range entries {
		if e.key == key {
			return e.path
		}
	}
	return key
}

// valueAt finds the entry whose value yaml.v3 refused: on the given line,
// of the given tag, with the (possibly shortened) value.
func valueAt(entries []nodeEntry, line int, tag, value string) *nodeEntry {
	var found *nodeEntry
	for i := range entries {
		e := &entries[i]
		v := e.val
		if v.Line != line {
			continue
		}
		switch tag {
		case "seq":
			if v.Kind != yaml.SequenceNode {
				continue
			}
		case "map":
			if v.Kind != yaml.MappingNode {
				continue
			}
		default:
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!"+tag {
				continue
			}
			if short, ok := strings.CutSuffix(value, "..."); ok && len(v.Value) > 10 {
				if !strings.HasPrefix(v.Value, short) {
					continue
				}
			} else if v.Value != value {
				continue
			}
		}
		if found == nil || len(e.path) > len(found.path) {
			found = e
		}
	}
	return found
}

// yamlTypeMsg words a type error from the YAML tag of the value and the Go
// type it was meant for.
func yamlTypeMsg(tag, value, goType string) string {
	var got any
	switch tag {
	case "str":
		got = value
	case "int", "float":
		got = yamlNumber(value)
	case "bool":
		got = value == "true"
	case "seq":
		got = []any{}
	case "map":
		got = map[string]any{}
	case "null":
		got = nil
	default:
		got = gotTag(tag)
	}
	return mismatch(goTypeWords(goType), goType, got)
}

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

// yamlNumber parses a YAML number, keeping the text when it does not fit.
func yamlNumber(s string) any {
	if i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64); err == nil {
		return i
	}
	if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
		return f
	}
	switch strings.ToLower(s) {
	case ".nan":
		return math.NaN()
	case ".inf", "+.inf":
		return math.Inf(1)
	case "-.inf":
		return math.Inf(-1)
	}
	return bigNumber(s)
}

// bigNumber is a number too large for any Go number type.
type bigNumber string

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
	case bigNumber:
		return fmt.Sprintf("the number %s is too large", clip(string(g)))
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

// structTypes maps the names of the scenario's struct types to the types, for
// listing the fields an unknown key could have meant.
var structTypes = func() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t.Name()] != nil {
			return
		}
		out[t.Name()] = t
		for i := 0; i < t.NumField(); i++ {
			visit(t.Field(i).Type)
		}
	}
	visit(reflect.TypeOf(Scenario{}))
	return out
}()

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
	best, bestD := "", max(1, len(key)/3)+1
	for _, n := range names {
		if d := editDistance(key, n, bestD); d < bestD {
			best, bestD = n, d
		}
	}
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

// editDistance is the Levenshtein distance of a and b, or limit when it is
// at least limit.
func editDistance(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
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
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// typeAt returns the type of the field at a settings path, or nil.
func typeAt(path string) reflect.Type {
	t := reflect.TypeOf(Scenario{})
	if path == "" {
		return t
	}
	segs, err := splitPath(path)
	if err != nil {
		return nil
	}
	for _, s := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByKey(t, s.key)
			if !ok {
				return nil
			}
			t = f
		default:
			return nil
		}
		if s.sel != "" {
			if t.Kind() != reflect.Slice {
				return nil
			}
			t = t.Elem()
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func fieldByKey(t reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			if ft, ok := fieldByKey(f.Type, key); ok {
				return ft, true
			}
			continue
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}

// decodeStrict decodes viper's settings tree into a Scenario: unknown keys are
// errors, no weak typing, and numbers with a fraction never become integers.
func decodeStrict(tree map[string]any, sc *Scenario) error {
	v := viper.New()
	if err := v.MergeConfigMap(tree); err != nil {
		return err
	}
	return v.Unmarshal(sc, func(c *mapstructure.DecoderConfig) {
		c.ErrorUnused = true
		c.WeaklyTypedInput = false
		c.ZeroFields = true
		c.DecodeHook = strictTypes
	})
}

// strictTypes refuses every conversion but integer → number: no strings for
// numbers, no numbers for strings, no fractions or negative numbers
// truncated into integers, no integers that overflow. Its errors use the same
// words as the YAML pass.
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

// mapKey turns mapstructure's map element names ("shares[male]") into the
// dotted paths validation uses ("shares.male"); list indexes stay.
var mapKey = regexp.MustCompile(`\[([^\]]*[^0-9\]][^\]]*)\]`)

// decodeProblems lists mapstructure's errors as problems with field paths.
func decodeProblems(err error) []Problem {
	var out []Problem
	var walk func(err error)
	walk = func(err error) {
		switch e := err.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
			return
		case *mapstructure.DecodeError:
			inner := e.Unwrap()
			switch inner.(type) {
			case interface{ Unwrap() []error }, *mapstructure.DecodeError:
				walk(inner)
				return
			}
			out = append(out, decodeProblem(mapKey.ReplaceAllString(e.Name(), ".$1"), inner)...)
			return
		}
		if u := errors.Unwrap(err); u != nil {
			walk(u)
			return
		}
		out = append(out, Problem{Msg: err.Error()})
	}
	walk(err)
	if len(out) == 0 {
		out = append(out, Problem{Msg: err.Error()})
	}
	return out
}

func decodeProblem(path string, err error) []Problem {
	join := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	if keys, ok := strings.CutPrefix(err.Error(), "has invalid keys: "); ok {
		var out []Problem
		for _, k := range strings.Split(keys, ", ") {
			out = append(out, Problem{Path: join(k), Msg: unknownFieldMsg(k, typeAt(path))})
		}
		return out
	}
	var ute *mapstructure.UnconvertibleTypeError
	if errors.As(err, &ute) {
		t := ute.Expected.Type().String()
		return []Problem{{Path: path, Msg: mismatch(goTypeWords(t), t, ute.Value)}}
	}
	var pe *mapstructure.ParseError
	if errors.As(err, &pe) {
		t := pe.Expected.Type().String()
		return []Problem{{Path: path, Msg: mismatch(goTypeWords(t), t, pe.Value)}}
	}
	return []Problem{{Path: path, Msg: err.Error()}}
}
