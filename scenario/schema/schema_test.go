package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"simulate/configs"
	"simulate/scenario"
)

// compile compiles the generated schema with an independent draft 2020-12
// validator (which also checks the schema against the meta-schema).
func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := Generate()
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	require.NoError(t, c.AddResource(ID, doc))
	s, err := c.Compile(ID)
	require.NoError(t, err)
	return s
}

// instance reads a YAML scenario as the JSON value an editor's YAML
// language server checks: mapping keys as strings, and the non-finite
// numbers JSON cannot hold (.nan, .inf) as their YAML text, which no number
// rule accepts.
func instance(t *testing.T, data []byte) (any, error) {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	js, err := json.Marshal(toJSON(v))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(js))
}

func toJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = toJSON(x)
		}
		return v
	case map[any]any:
		m := map[string]any{}
		for k, x := range v {
			m[fmt.Sprint(k)] = toJSON(x)
		}
		return m
	case []any:
		for i, x := range v {
			v[i] = toJSON(x)
		}
		return v
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return v
}

// TestEmbeddedScenariosValidate checks every embedded scenario and every
// exercise's scenario against the schema.
func TestEmbeddedScenariosValidate(t *testing.T) {
	s := compile(t)
	files := map[string][]byte{}
	for _, name := range configs.Names() {
		data, ok := configs.Read(name)
		require.True(t, ok)
		files[name] = data
	}
	ex := configs.Exercises()
	require.NoError(t, fs.WalkDir(ex, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) != "scenario.yaml" {
			return err
		}
		data, err := fs.ReadFile(ex, path)
		files["exercises/"+path] = data
		return err
	}))
	require.Greater(t, len(files), 5)
	base, err := os.ReadFile(filepath.Join("..", "testdata", "base.yaml"))
	require.NoError(t, err)
	files["testdata/base.yaml"] = base
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			v, err := instance(t, data)
			require.NoError(t, err)
			assert.NoError(t, s.Validate(v))
		})
	}
}

// schemaLevel are the bad inputs (scenario/testdata/bad) whose error the
// schema can see alone: a wrong type, an unknown key, a value outside an
// enum, a bound or a name pattern, a missing required key. The others are
// YAML syntax errors, limits on the whole document, or rules relating
// several values (seats summing to the quota, shares summing to 1); 20.0
// for an integer is an integer in JSON.
var schemaLevel = map[string]string{
	"above_member_share_bad_max": "bound",
	"approval_one":               "bound",
	"bad_mode":                   "enum",
	"empty":                      "type",
	"float_seats":                "type",
	"huge_count":                 "bound",
	"huge_members":               "bound",
	"huge_quota":                 "bound",
	"inf_surplus":                "type",
	"key_not_string":             "unknown key",
	"list_for_int":               "type",
	"many_problems":              "pattern",
	"nan_rate":                   "type",
	"negative_inf_share":         "type",
	"negative_seats":             "bound",
	"negative_seed":              "bound",
	"null_document":              "type",
	"only_comments":              "type",
	"predicate_not_list":         "type",
	"quoted_float":               "type",
	"quoted_number":              "type",
	"string_for_bool":            "type",
	"string_for_name":            "type",
	"top_level_list":             "type",
	"top_level_scalar":           "type",
	"trials_1e12":                "bound",
	"trials_overflow":            "bound",
	"unknown_stage_key":          "unknown key",
	"unknown_top_key":            "unknown key",
	"unknown_unit_key":           "unknown key",
	"upper_case_key":             "unknown key",
	"upper_case_value_key":       "key pattern",
	"voters_1e9":                 "bound",
}

// TestSchemaLevelBadInputsFail checks that the schema refuses every bad
// input whose error is schema-level.
func TestSchemaLevelBadInputsFail(t *testing.T) {
	s := compile(t)
	for name, kind := range schemaLevel {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "testdata", "bad", name+".yaml"))
			require.NoError(t, err)
			v, err := instance(t, data)
			require.NoError(t, err, "the YAML itself reads")
			err = s.Validate(v)
			require.Error(t, err, "a %s error the schema should see", kind)
			t.Log(strings.SplitN(err.Error(), "\n", 3)[1:])
		})
	}
}

// TestRequiredKeysAreRequired checks every key the schema requires against
// the loader: removing it wherever it occurs in an embedded scenario (one
// place at a time) makes the scenario fail to load. A key the loader can do
// without must not be required by the schema.
func TestRequiredKeysAreRequired(t *testing.T) {
	required := map[string][]string{} // type name → required keys
	collect := func(n *node, name string) {
		if n != nil && len(n.Required) > 0 {
			required[name] = n.Required
		}
	}
	g := &generator{defs: &props{}, seen: map[reflect.Type]bool{}}
	root := g.object(reflect.TypeFor[scenario.Scenario]())
	collect(root, "Scenario")
	for _, name := range g.defs.names {
		collect(g.defs.nodes[name], name)
	}
	require.Contains(t, required, "Unit")
	tested := map[string]bool{}
	for _, name := range append(configs.Names(), "") {
		var data []byte
		if name == "" {
			var err error
			data, err = os.ReadFile(filepath.Join("..", "testdata", "base.yaml"))
			require.NoError(t, err)
		} else {
			data, _ = configs.Read(name)
		}
		var doc any
		require.NoError(t, yaml.Unmarshal(data, &doc))
		objects(reflect.TypeFor[scenario.Scenario](), doc, func(typ string, obj map[string]any) {
			for _, key := range required[typ] {
				v, ok := obj[key]
				if !ok || tested[typ+"."+key+"@"+name] {
					continue
				}
				tested[typ+"."+key+"@"+name] = true
				delete(obj, key)
				edited, err := yaml.Marshal(doc)
				obj[key] = v
				require.NoError(t, err)
				_, err = scenario.Load(name, edited, scenario.Options{})
				assert.Error(t, err, "%s: the loader accepts a %s without %s, but the schema requires it", name, typ, key)
			}
		})
	}
	for typ, keys := range required {
		for _, key := range keys {
			found := false
			for k := range tested {
				found = found || strings.HasPrefix(k, typ+"."+key+"@")
			}
			if !found {
				t.Logf("required %s.%s does not occur in the embedded scenarios", typ, key)
			}
		}
	}
}

// objects calls visit for every mapping of v that decodes into a struct,
// with the struct's type name, following t's yaml keys.
func objects(t reflect.Type, v any, visit func(typ string, obj map[string]any)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		visit(t.Name(), obj)
		var walk func(t reflect.Type)
		walk = func(t reflect.Type) {
			for i := range t.NumField() {
				f := t.Field(i)
				name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				if opts == "inline" {
					visit(f.Type.Name(), obj)
					walk(f.Type)
					continue
				}
				if x, ok := obj[name]; ok && name != "" {
					objects(f.Type, x, visit)
				}
			}
		}
		walk(t)
	case reflect.Slice:
		if xs, ok := v.([]any); ok {
			for _, x := range xs {
				objects(t.Elem(), x, visit)
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for _, x := range m {
				objects(t.Elem(), x, visit)
			}
		}
	}
}
