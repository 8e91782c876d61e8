package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"simulate/configs"
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
