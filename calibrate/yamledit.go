package calibrate

import (
	"bytes"
	"fmt"
	"io"
	"sort"
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
	shared := func(n *yaml.Node) error {
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			return fmt.Errorf("goes through an anchor or alias; write the value out")
		}
		return nil
	}
	n, err := scenario.Lookup(root, path, shared)
	if err != nil {
		if strings.HasSuffix(err.Error(), "is not written in the file") {
			err = fmt.Errorf("%v (a default cannot be fitted: write the starting value)", err)
		}
		return valueLoc{}, err
	}
	if err := shared(n); err != nil {
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
