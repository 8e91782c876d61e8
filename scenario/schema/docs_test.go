package schema

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

var update = flag.Bool("update", false, "rewrite descriptions.go and docs/scenario.schema.json")

// schemaFile is the committed schema.
var schemaFile = filepath.Join("..", "..", "docs", "scenario.schema.json")

// extractDocs reads the doc comments of package scenario's types and of
// their yaml fields: typeDocs by type name, fieldDocs by "Type.yaml_key".
// A field without a comment of its own takes the previous field's when
// that one names it ("Label and LabelZh are display names."). Go field
// names in a comment become the yaml keys the file uses.
func extractDocs(t *testing.T) (typeDocs, fieldDocs map[string]string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	require.NoError(t, err)
	typeDocs, fieldDocs = map[string]string{}, map[string]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				st, isStruct := ts.Type.(*ast.StructType)
				names := map[string]string{} // Go field name → yaml key
				if isStruct {
					for _, fl := range st.Fields.List {
						key := yamlKey(fl)
						for _, n := range fl.Names {
							if key != "" {
								names[n.Name] = key
							}
						}
					}
				}
				if text := clean(doc, names); text != "" {
					typeDocs[ts.Name.Name] = text
				}
				if !isStruct {
					continue
				}
				prev := ""
				for _, fl := range st.Fields.List {
					key := yamlKey(fl)
					text := clean(fl.Doc, names)
					if text == "" {
						text = clean(fl.Comment, names)
					}
					if text == "" && len(fl.Names) > 0 && regexp.MustCompile(`\b`+names[fl.Names[0].Name]+`\b`).MatchString(prev) {
						text = prev
					}
					prev = text
					if key == "" || text == "" {
						continue
					}
					fieldDocs[ts.Name.Name+"."+key] = text
				}
			}
		}
	}
	return typeDocs, fieldDocs
}

// sectionTypes map the sections of docs/scenario-format.md to the type
// whose keys their tables describe.
var sectionTypes = map[string]reflect.Type{
	"## 3.":     reflect.TypeFor[scenario.Scenario](),
	"## 4.":     reflect.TypeFor[scenario.Scenario](),
	"## 5.":     reflect.TypeFor[scenario.RunSettings](),
	"## 6.":     reflect.TypeFor[scenario.Scenario](),
	"## 7.":     reflect.TypeFor[scenario.Trait](),
	"## 8.":     reflect.TypeFor[scenario.TraitShares](),
	"## 10.":    reflect.TypeFor[scenario.Unit](),
	"### 11.1 ": reflect.TypeFor[scenario.Stage](),
	"### 11.3 ": reflect.TypeFor[scenario.NominateStage](),
	"### 11.4 ": reflect.TypeFor[scenario.FilterStage](),
	"### 11.5 ": reflect.TypeFor[scenario.SelectStage](),
	"### 11.6 ": reflect.TypeFor[scenario.ElectStage](),
	"## 12.":    reflect.TypeFor[scenario.Target](),
	"## 13.":    reflect.TypeFor[scenario.Share](),
	"## 20.":    reflect.TypeFor[scenario.Calibration](),
}

var (
	mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdCode = regexp.MustCompile("`([^`]*)`")
)

// tableDocs reads the key tables of the format reference: for every row,
// "Type.key" → its meaning, with its default when the table gives one.
func tableDocs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "scenario-format.md"))
	require.NoError(t, err)
	out := map[string]string{}
	var root reflect.Type
	var cols []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") {
			root, cols = nil, nil
			for prefix, typ := range sectionTypes {
				if strings.HasPrefix(line, prefix) {
					root = typ
				}
			}
			continue
		}
		if root == nil || !strings.HasPrefix(line, "|") {
			if !strings.HasPrefix(line, "|") {
				cols = nil
			}
			continue
		}
		cells := splitRow(line)
		if cols == nil {
			cols = cells
			continue
		}
		if strings.HasPrefix(cells[0], "---") || len(cells) != len(cols) || cols[0] != "key" {
			continue
		}
		row := map[string]string{}
		for i, c := range cols {
			row[strings.Fields(c)[0]] = cells[i]
		}
		meaning := plain(row["meaning"])
		if meaning == "" {
			continue
		}
		meaning = strings.ToUpper(meaning[:1]) + meaning[1:]
		if !strings.HasSuffix(meaning, ".") {
			meaning += "."
		}
		if d := plain(row["default"]); d != "" && d != "—" && !strings.HasPrefix(d, "— (") && d != `""` && !strings.HasPrefix(d, "none") {
			meaning += " Default: " + d + "."
		} else if strings.HasPrefix(d, "— (required)") {
			meaning += " Required."
		}
		keys := mdCode.FindAllStringSubmatch(cells[0], -1)
		parent := ""
		for i, k := range keys {
			path := k[1]
			if i > 0 && !strings.ContainsAny(path, ".[") {
				path = parent + path // "parameters[].min, max"
			}
			if j := strings.LastIndex(path, "."); j >= 0 {
				parent = path[:j+1]
			}
			for _, r := range []reflect.Type{root, reflect.TypeFor[scenario.Scenario]()} {
				if owner, key, ok := resolve(r, path); ok {
					if _, seen := out[owner+"."+key]; !seen {
						out[owner+"."+key] = meaning
					}
					break
				}
			}
		}
	}
	return out
}

func splitRow(line string) []string {
	line = strings.Trim(strings.TrimSpace(line), "|")
	// A \| inside a cell is an escaped bar.
	line = strings.ReplaceAll(line, `\|`, "\x00")
	cells := strings.Split(line, "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(strings.ReplaceAll(c, "\x00", "|"))
	}
	return cells
}

// plain drops Markdown links and code marks.
func plain(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdCode.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "**", "")
	return strings.TrimSpace(s)
}

// resolve follows a dotted key path ("voters.approval", "quotas[].min")
// from type t and returns the type owning the last key, and the key.
func resolve(t reflect.Type, path string) (owner, key string, ok bool) {
	parts := strings.Split(strings.ReplaceAll(path, "[]", ""), ".")
	for i, p := range parts {
		f, fok := fieldByKey(t, p)
		if !fok {
			return "", "", false
		}
		if i == len(parts)-1 {
			return f.owner, p, true
		}
		t = f.typ
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return "", "", false
		}
	}
	return "", "", false
}

type field struct {
	owner string
	typ   reflect.Type
}

// fieldByKey finds the field with a yaml key in t or its inline fields.
func fieldByKey(t reflect.Type, key string) (field, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" {
			if g, ok := fieldByKey(f.Type, key); ok {
				return g, true
			}
			continue
		}
		if name == key {
			return field{t.Name(), f.Type}, true
		}
	}
	return field{}, false
}

// yamlKey is a field's yaml key, "" for none or an inline field.
func yamlKey(f *ast.Field) string {
	if f.Tag == nil {
		return ""
	}
	tag, err := strconv.Unquote(f.Tag.Value)
	if err != nil {
		return ""
	}
	name, _, _ := strings.Cut(reflect.StructTag(tag).Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

var goName = regexp.MustCompile(`\b[A-Z][A-Za-z]*\b`)

// clean joins a comment's lines and writes Go field names as yaml keys.
func clean(cg *ast.CommentGroup, names map[string]string) string {
	if cg == nil {
		return ""
	}
	text := strings.Join(strings.Fields(cg.Text()), " ")
	return goName.ReplaceAllStringFunc(text, func(w string) string {
		if k, ok := names[w]; ok {
			return k
		}
		return w
	})
}

func writeDocs(typeDocs, fieldDocs map[string]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by go test ./scenario/schema -update; DO NOT EDIT.\n\n")
	b.WriteString("package schema\n\n")
	for _, m := range []struct {
		name, doc string
		docs      map[string]string
	}{
		{"typeDocs", "typeDocs are the doc comments of the scenario types.", typeDocs},
		{"fieldDocs", "fieldDocs are the doc comments of their fields, by \"Type.yaml_key\".", fieldDocs},
	} {
		keys := make([]string, 0, len(m.docs))
		for k := range m.docs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "// %s\nvar %s = map[string]string{\n", m.doc, m.name)
		for _, k := range keys {
			fmt.Fprintf(&b, "\t%q: %q,\n", k, m.docs[k])
		}
		b.WriteString("}\n\n")
	}
	return format.Source(b.Bytes())
}

// TestDescriptionsUpToDate checks that descriptions.go holds the doc
// comments of the scenario types as they are now.
func TestDescriptionsUpToDate(t *testing.T) {
	typeDocs, fieldDocs := allDocs(t)
	src, err := writeDocs(typeDocs, fieldDocs)
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile("descriptions.go", src, 0o644))
	}
	have, err := os.ReadFile("descriptions.go")
	require.NoError(t, err)
	assert.Equal(t, string(src), string(have), "descriptions.go is stale: run go test ./scenario/schema -update")
}

// allDocs are the descriptions: the doc comments, and where a field has
// no comment of its own, the format reference's tables.
func allDocs(t *testing.T) (typeDocs, fieldDocs map[string]string) {
	typeDocs, fieldDocs = extractDocs(t)
	require.NotEmpty(t, fieldDocs["Scenario.quota"])
	for k, v := range tableDocs(t) {
		if fieldDocs[k] == "" {
			fieldDocs[k] = v
		}
	}
	require.NotEmpty(t, fieldDocs["VoterModel.approval"])
	return typeDocs, fieldDocs
}

// TestSchemaFileUpToDate checks that the committed schema is the one the
// program prints.
func TestSchemaFileUpToDate(t *testing.T) {
	if *update {
		// Generate with the descriptions being written, not the compiled ones.
		typeDocs, fieldDocs = allDocs(t)
	}
	got, err := Generate()
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(schemaFile, got, 0o644))
	}
	have, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	assert.Equal(t, string(got), string(have), "docs/scenario.schema.json is stale: run go test ./scenario/schema -update")
}
