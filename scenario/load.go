package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
// precedence first: Overrides in their order, then Sets.
type Options struct {
	// Overrides are values set over the file, each with its origin (a
	// configuration file, an environment variable, a flag ...), in the order
	// of their precedence: a later one wins.
	Overrides []Override
	// Sets are "key=value" overrides applied after Overrides; keys are
	// dotted paths into the scenario with list elements addressed by index or
	// by name: "run.trials=500", "units[2].seats=40",
	// "stages[name=election].elect.surplus=0.2". Values are YAML: numbers,
	// booleans, strings, or flow lists and maps.
	Sets []string
}

// Load reads a scenario: it parses the YAML once into a node tree, checks
// its size and keys, applies the overrides as edits of the tree (recording
// where each value came from), decodes the tree strictly into the Go types
// (numeric defaults only for absent keys) and validates the result. Every
// problem with the input is reported in one *Error, with field paths, YAML
// lines and, for overridden values, their origin.
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
	idx.count(root, &budget, 0)
	if idx.cycle != nil {
		return nil, &Error{Source: source, Problems: []Problem{*idx.cycle}}
	}
	if idx.deep != nil {
		return nil, &Error{Source: source, Problems: []Problem{*idx.deep}}
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

	origins := applyOverrides(root, opts.overrides(&ps), &ps)
	if err := ps.err(source, idx.lineOf); err != nil {
		return nil, err
	}

	sc := newWithDefaults(reflect.TypeOf(Scenario{}))
	dec := newDecoder(&ps)
	dec.decode(root, sc.Elem(), "")
	if dec.aliasBomb {
		return nil, fail("", "the document's aliases expand to too much data (an alias bomb?)")
	}
	if err := origins.mark(&ps).err(source, idx.lineOf); err != nil {
		return nil, err
	}
	s := sc.Interface().(*Scenario)
	s.ApplyDefaults()
	if err := origins.mark(idx.explainMissing(s.validate())).err(source, idx.lineOf); err != nil {
		return nil, err
	}
	return s, nil
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
// workers never changes results; so are the calibrate block, the glossary,
// the explore block, the vocabulary and the Chinese title and target and
// share labels, which change nothing in a run. Zero values are left out, so that a new optional field
// does not change the hash of scenarios that do not use it.
func (sc *Scenario) Hash() string {
	c := *sc
	c.Run = RunSettings{}
	c.Calibrate = nil
	c.Glossary = Glossary{}
	c.Vocabulary = nil
	c.TitleZh = ""
	c.Targets = slices.Clone(c.Targets)
	for i := range c.Targets {
		c.Targets[i].LabelZh = ""
	}
	c.Shares = slices.Clone(c.Shares)
	for i := range c.Shares {
		c.Shares[i].LabelZh = ""
	}
	c.Explore = nil
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
	// deep is set when the nesting goes deeper than MaxDepth.
	deep *Problem
}

func newNodeIndex(root *yaml.Node) *nodeIndex {
	return &nodeIndex{root: root, expanding: map[*yaml.Node]bool{}}
}

// nodeEntry is a value in the tree with its path and mapping key.
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

// has reports whether path is written in the file.
func (x *nodeIndex) has(path string) bool {
	segs, err := splitPath(path)
	if err != nil || x.root == nil {
		return false
	}
	n := x.root
	for _, s := range segs {
		_, v := lookupKey(deref(n), s.key, 0)
		if v == nil {
			return false
		}
		n = v
		if s.sel != "" {
			i, err := strconv.Atoi(s.sel)
			n = deref(n)
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return false
			}
			n = n.Content[i]
		}
	}
	return true
}

// explainMissing rewrites a range problem about a zero value that is not in
// the file ("quota: must be between 1 and 1000000, got 0") as what it is: a
// missing key ("quota: missing: give a value between 1 and 1000000").
func (x *nodeIndex) explainMissing(ps *problems) *problems {
	for i := range ps.list {
		p := &ps.list[i]
		if !strings.HasSuffix(p.Msg, ", got 0") || x.has(p.Path) {
			continue
		}
		if rule, ok := strings.CutPrefix(strings.TrimSuffix(p.Msg, ", got 0"), "must be "); ok {
			p.Msg = "missing: give a value " + rule
		} else {
			p.Msg = "missing (" + strings.TrimSuffix(p.Msg, ", got 0") + ")"
		}
	}
	return ps
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
func (x *nodeIndex) count(n *yaml.Node, budget *int, depth int) {
	*budget--
	if *budget < 0 || n == nil {
		return
	}
	if depth > MaxDepth {
		if x.deep == nil {
			x.deep = &Problem{Line: n.Line, Msg: errDepth(depth)}
		}
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
		x.count(n.Alias, budget, depth)
		delete(x.expanding, n.Alias)
		return
	}
	for _, c := range n.Content {
		x.count(c, budget, depth+1)
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
