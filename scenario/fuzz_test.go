package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"simulate/configs"
	"simulate/scenario"
)

// fuzzOptions are the fixed overrides of FuzzLoad: a set that every valid
// scenario accepts, so the override path runs on every input.
var fuzzOptions = scenario.Options{Sets: []string{"run.workers=1"}}

// addSeeds adds the valid scenarios, the bad-input corpus and a few
// mutations of the base scenario.
func addSeeds(f *testing.F) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base)
	for _, name := range configs.Names() {
		if name == configs.Default {
			continue // large: the fuzzer mutates small inputs better
		}
		data, _ := configs.Read(name)
		f.Add(data)
	}
	files, err := filepath.Glob("testdata/bad/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range files {
		if strings.HasSuffix(path, ".want") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= 16<<10 { // big inputs slow the fuzzer down more than they teach it

			f.Add(data)
		}
	}
	b := string(base)
	for _, m := range [][2]string{
		{"quota: 20", "quota: &q 20\nunits_alias: *q"},
		{"pool:\n", "shared: &s {male: 0.5, female: 0.5}\npool:\n"},
		{"    seats: 20\n", "    seats: 10\n  - name: Town\n    seats: 10\n    entitled_voters: 50\n"},
		{"size: {ballot: true}", "size: {surplus: 0.3, strict: true}"},
		{"mode: expanded\n      ratio: 0.6", "mode: combined\n      ratio: 0.6\n      expanded_share: 0.5"},
		{"    entitled_voters: 120\n", "    entitled_voters: 120\n    central: 2\n    uncontested: true\n"},
		{"    entitled_voters: 120\n", "    entitled_voters: 120\n    recommending:\n      - {name: a, weight: 1}\n      - {name: b, weight: 2, pool: [{trait: gender, shares: {female: 1}}]}\n"},
		{"    members: 5000\n", "    members: 100\n    finite_pool: true\n"},
		{"targets:\n", "targets:\n  - {name: each, when: {role: [cadre]}, max_count: 10, scope: each, groups: [county]}\n"},
		{"stages:\n", "central_pool:\n  - trait: gender\n    shares: {male: 1}\nstages:\n"},
		{"{male: 0.7, female: 0.3}", "{male: 7e-1, female: 0x0}"},
		{"name: base", "name: base\n<<: {title: merged}"},
	} {
		f.Add([]byte(strings.Replace(b, m[0], m[1], 1)))
	}
}

// FuzzLoad: no input makes Load panic or hang, every refusal is a
// *scenario.Error naming at least one problem, and every accepted scenario
// satisfies the invariants the simulator relies on.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenario.Load("fuzz", data, fuzzOptions)
		if err != nil {
			checkError(t, err)
			return
		}
		checkInvariants(t, sc)
		again, err := scenario.Load("fuzz", data, fuzzOptions)
		if err != nil {
			t.Fatalf("second load failed: %v", err)
		}
		if sc.Hash() != again.Hash() {
			t.Fatal("the hash differs between two loads of the same input")
		}
	})
}

// FuzzSet: no --set value makes Load panic, on the base scenario.
func FuzzSet(f *testing.F) {
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"run.trials=500", "units[0].seats=30", "units[name=County].seats=3", "stages[name=election].elect.surplus=0.2",
		"pool[0].shares={male: 0.5, female: 0.5}", "quota=abc", "units[0.seats=3", "x=[&a [1,2], *a]", "units[0]=~",
		"stages[0].nominate={mode: full}", "targets[0].when={}", "traits[0].values=[a, b, c]", "run.seed=-1",
		"foo=", "units[0].sets=", "run.trials=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		sc, err := scenario.Load("base", base, scenario.Options{Sets: []string{set}})
		if err != nil {
			checkError(t, err)
			return
		}
		checkInvariants(t, sc)
		// An accepted key names a field, even when its value is null.
		key, _, _ := strings.Cut(set, "=")
		top := strings.ToLower(strings.TrimSpace(strings.FieldsFunc(key, func(r rune) bool { return r == '.' || r == '[' })[0]))
		if !topLevelKeys[top] {
			t.Fatalf("--set %q accepted an unknown key %q", set, top)
		}
	})
}

// topLevelKeys are the keys a scenario file may have at its top level.
var topLevelKeys = func() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeOf(scenario.Scenario{})
	for i := 0; i < t.NumField(); i++ {
		out[t.Field(i).Tag.Get("yaml")] = true
	}
	return out
}()

func checkError(t *testing.T, err error) {
	t.Helper()
	var se *scenario.Error
	if !errors.As(err, &se) {
		t.Fatalf("want *scenario.Error, got %T: %v", err, err)
	}
	if len(se.Problems) == 0 {
		t.Fatal("an error without problems")
	}
	for _, p := range se.Problems {
		if p.Msg == "" {
			t.Fatalf("a problem without message: %+v", p)
		}
	}
	_ = se.Error()
}

func checkInvariants(t *testing.T, sc *scenario.Scenario) {
	t.Helper()
	if sc == nil {
		t.Fatal("no error and no scenario")
	}
	if sc.Run.Trials < 1 || sc.Run.Trials > scenario.MaxTrials {
		t.Fatalf("trials %d out of range", sc.Run.Trials)
	}
	if sc.Run.Workers < 0 || sc.Run.Workers > scenario.MaxWorkers {
		t.Fatalf("workers %d out of range", sc.Run.Workers)
	}
	if sc.Quota < 1 || sc.Quota > scenario.MaxQuota {
		t.Fatalf("quota %d out of range", sc.Quota)
	}
	if len(sc.Traits) == 0 || len(sc.Traits) > scenario.MaxTraits {
		t.Fatalf("%d traits", len(sc.Traits))
	}
	if len(sc.Units) == 0 || len(sc.Units) > scenario.MaxUnits {
		t.Fatalf("%d units", len(sc.Units))
	}
	seats := 0
	for i := range sc.Units {
		u := &sc.Units[i]
		if u.Seats < 1 || u.Central < 0 || u.Central >= u.Seats {
			t.Fatalf("unit %d: seats %d, central %d", i, u.Seats, u.Central)
		}
		seats += u.Seats
		for j := range sc.Stages {
			st := &sc.Stages[j]
			if st.Select != nil {
				if n := sc.ListSize(st.Select.Size, u); n < 0 || n > scenario.MaxListSize+scenario.MaxQuota {
					t.Fatalf("unit %d stage %d: list size %d", i, j, n)
				}
			}
		}
		if e := sc.ElectStage(); e != nil && (u.EntitledVoters < 1 || u.EntitledVoters > scenario.MaxVoters) {
			t.Fatalf("unit %d: %d voters", i, u.EntitledVoters)
		}
	}
	if seats != sc.Quota {
		t.Fatalf("seats sum to %d, quota %d", seats, sc.Quota)
	}
	if len(sc.Stages) == 0 || sc.Stages[0].Kind() != scenario.KindNominate {
		t.Fatal("the first stage must nominate")
	}
	for i := range sc.Stages {
		if sc.Stages[i].Kind() == "" {
			t.Fatalf("stage %d has no kind", i)
		}
	}
	if len(sc.Hash()) != 64 { // also: the hash never panics (no NaN or Inf left)
		t.Fatal("bad hash")
	}
}
