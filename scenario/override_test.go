package scenario_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"simulate/scenario"
)

// settingsTree is a small scenario-shaped YAML document.
func settingsTree(t *testing.T) *yaml.Node {
	t.Helper()
	var tree yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(`
quota: 20
run: {trials: 100}
units:
  - {name: County, seats: 20, group: province}
  - {name: St. Helena, seats: 5, group: province}
  - {seats: 1}
stages:
  - {name: nomination, nominate: {mode: expanded}}
  - {name: election, elect: {surplus: 0.15}}
`), &tree))
	return &tree
}

// valueNode is v as a YAML node.
func valueNode(t *testing.T, v any) *yaml.Node {
	t.Helper()
	var n yaml.Node
	require.NoError(t, n.Encode(v))
	return &n
}

// decoded is the document as plain Go values.
func decoded(t *testing.T, doc *yaml.Node) any {
	t.Helper()
	var out map[string]any
	require.NoError(t, doc.Decode(&out))
	return out
}

// get follows a path of map keys and list indexes.
func get(tree any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			tree = tree.(map[string]any)[k]
		case int:
			tree = tree.([]any)[k]
		}
	}
	return tree
}

func TestSetPath(t *testing.T) {
	tests := []struct {
		path string
		val  any
		at   []any // where the value must land
	}{
		{"quota", 30, []any{"quota"}},
		{"run.trials", 500, []any{"run", "trials"}},
		{"run.seed", 9, []any{"run", "seed"}},
		{"units[0].seats", 21, []any{"units", 0, "seats"}},
		{"units[1].seats", 6, []any{"units", 1, "seats"}},
		{"units[name=County].seats", 22, []any{"units", 0, "seats"}},
		{"units[name=St. Helena].seats", 7, []any{"units", 1, "seats"}},
		{"units[ name = County ].group", "county", []any{"units", 0, "group"}},
		{"units[seats=5].seats", 6, []any{"units", 1, "seats"}},
		{"stages[name=election].elect.surplus", 0.2, []any{"stages", 1, "elect", "surplus"}},
		{"stages[1].elect.voters.approval", 0.8, []any{"stages", 1, "elect", "voters", "approval"}},
		{"new.nested.key", "x", []any{"new", "nested", "key"}},
		{"UNITS[0].Seats", 23, []any{"units", 0, "seats"}},
		{"units[0]", map[string]any{"name": "Town"}, []any{"units", 0}},
		{"units", []any{}, []any{"units"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			tree := settingsTree(t)
			require.NoError(t, scenario.SetPath(tree, tc.path, valueNode(t, tc.val)))
			assert.Equal(t, tc.val, get(decoded(t, tree), tc.at...))
		})
	}
}

func TestSetPathErrors(t *testing.T) {
	tests := []struct{ path, want string }{
		{"units[3].seats", "units[3]: index out of range (the list has 3 elements)"},
		{"units[group=province].seats", `units[group=province]: 2 elements have group "province" (units[0] and units[1] ...); use an index or a field that is unique`},
		{"units[name=<nil>].seats", `units[name=<nil>]: no element has name "<nil>"`},
		{"units[-1].seats", "units[-1]: index out of range"},
		{"units[name=Town].seats", `units[name=Town]: no element has name "Town"`},
		{"units[x].seats", "units[x]: expected an index or field=value"},
		{"units[].seats", "empty brackets"},
		{"units[0.seats", "unbalanced brackets"},
		{"units[0]].seats", "unbalanced brackets"},
		{"units..seats", "empty segment"},
		{".quota", "empty segment"},
		{"", "empty key"},
		{"quota.x", "quota is not a mapping"},
		{"units[0].seats.x", "units[0].seats is not a mapping"},
		{"run[0]", "run is not a list"},
		{"units[0].pool[0].trait", "units[0].pool is not a list"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			tree := settingsTree(t)
			err := scenario.SetPath(tree, tc.path, valueNode(t, 1))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func loadBase(t *testing.T, opts scenario.Options) (*scenario.Scenario, error) {
	t.Helper()
	return scenario.Load("base", []byte(readBase(t)), opts)
}

func TestSets(t *testing.T) {
	tests := []struct {
		sets  []string
		check func(t *testing.T, sc *scenario.Scenario)
	}{
		{[]string{"run.trials=500"}, func(t *testing.T, sc *scenario.Scenario) { assert.Equal(t, 500, sc.Run.Trials) }},
		{[]string{"run.seed=18446744073709551615"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, uint64(math.MaxUint64), sc.Run.Seed)
		}},
		{[]string{"units[name=County].seats=30", "quota=30"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, 30, sc.Units[0].Seats)
			assert.Equal(t, 30, sc.Quota)
		}},
		{[]string{"stages[name=election].elect.surplus=0.2"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, 0.2, sc.ElectStage().Surplus)
		}},
		{[]string{"stages[3].elect.strict=false"}, func(t *testing.T, sc *scenario.Scenario) { assert.False(t, sc.ElectStage().Strict) }},
		{[]string{"pool[0].shares={male: 0.5, female: 0.5}"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, map[string]float64{"male": 0.5, "female": 0.5}, sc.Pool[0].Shares)
		}},
		{[]string{"targets[name=women].when.gender=[female, male]"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, []string{"female", "male"}, sc.Targets[0].When["gender"])
		}},
		{[]string{"stages[name=reserve].select.size={count: 26}"}, func(t *testing.T, sc *scenario.Scenario) {
			size := sc.Stages[2].Select.Size
			require.NotNil(t, size.Count)
			assert.Equal(t, 26, *size.Count)
			assert.False(t, size.Ballot, "a replaced mapping keeps nothing of the old one")
		}},
		{[]string{"units[0].finite_pool=true"}, func(t *testing.T, sc *scenario.Scenario) { assert.True(t, sc.Units[0].FinitePool) }},
		{[]string{"units[0].pool=[{trait: gender, shares: {male: 0.5, female: 0.5}}]"}, func(t *testing.T, sc *scenario.Scenario) {
			require.Len(t, sc.Units[0].Pool, 1)
			assert.Equal(t, 0.5, sc.Units[0].Pool[0].Shares["female"])
		}},
		{[]string{"name=other-name", `title="quoted: with a colon"`}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, "other-name", sc.Name)
			assert.Equal(t, "quoted: with a colon", sc.Title)
		}},
		{[]string{"units[0].name='12'"}, func(t *testing.T, sc *scenario.Scenario) { assert.Equal(t, "12", sc.Units[0].Name) }},
		{[]string{"quota=25", "quota=20"}, func(t *testing.T, sc *scenario.Scenario) { assert.Equal(t, 20, sc.Quota) }},
		{[]string{" run.trials = 7"}, func(t *testing.T, sc *scenario.Scenario) { assert.Equal(t, 7, sc.Run.Trials) }},
		{[]string{"stages[0].nominate.ratio=1"}, func(t *testing.T, sc *scenario.Scenario) {
			assert.Equal(t, 1.0, sc.Stages[0].Nominate.Ratio, "an integer is a number")
		}},
		{[]string{"run.workers=0"}, func(t *testing.T, sc *scenario.Scenario) { assert.Equal(t, 0, sc.Run.Workers) }},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.sets, " "), func(t *testing.T) {
			sc, err := loadBase(t, scenario.Options{Sets: tc.sets})
			require.NoError(t, err)
			tc.check(t, sc)
		})
	}
}

func TestSetErrors(t *testing.T) {
	bomb := "[" + strings.Repeat("[", 0)
	for i := 0; i < 9; i++ {
		bomb += "&a" + string(rune('0'+i)) + " ["
		for j := 0; j < 9; j++ {
			if i == 0 {
				bomb += "lol,"
			} else {
				bomb += "*a" + string(rune('0'+i-1)) + ","
			}
		}
		bomb = strings.TrimSuffix(bomb, ",") + "],"
	}
	bomb = strings.TrimSuffix(bomb, ",") + "]"

	tests := []struct {
		set    string
		want   []string
		noLine bool // the problem is about the overridden value, not the file
	}{
		{"quota=abc", []string{`quota: expected an integer, got the string "abc" (set by override quota=abc)`}, true},
		{"quota=20.5", []string{"quota: expected an integer, got 20.5"}, true},
		{`quota="20"`, []string{`quota: expected an integer, got the string "20" (remove the quotes)`}, true},
		{"quota=true", []string{"quota: expected an integer, got the boolean true"}, true},
		{"quota=[20]", []string{"quota: expected an integer, got a list"}, true},
		{"quota=30", []string{"units: seats sum to 20 but the quota is 30"}, false},
		{"run.trials=1000000000000", []string{"run.trials: must be between 1 and 100000000, got 1000000000000 (set by override run.trials=1000000000000)"}, true},
		{"run.trials=1e12", []string{"run.trials: expected an integer, got 1000000000000.0 (write it without a decimal point or exponent)"}, true},
		{"run.trials=5.0", []string{"run.trials: expected an integer, got 5.0 (write it without a decimal point or exponent)"}, true},
		{"run.trials=18446744073709551615", []string{"run.trials: the integer 18446744073709551615 is out of range"}, true},
		{"run.trials=99999999999999999999", []string{"run.trials: the number 1e+20 is too large for an integer"}, true},
		{"run.trials=.nan", []string{"run.trials: expected an integer, got NaN"}, true},
		{"run.seed=-1", []string{"run.seed: expected a non-negative integer, got -1"}, true},
		{"run=5", []string{"run: expected a mapping, got the number 5"}, true},
		{"traits[0]=foo", []string{`traits[0]: expected a mapping, got the string "foo"`}, true},
		{"name=123", []string{"name: expected a string, got the number 123 (quote it to make it a string)"}, true},
		{"units[0].finite_pool=yes", []string{`units[0].finite_pool: expected true or false, got the string "yes" (write true or false)`}, true},
		{"units[0].finite_pool=1", []string{"units[0].finite_pool: expected true or false, got the number 1"}, true},
		{"foo=1", []string{"foo: unknown field (known here: name, title"}, true},
		{"units[0].sets=3", []string{`units[0].sets: unknown field; did you mean "seats"? (set by override units[0].sets=3)`}, true},
		{"units[0].sets=", []string{`units[0].sets: unknown field; did you mean "seats"? (set by override units[0].sets=)`}, true},
		{"foo=", []string{"foo: unknown field (known here: name, title"}, true},
		{"0=~", []string{"0: unknown field"}, true},
		{"stages[0].nominate.weights[0].trait=role", []string{"stages[0].nominate.weights is not a list (set by override stages[0].nominate.weights[0].trait=role)"}, true},
		{"pool[0].shares.fe-male=0.3", []string{`pool[0].shares.fe-male: "fe-male" must be a lower-case identifier`}, true},
		{"run.trials.x=1", []string{"run.trials is not a mapping (set by override run.trials.x=1)"}, true},
		{"stages[name=election].elect.surplus=-1", []string{"stages[3].elect.surplus: must be between 0 and 10, got -1 (set by override stages[name=election].elect.surplus=-1)"}, true},
		{"pool[0].shares={male: 0.5, female: 0.4}", []string{"pool[0].shares: shares must sum to 1, got 0.9 (set by override pool[0].shares="}, true},
		{"units[3].seats=1", []string{"units[3]: index out of range (the list has 1 elements) (set by override units[3].seats=1)"}, true},
		{"units[name=Town].seats=1", []string{`units[name=Town]: no element has name "Town" (set by override units[name=Town].seats=1)`}, true},
		{"noequals", []string{`override "noequals": expected key=value`}, true},
		{"=3", []string{`override "=3": expected key=value`}, true},
		{"units[0.seats=3", []string{"unbalanced brackets"}, true},
		{"quota=[1", []string{`quota: value "[1" is not valid YAML: line 1: did not find expected ',' or ']' (set by override quota=[1)`}, true},
		{"quota.x=1", []string{"quota is not a mapping (set by override quota.x=1)"}, true},
		{"quota=20\n---\n30", []string{`quota: value "20\n---\n30" holds more than one YAML document; give one value`}, true},
		{"pool[0].shares={Male: 0.5, female: 0.5}", []string{`key "Male" must be a lower-case identifier`}, true},
		{"pool[0].shares={1: 0.5}", []string{"key 1 is read as an integer, not a name"}, true},
		{"pool[0].shares={true: 0.5}", []string{"key true is read as a boolean"}, true},
		{"description=" + strings.Repeat("x", 70000), []string{"value is longer than 65536 bytes"}, true},
		{"description=" + bomb, []string{"expands to too many YAML nodes"}, true},
	}
	for _, tc := range tests {
		name := tc.set
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			_, err := loadBase(t, scenario.Options{Sets: []string{tc.set}})
			var se *scenario.Error
			require.True(t, errors.As(err, &se), "want *scenario.Error, got %v", err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			if tc.noLine {
				for _, p := range se.Problems {
					assert.Zero(t, p.Line, "problem %q comes from the override, not a file line", p)
				}
			}
		})
	}
}

// Overrides apply in their order, then Sets: a later value for the same
// key wins, and a key no override names keeps the file's value.
func TestOverrides(t *testing.T) {
	trials := func(v, origin string) scenario.Override {
		return scenario.Override{Key: "run.trials", Value: v, Origin: origin}
	}
	tests := []struct {
		name       string
		overrides  []scenario.Override
		sets       []string
		wantTrials int
		wantSeed   uint64
	}{
		{"file", nil, nil, 100, 7},
		{"one", []scenario.Override{trials("300", "a")}, nil, 300, 7},
		{"later wins", []scenario.Override{trials("300", "a"), trials("400", "b")}, nil, 400, 7},
		{"sets after overrides", []scenario.Override{trials("300", "a")}, []string{"run.trials=500"}, 500, 7},
		{"other keys stay", []scenario.Override{{Key: "run.seed", Value: "11", Origin: "c"}, trials("400", "b")}, nil, 400, 11},
		{"empty value is the default", []scenario.Override{trials("", "a")}, nil, scenario.DefaultTrials, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := loadBase(t, scenario.Options{Overrides: tc.overrides, Sets: tc.sets})
			require.NoError(t, err)
			assert.Equal(t, tc.wantTrials, sc.Run.Trials)
			assert.Equal(t, tc.wantSeed, sc.Run.Seed)
			assert.Equal(t, 0, sc.Run.Workers)
		})
	}
}

// Every problem with an overridden value says where the value came from, in
// the caller's words, and has no file line.
func TestOverrideOrigins(t *testing.T) {
	tests := []struct {
		ov   scenario.Override
		want string
	}{
		{scenario.Override{Key: "run.trials", Value: "abc", Origin: "environment variable SIMULATE_TRIALS"},
			`run.trials: expected an integer, got the string "abc" (set by environment variable SIMULATE_TRIALS)`},
		{scenario.Override{Key: "run.trials", Value: "1000000000000", Origin: "environment variable SIMULATE_TRIALS"},
			"run.trials: must be between 1 and 100000000, got 1000000000000 (set by environment variable SIMULATE_TRIALS)"},
		{scenario.Override{Key: "run.trials", Value: "many", Origin: "flag --trials"},
			`run.trials: expected an integer, got the string "many" (set by flag --trials)`},
		{scenario.Override{Key: "units[0].seats", Value: "-1", Origin: "--set units[0].seats=-1"},
			"units[0].seats: must be between 1 and 1000000, got -1 (set by --set units[0].seats=-1)"},
		{scenario.Override{Key: "run.seed", Value: "0.5", Origin: "config file /home/u/.config/simulate/config.yaml"},
			"run.seed: expected a non-negative integer, got 0.5 (set by config file /home/u/.config/simulate/config.yaml)"},
		{scenario.Override{Key: "quota.x", Value: "3", Origin: "flag --x"},
			"quota is not a mapping (set by flag --x)"},
		{scenario.Override{Key: "units[0].seets", Value: "3", Origin: "somewhere"},
			`units[0].seets: unknown field; did you mean "seats"? (set by somewhere)`},
	}
	for _, tc := range tests {
		t.Run(tc.ov.Origin+" "+tc.ov.Value, func(t *testing.T) {
			_, err := loadBase(t, scenario.Options{Overrides: []scenario.Override{tc.ov}})
			var se *scenario.Error
			require.True(t, errors.As(err, &se), "want *scenario.Error, got %v", err)
			assert.Contains(t, err.Error(), tc.want)
			for _, p := range se.Problems {
				assert.Zero(t, p.Line, "problem %q comes from the override, not a file line", p)
			}
		})
	}
}

func TestParseAssignment(t *testing.T) {
	ov, err := scenario.ParseAssignment("units[name=a=b].seats= 3", "o")
	require.NoError(t, err)
	assert.Equal(t, scenario.Override{Key: "units[name=a=b].seats", Value: " 3", Origin: "o"}, ov)
	_, err = scenario.ParseAssignment("noequals", "o")
	assert.EqualError(t, err, `"noequals": expected key=value, e.g. run.trials=500 or units[name=County].seats=30`)
	_, err = scenario.ParseAssignment("units[0.seats=3", "o")
	assert.EqualError(t, err, `"units[0.seats=3": unbalanced brackets in the key`)
}

// An override through an alias changes only the path it names: the anchor's
// other uses keep their value.
func TestOverrideThroughAlias(t *testing.T) {
	base := readBase(t)
	data := strings.Replace(base, "    entitled_voters: 120\n", "    entitled_voters: 120\n    pool: &p\n      - {trait: gender, shares: {male: 0.7, female: 0.3}}\n", 1)
	data += "central_pool: *p\n"
	sc, err := scenario.Load("alias", []byte(data), scenario.Options{Sets: []string{"units[0].pool[0].shares.male=0.6", "units[0].pool[0].shares.female=0.4"}})
	require.NoError(t, err)
	assert.Equal(t, 0.6, sc.Units[0].Pool[0].Shares["male"])
	assert.Equal(t, 0.7, sc.CentralPool[0].Shares["male"], "the anchor's other use is unchanged")
}

// Problems from the file keep their line and column.
func TestProblemColumns(t *testing.T) {
	data := strings.Replace(readBase(t), "quota: 20", `quota: "20"`, 1)
	_, err := scenario.Load("cols", []byte(data), scenario.Options{})
	var se *scenario.Error
	require.True(t, errors.As(err, &se), "got %v", err)
	require.Len(t, se.Problems, 1)
	assert.Equal(t, scenario.Problem{Path: "quota", Line: 7, Column: 8,
		Msg: `expected an integer, got the string "20" (remove the quotes)`}, se.Problems[0])
}
