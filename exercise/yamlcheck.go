package exercise

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"simulate/scenario"
)

// lineOf is the line of a field path (answer.options[1].target) in the
// exercise file: of the deepest part of the path that is there, or 0.
func (ex *Exercise) lineOf(field string) int {
	node, line := ex.doc, 0
	if node == nil {
		return 0
	}
	for part := range strings.SplitSeq(field, ".") {
		name, index, _ := strings.Cut(part, "[")
		if node.Kind != yaml.MappingNode {
			return line
		}
		var value *yaml.Node
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == name {
				value, line = node.Content[i+1], node.Content[i].Line
			}
		}
		if value == nil {
			return line
		}
		node = value
		if index != "" {
			k, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
			if err != nil || node.Kind != yaml.SequenceNode || k < 0 || k >= len(node.Content) {
				return line
			}
			node, line = node.Content[k], node.Content[k].Line
		}
	}
	return line
}

// yamlFields lists the keys a struct type reads, with their types
// (inline structs flattened).
func yamlFields(t reflect.Type) (names []string, types map[string]reflect.Type) {
	types = map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if opts == "inline" {
			n, ts := yamlFields(f.Type)
			names = append(names, n...)
			for k, v := range ts {
				types[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		names = append(names, name)
		types[name] = f.Type
	}
	return names, types
}

// checkKeys reports every key of the mapping node that type t does not
// read, with the nearest known key.
func checkKeys(node *yaml.Node, t reflect.Type, prefix string, ps *[]scenario.Problem) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && node.Kind == yaml.MappingNode:
		names, types := yamlFields(t)
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i], node.Content[i+1]
			path := key.Value
			if prefix != "" {
				path = prefix + "." + key.Value
			}
			ft, ok := types[key.Value]
			if !ok {
				msg := fmt.Sprintf("unknown field (known here: %s)", strings.Join(names, ", "))
				if near := scenario.Nearest(key.Value, names); near != "" {
					msg = fmt.Sprintf("unknown field; did you mean %q?", near)
				}
				*ps = append(*ps, scenario.Problem{Path: path, Line: key.Line, Column: key.Column, Msg: msg})
				continue
			}
			checkKeys(value, ft, path, ps)
		}
	case t.Kind() == reflect.Slice && node.Kind == yaml.SequenceNode:
		for i, item := range node.Content {
			checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i), ps)
		}
	}
}

var (
	lineMsg   = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unmarshal = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
)

// kindWords names the Go types of the exercise file in words.
var kindWords = map[string]string{
	"int": "an integer", "uint64": "a whole number ≥ 0", "float64": "a number", "string": "text",
	"[]string": "a list", "[]exercise.Option": "a list of options", "exercise.Answer": "a mapping (kind, reference …)",
	"exercise.Measure": "a mapping (of, target …)", "exercise.Exercise": "a mapping (id, title, question …)",
}

// typeProblems turns the decoder's type errors into problems with the field
// path of their line.
func typeProblems(doc *yaml.Node, err error) []scenario.Problem {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []scenario.Problem{yamlProblem(err)}
	}
	var ps []scenario.Problem
	for _, e := range te.Errors {
		p := scenario.Problem{Msg: e}
		if m := lineMsg.FindStringSubmatch(e); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Msg = m[2]
			p.Path = pathAt(doc, p.Line, "")
		}
		if m := unmarshal.FindStringSubmatch(p.Msg); m != nil {
			want, ok := kindWords[m[3]]
			if !ok {
				want = m[3]
			}
			got := strconv.Quote(m[2])
			if m[1] == "seq" || m[1] == "map" {
				got = "a " + map[string]string{"seq": "list", "map": "mapping"}[m[1]]
			}
			p.Msg = fmt.Sprintf("expected %s, got %s", want, got)
		}
		ps = append(ps, p)
	}
	return ps
}

// pathAt is the field path of the value on a line.
func pathAt(node *yaml.Node, line int, prefix string) string {
	switch node.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i], node.Content[i+1]
			path := key.Value
			if prefix != "" {
				path = prefix + "." + key.Value
			}
			if key.Line == line && (value.Kind == yaml.ScalarNode || value.Line == line) {
				return path
			}
			if p := pathAt(value, line, path); p != "" {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, item := range node.Content {
			path := fmt.Sprintf("%s[%d]", prefix, i)
			if item.Line == line && item.Kind == yaml.ScalarNode {
				return path
			}
			if p := pathAt(item, line, path); p != "" {
				return p
			}
		}
	}
	return ""
}

// yamlProblem is a syntax error with its line.
func yamlProblem(err error) scenario.Problem {
	msg := err.Error()
	if m := lineMsg.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return scenario.Problem{Line: line, Msg: m[2]}
	}
	return scenario.Problem{Msg: strings.TrimPrefix(msg, "yaml: ")}
}
