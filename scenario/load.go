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
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// Input limits. A scenario is a small text file; anything larger or more
// deeply aliased than this is refused before it can exhaust memory.
const (
	MaxFileBytes = 4 << 20
	// MaxNodes bounds the YAML nodes visited, counting every expansion of an alias.
	MaxNodes = 1 << 20
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
	// Env maps scenario keys to environment variables; a set variable
	// overrides its key unless the flag for the same key was set.
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
		return nil, fail("", "not a YAML text file (NUL byte at offset %d)", i)
	}
	if !utf8.Valid(data) {
		return nil, fail("", "not a YAML text file (invalid UTF-8)")
	}

	root, err := parseNode(data)
	if err != nil {
		return nil, &Error{Source: source, Problems: []Problem{yamlProblem(err)}}
	}
	lines := map[string]int{}
	var ps problems
	budget := MaxNodes
	walkNode(root, "", lines, &ps, &budget)
	if budget < 0 {
		return nil, fail("", "document expands to more than %d YAML nodes (alias bomb?)", MaxNodes)
	}
	if err := ps.err(source, lines); err != nil {
		return nil, err
	}

	// Strict typed pass: unknown fields and wrong types, with line numbers.
	var typed Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&typed); err != nil {
		return nil, &Error{Source: source, Problems: typeProblems(err)}
	}

	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fail("", "%v", err)
	}
	tree := v.AllSettings()
	if err := applyOverrides(v, tree, opts); err != nil {
		return nil, &Error{Source: source, Problems: []Problem{{Msg: err.Error()}}}
	}

	var sc Scenario
	if err := decodeStrict(tree, &sc); err != nil {
		ps := problems{list: decodeProblems(err)}
		return nil, ps.err(source, lines)
	}
	sc.ApplyDefaults()
	if err := sc.validate().err(source, lines); err != nil {
		return nil, err
	}
	return &sc, nil
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
// workers never changes results.
func (sc *Scenario) Hash() string {
	c := *sc
	c.Run = RunSettings{}
	b, err := json.Marshal(&c)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
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

// walkNode records the line of every field path and checks that mapping keys
// are lower-case identifiers (viper folds key case, so "Female" and "female"
// would silently merge). budget counts visited nodes, aliases expanded.
func walkNode(n *yaml.Node, path string, lines map[string]int, ps *problems, budget *int) {
	*budget--
	if *budget < 0 {
		return
	}
	if _, seen := lines[path]; !seen && path != "" {
		lines[path] = n.Line
	}
	switch n.Kind {
	case yaml.AliasNode:
		// Walk the target for the budget only; its paths live under the anchor.
		walkNode(n.Alias, path+"*", map[string]int{}, &problems{}, budget)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode || k.Tag == "!!merge" {
				walkNode(val, path, lines, ps, budget)
				continue
			}
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if !keyPattern.MatchString(k.Value) {
				ps.list = append(ps.list, Problem{Path: p, Line: k.Line,
					Msg: fmt.Sprintf("key %q must be a lower-case identifier (letters, digits, '_')", k.Value)})
			}
			walkNode(val, p, lines, ps, budget)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkNode(c, fmt.Sprintf("%s[%d]", path, i), lines, ps, budget)
		}
	}
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func yamlProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		return Problem{Line: l, Msg: m[2]}
	}
	return Problem{Msg: msg}
}

var (
	unknownField = regexp.MustCompile(`^field (\S+) not found in type scenario\.(\w+)$`)
	badType      = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
)

func typeProblems(err error) []Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []Problem{yamlProblem(err)}
	}
	var out []Problem
	for _, e := range te.Errors {
		p := yamlProblem(errors.New(e))
		if m := unknownField.FindStringSubmatch(p.Msg); m != nil {
			p.Msg = fmt.Sprintf("unknown field %q in %s", m[1], strings.ToLower(m[2]))
		} else if m := badType.FindStringSubmatch(p.Msg); m != nil {
			p.Msg = fmt.Sprintf("expected %s, got %s %q", goTypeWords(m[3]), yamlTagWords(m[1]), m[2])
		}
		out = append(out, p)
	}
	return out
}

func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
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

func yamlTagWords(tag string) string {
	switch tag {
	case "str":
		return "the string"
	case "int":
		return "the integer"
	case "float":
		return "the number"
	case "bool":
		return "the boolean"
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	}
	return tag
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
		c.DecodeHook = strictNumbers
	})
}

// strictNumbers refuses float → integer conversions that mapstructure would
// otherwise truncate silently.
func strictNumbers(from, to reflect.Type, data any) (any, error) {
	if from.Kind() != reflect.Float64 && from.Kind() != reflect.Float32 {
		return data, nil
	}
	switch to.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return nil, fmt.Errorf("expected an integer, got %v", data)
	}
	return data, nil
}

var decodePath = regexp.MustCompile(`^'([^']*)' (.*)$`)

func decodeProblems(err error) []Problem {
	var out []Problem
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "*"))
		if line == "" || strings.HasPrefix(line, "decoding failed") || strings.HasSuffix(line, "error(s) decoding:") {
			continue
		}
		line = strings.TrimPrefix(line, "error decoding ")
		if m := decodePath.FindStringSubmatch(line); m != nil {
			out = append(out, Problem{Path: m[1], Msg: m[2]})
			continue
		}
		out = append(out, Problem{Msg: line})
	}
	if len(out) == 0 {
		out = append(out, Problem{Msg: err.Error()})
	}
	return out
}
