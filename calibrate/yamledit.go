package calibrate

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"simulate/scenario"
)

// valueLoc is where a parameter's number is written in the file.
type valueLoc struct {
	offset, length int // byte range of the scalar
	line           int
	text           string
}

func parseYAML(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("the file is not one YAML document")
	}
	return doc.Content[0], nil
}

// locate finds the scalar a settings path names in the file. The number
// must be written there (not defaulted), plain (not quoted) and not shared
// through an anchor or alias, so that changing it changes exactly that
// setting.
func locate(root *yaml.Node, data []byte, path string) (valueLoc, error) {
	segs, err := scenario.SplitPath(path)
	if err != nil {
		return valueLoc{}, err
	}
	n := root
	for _, s := range segs {
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			return valueLoc{}, fmt.Errorf("goes through an anchor or alias; write the value out")
		}
		if n.Kind != yaml.MappingNode {
			return valueLoc{}, fmt.Errorf("%s: not a mapping in the file", s.Key)
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if strings.EqualFold(n.Content[i].Value, s.Key) {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return valueLoc{}, fmt.Errorf("%s is not written in the file (a default cannot be fitted: write the starting value)", s.Key)
		}
		n = next
		if s.Selector == "" {
			continue
		}
		if n.Kind != yaml.SequenceNode {
			return valueLoc{}, fmt.Errorf("%s is not a list in the file", s.Key)
		}
		idx, err := selectIndex(n, s)
		if err != nil {
			return valueLoc{}, err
		}
		n = n.Content[idx]
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return valueLoc{}, fmt.Errorf("is an anchor or alias; write the value out")
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Style != 0 {
		return valueLoc{}, fmt.Errorf("is not a plain number in the file")
	}
	off, err := offsetOf(data, n.Line, n.Column)
	if err != nil {
		return valueLoc{}, err
	}
	if !bytes.HasPrefix(data[off:], []byte(n.Value)) {
		return valueLoc{}, fmt.Errorf("cannot find the number's text at line %d", n.Line)
	}
	return valueLoc{offset: off, length: len(n.Value), line: n.Line, text: n.Value}, nil
}

func selectIndex(list *yaml.Node, s scenario.PathSegment) (int, error) {
	if i, err := strconv.Atoi(s.Selector); err == nil {
		if i < 0 || i >= len(list.Content) {
			return 0, fmt.Errorf("%s[%d]: index out of range (the list has %d elements)", s.Key, i, len(list.Content))
		}
		return i, nil
	}
	field, want, ok := strings.Cut(s.Selector, "=")
	if !ok {
		return 0, fmt.Errorf("%s[%s]: expected an index or field=value", s.Key, s.Selector)
	}
	field, want = strings.TrimSpace(field), strings.TrimSpace(want)
	found := -1
	for i, e := range list.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(e.Content); j += 2 {
			if strings.EqualFold(e.Content[j].Value, field) && e.Content[j+1].Value == want {
				if found >= 0 {
					return 0, fmt.Errorf("%s[%s]: several elements match", s.Key, s.Selector)
				}
				found = i
			}
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("%s[%s]: no element has %s %q", s.Key, s.Selector, field, want)
	}
	return found, nil
}

// offsetOf converts yaml.v3's 1-based line and column (in characters) to
// a byte offset.
func offsetOf(data []byte, line, col int) (int, error) {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return 0, fmt.Errorf("line %d is past the end of the file", line)
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(data) || data[off] == '\n' {
			return 0, fmt.Errorf("column %d is past the end of line %d", col, line)
		}
		_, size := utf8.DecodeRune(data[off:])
		off += size
	}
	return off, nil
}

// WriteScenario writes the calibrated scenario: the original file with
// every fitted parameter's number replaced, nothing else changed.
func (f *Fit) WriteScenario(w io.Writer) error {
	p := f.problem
	type edit struct {
		loc  valueLoc
		text string
	}
	var edits []edit
	for i, q := range p.params {
		for _, loc := range q.locs {
			edits = append(edits, edit{loc, formatValue(f.values[i], q.integer)})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].loc.offset < edits[j].loc.offset })
	var out bytes.Buffer
	prev := 0
	for _, e := range edits {
		out.Write(p.data[prev:e.loc.offset])
		out.WriteString(e.text)
		prev = e.loc.offset + e.loc.length
	}
	out.Write(p.data[prev:])
	_, err := w.Write(out.Bytes())
	return err
}
