package scenario_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/scenario"
)

var update = flag.Bool("update", false, "rewrite testdata/bad/*.want from the loader's current messages")

const (
	// loadTimeout bounds one Load of a bad input: none may hang.
	loadTimeout = 5 * time.Second
	// maxAlloc bounds the bytes one Load of a bad input may allocate.
	maxAlloc = 200 << 20
)

// loadBounded loads data in a goroutine and fails the test when it takes
// longer than loadTimeout or allocates more than maxAlloc bytes.
func loadBounded(t *testing.T, name string, data []byte, opts scenario.Options) (*scenario.Scenario, error) {
	t.Helper()
	return loadBoundedAlloc(t, name, data, maxAlloc, opts)
}

func loadBoundedAlloc(t *testing.T, name string, data []byte, limit uint64, opts ...scenario.Options) (*scenario.Scenario, error) {
	t.Helper()
	var o scenario.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	type result struct {
		sc  *scenario.Scenario
		err error
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan result, 1)
	go func() {
		sc, err := scenario.Load(name, data, o)
		done <- result{sc, err}
	}()
	select {
	case r := <-done:
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		assert.Less(t, alloc, limit, "loading %s allocated %d MB", name, alloc>>20)
		return r.sc, r.err
	case <-time.After(loadTimeout):
		t.Fatalf("loading %s did not finish within %v", name, loadTimeout)
		return nil, nil
	}
}

// readWant reads a .want file: one expected substring of the error per line;
// "# problems: N" fixes the number of problems; other lines starting with
// "#" are comments.
func readWant(t *testing.T, path string) (lines []string, problems int) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err, "every bad input needs a .want file")
	problems = -1
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "# problems: "):
			problems, err = strconv.Atoi(strings.TrimPrefix(l, "# problems: "))
			require.NoError(t, err)
		case strings.HasPrefix(l, "#"), strings.TrimSpace(l) == "":
		default:
			lines = append(lines, l)
		}
	}
	require.NotEmpty(t, lines, "%s lists no expected message", path)
	return lines, problems
}

// badInputs lists the corpus: every file in testdata/bad but the .want files.
func badInputs(t testing.TB) []string {
	files, err := filepath.Glob("testdata/bad/*")
	require.NoError(t, err)
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".want") {
			out = append(out, f)
		}
	}
	return out
}

func TestBadInputs(t *testing.T) {
	files := badInputs(t)
	require.GreaterOrEqual(t, len(files), 25)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, filepath.Ext(name)), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			sc, err := loadBounded(t, name, data, scenario.Options{})
			require.Error(t, err, "%s must be refused", name)
			assert.Nil(t, sc)
			var se *scenario.Error
			require.True(t, errors.As(err, &se), "want *scenario.Error, got %T: %v", err, err)
			assert.Equal(t, name, se.Source)
			require.NotEmpty(t, se.Problems)
			for _, p := range se.Problems {
				assert.NotEmpty(t, p.Msg, "problem %+v has no message", p)
				assert.NotContains(t, p.Msg, "mapstructure", "raw decoder wording")
				assert.NotContains(t, p.Msg, "unmarshal", "raw decoder wording")
			}
			wantPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".want"
			if *update {
				writeWant(t, wantPath, data, se)
			}
			want, n := readWant(t, wantPath)
			msg := err.Error()
			for _, w := range want {
				assert.Contains(t, msg, w)
			}
			if n >= 0 {
				assert.Len(t, se.Problems, n, "number of problems in:\n%s", msg)
			}
		})
	}
}

// writeWant records the loader's current problems as the expected messages,
// keeping the comment lines of the case.
func writeWant(t *testing.T, path string, data []byte, se *scenario.Error) {
	var b bytes.Buffer
	if old, err := os.ReadFile(path); err == nil {
		for _, l := range strings.Split(string(old), "\n") {
			if strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "# problems: ") {
				b.WriteString(l + "\n")
			}
		}
	} else if c, ok := bytes.CutPrefix(data, []byte("# ")); ok && bytes.IndexByte(c, '\n') > 0 {
		b.WriteString("# " + string(c[:bytes.IndexByte(c, '\n')]) + "\n")
	}
	b.WriteString("# problems: " + strconv.Itoa(len(se.Problems)) + "\n")
	for _, p := range se.Problems {
		b.WriteString(p.String() + "\n")
	}
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}

// The alias bomb must be refused before anything expands it: a tiny
// allocation, measured on its own.
func TestAliasBombMemory(t *testing.T) {
	for _, name := range []string{"alias_bomb.yaml", "alias_bomb_in_field.yaml", "alias_near_limit.yaml", "anchor_self_reference.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata/bad", name))
		require.NoError(t, err)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err = scenario.Load(name, data, scenario.Options{})
		runtime.GC()
		runtime.ReadMemStats(&after)
		require.Error(t, err)
		alloc := after.TotalAlloc - before.TotalAlloc
		growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		t.Logf("%s: allocated %d KB, heap grew %d KB: %v", name, alloc>>10, growth>>10, err)
		assert.Less(t, alloc, uint64(200<<20), "%s allocated %d MB", name, alloc>>20)
		assert.Less(t, growth, int64(200<<20))
	}
}

// A file larger than MaxFileBytes is refused, by Load and by ReadFile
// without reading it whole.
func TestOversizedInput(t *testing.T) {
	big := bytes.Repeat([]byte("# padding padding padding padding padding padding\n"), scenario.MaxFileBytes/50+10)
	require.Greater(t, len(big), scenario.MaxFileBytes)
	_, err := loadBounded(t, "big.yaml", big, scenario.Options{})
	var se *scenario.Error
	require.True(t, errors.As(err, &se), "got %v", err)
	assert.Contains(t, err.Error(), "a scenario may be at most")

	path := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(path, big, 0o644))
	_, err = scenario.ReadFile(path)
	require.True(t, errors.As(err, &se), "got %v", err)
	assert.Contains(t, err.Error(), "larger than")

	_, err = scenario.ReadFile(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	ok, err := scenario.ReadFile("testdata/base.yaml")
	require.NoError(t, err)
	_, err = scenario.Load("base", ok, scenario.Options{})
	assert.NoError(t, err)
}

// Every problem in a scenario is listed at once, each with its field path and
// line, sorted by line.
func TestEveryProblemListed(t *testing.T) {
	base := readBase(t)
	data := strings.NewReplacer(
		"quota: 20", "quota: -1",
		"{male: 0.7, female: 0.3}", "{male: 0.7, female: 0.2}",
		"ratio: 0.6", "ratio: -1",
		"approval: 0.85", "approval: 0",
		"min_count: 4", "min_count: -4",
	).Replace(base)
	_, err := scenario.Load("many", []byte(data), scenario.Options{})
	var se *scenario.Error
	require.True(t, errors.As(err, &se), "got %v", err)
	paths := map[string]bool{}
	last := 0
	for _, p := range se.Problems {
		paths[p.Path] = true
		assert.Positive(t, p.Line, "%s has no line", p)
		assert.GreaterOrEqual(t, p.Line, last, "problems sorted by line")
		last = p.Line
	}
	for _, want := range []string{"quota", "pool[0].shares", "stages[0].nominate.ratio", "stages[3].elect.voters.approval", "targets[1].min_count"} {
		assert.True(t, paths[want], "no problem at %s in:\n%v", want, err)
	}
	assert.Contains(t, err.Error(), "invalid scenario (")
}

// Type errors from the file are all listed with paths and lines, not only
// the first.
func TestTypeErrorsListed(t *testing.T) {
	data := strings.NewReplacer(
		"quota: 20", `quota: "20"`,
		"    seats: 20\n", "    seats: twenty\n",
		"      ratio: 0.6\n", "      ratio: [0.6]\n      ration: 1\n",
	).Replace(readBase(t))
	_, err := scenario.Load("types", []byte(data), scenario.Options{})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{
		`line 7: quota: expected an integer, got the string "20" (remove the quotes)`,
		`line 28: units[0].seats: expected an integer, got the string "twenty"`,
		`line 35: stages[0].nominate.ratio: expected a number, got a list`,
		`line 36: stages[0].nominate.ration: unknown field; did you mean "ratio"?`,
	} {
		assert.Contains(t, msg, want)
	}
}

func readBase(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/base.yaml")
	require.NoError(t, err)
	return string(b)
}

// The largest files Load accepts, filled with the smallest values YAML has,
// are parsed within bounded time and memory.
func TestLargeInputsBounded(t *testing.T) {
	fill := func(head, item, tail string) []byte {
		n := (scenario.MaxFileBytes - len(head) - len(tail)) / len(item)
		return []byte(head + strings.Repeat(item, n) + tail)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"flow list", fill("x: [", "1,", "1]"), "document has more than 131072 YAML nodes"},
		{"flow mappings", fill("x: [", "{a: 1},", "1]"), "document has more than 131072 YAML nodes"},
		{"block list", fill("x:\n", "- a\n", ""), "document has more than 131072 YAML nodes"},
		{"block mappings", fill("x:\n", "- a: 1\n", ""), "document has more than 131072 YAML nodes"},
		{"one long scalar", fill("x: ", "a", ""), "x: unknown field"},
		{"long comment", fill("", "# comment\n", ""), "empty document"},
		{"many keys", fill("description: |\n", "  line\n", "name: x\n"), "quota: missing: give a value between 1"},
		{"units everywhere", fill("units:\n", "- {name: u, seats: -1}\n", ""), "document has more than 131072 YAML nodes"},
		{"units just under the node limit", []byte("units:\n" + strings.Repeat("- {name: u, seats: -1}\n", scenario.MaxNodes/5-10)), "units: needs between 1 and 10000 units, got 26204"},
		{"values just under the node limit", []byte("x: [" + strings.Repeat("1,", scenario.MaxNodes-10) + "1]"), "x: unknown field"},
		{"aliases of a large list", []byte("a: &a [" + strings.Repeat("1,", 50_000) + "1]\nb: [*a, *a, *a]\n"), "alias bomb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.LessOrEqual(t, len(tc.data), scenario.MaxFileBytes)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := loadBoundedAlloc(t, tc.name, tc.data, 300<<20)
			runtime.ReadMemStats(&after)
			t.Logf("%v, %d MB allocated", time.Since(start), (after.TotalAlloc-before.TotalAlloc)>>20)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
