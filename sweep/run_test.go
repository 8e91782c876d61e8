package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
	"simulate/sim"
)

// loader returns a Loader of an embedded scenario with base overrides.
func loader(t testing.TB, name string, sets ...string) Loader {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok, name)
	return func(extra []string) (*scenario.Scenario, error) {
		return scenario.Load("embedded:"+name, data, scenario.Options{Sets: append(slices.Clone(sets), extra...)})
	}
}

// fileLoader returns a Loader of a testdata scenario.
func fileLoader(t *testing.T, path string, sets ...string) Loader {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return func(extra []string) (*scenario.Scenario, error) {
		return scenario.Load(path, data, scenario.Options{Sets: append(slices.Clone(sets), extra...)})
	}
}

const surplusKey = "stages[name=election].elect.surplus"

// teachingSweep is a 6-point sweep of the teaching scenario, 60 trials each.
func teachingSweep(t testing.TB, extra []string, sets ...string) *Sweep {
	t.Helper()
	d, err := NewDesign(DesignGrid, mustParams(t, surplusKey+"=0.05:0.15:0.05", "stages[name=election].elect.voters.approval=0.8,0.9"), 0)
	require.NoError(t, err)
	s, err := New(d, loader(t, "teaching", append([]string{"run.trials=60"}, sets...)...), extra, "test")
	require.NoError(t, err)
	return s
}

// runAll runs a sweep's points into a buffer.
func runAll(t testing.TB, s *Sweep, enc string, points []Point) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, enc, s.Columns(), true)
	require.NoError(t, err)
	_, err = s.Run(context.Background(), points, w, nil)
	require.NoError(t, err)
	return buf.Bytes()
}

func TestRowsRoundTrip(t *testing.T) {
	s := teachingSweep(t, []string{"women>=0.3"})
	for _, enc := range []string{EncodingCSV, EncodingJSONL} {
		t.Run(enc, func(t *testing.T) {
			data := runAll(t, s, enc, s.Points())
			f, err := Read(bytes.NewReader(data))
			require.NoError(t, err)
			require.Len(t, f.Rows, 6)
			assert.False(t, f.Partial)
			assert.Equal(t, s.Design.Keys(), f.Keys)
			assert.Equal(t, []string{"women", "front_line", "young", "women>=0.3"}, f.Targets)
			var again bytes.Buffer
			again.Write(f.Header)
			for _, r := range f.Rows {
				again.Write(r.Marshal(enc))
			}
			assert.Equal(t, string(data), again.String(), "rows read back encode to the same bytes")
		})
	}
}

func TestListValuesSurviveBothEncodings(t *testing.T) {
	def := Definition{Format: FormatTag, Design: "grid", Points: 1, Seed: 3, Trials: 1, RandomNumbers: RandomIndependent,
		Vary: []string{`a=[x, "y"],[z]`, "b[name=x,y]=true,false", "c=0x10,0x20"}}
	r := &Row{Point: 0, Points: 1, Trials: 1, Keys: []string{"a", "b[name=x,y]", "c"},
		Values: []string{"[x, \"y\"]", "true", "0x10"}, ScenarioHash: "h", SweepHash: def.Hash(), Version: "v", Definition: &def}
	r.Seed = PointSeed(def.Seed, r.Keys, r.Values)
	for _, enc := range []string{EncodingCSV, EncodingJSONL} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, enc, r.columns(), true)
		require.NoError(t, err)
		require.NoError(t, w.Write(r))
		f, err := Read(&buf)
		require.NoError(t, err, enc)
		require.Len(t, f.Rows, 1)
		assert.Equal(t, r.Keys, f.Rows[0].Keys, enc)
		assert.Equal(t, r.Values, f.Rows[0].Values, enc)
	}
}

func TestPointReRunAloneGivesItsRow(t *testing.T) {
	s := teachingSweep(t, nil)
	data := runAll(t, s, EncodingCSV, s.Points())
	f, err := Read(bytes.NewReader(data))
	require.NoError(t, err)
	p := s.Points()[4]
	row := f.Rows[4]
	// What 'simulate run --set KEY=VALUE … --seed SEED --trials 60' runs.
	sc, err := s.Load(append(s.Design.Sets(p), "run.seed="+u64(row.Seed)))
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), m, sim.Options{Trials: sc.Run.Trials, Seed: sc.Run.Seed, Workers: 3})
	require.NoError(t, err)
	for i, tr := range res.Targets {
		assert.Equal(t, tr.Met, row.Targets[i].Met)
		assert.Equal(t, tr.CILow, row.Targets[i].CILow)
	}
	assert.InDelta(t, res.Shares[0].Mean, row.Shares[0].Mean, 1e-9)
	assert.Equal(t, res.Shares[0].P05, row.Shares[0].P05)
}

func TestInterruptedSweepResumesToTheSameFile(t *testing.T) {
	s := teachingSweep(t, []string{"women>=0.3"})
	for _, enc := range []string{EncodingCSV, EncodingJSONL} {
		t.Run(enc, func(t *testing.T) {
			want := runAll(t, s, enc, s.Points())
			path := filepath.Join(t.TempDir(), "out."+enc)
			fh, err := os.Create(path)
			require.NoError(t, err)
			w, err := NewWriter(fh, enc, s.Columns(), true)
			require.NoError(t, err)
			// Cancel in the middle of the fourth point.
			ctx, cancel := context.WithCancel(context.Background())
			rows, err := s.Run(ctx, s.Points(), w, func(p Point, pos, done int) {
				if pos == 3 {
					cancel()
				}
			})
			require.NoError(t, fh.Close())
			var ie *InterruptedError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, 3, ie.Done)
			assert.Len(t, rows, 3)
			// A torn write at the moment of the kill.
			tail := rows[0].Marshal(enc)
			appendBytes(t, path, tail[:len(tail)/2])

			got, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := Read(bytes.NewReader(got))
			require.NoError(t, err)
			assert.Len(t, f.Rows, 3, "the file holds the finished points")
			assert.True(t, f.Partial)

			out, done, header, err := Resume(path, s.Expect(enc, s.Points()))
			require.NoError(t, err)
			assert.Len(t, done, 3)
			assert.False(t, header)
			w, err = NewWriter(out, enc, s.Columns(), header)
			require.NoError(t, err)
			_, err = s.Run(context.Background(), s.Points()[len(done):], w, nil)
			require.NoError(t, err)
			require.NoError(t, out.Close())
			got, err = os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "resumed file equals the uninterrupted one")

			// Resuming a finished file runs nothing.
			out, done, _, err = Resume(path, s.Expect(enc, s.Points()))
			require.NoError(t, err)
			out.Close()
			assert.Len(t, done, 6)
		})
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = fh.Write(b)
	require.NoError(t, err)
	require.NoError(t, fh.Close())
}

func TestResumeRefusesAnotherSweep(t *testing.T) {
	s := teachingSweep(t, nil)
	data := runAll(t, s, EncodingCSV, s.Points()[:2])
	tests := []struct {
		name    string
		other   func(t *testing.T) (*Sweep, string)
		errPart string
	}{
		{"another scenario", func(t *testing.T) (*Sweep, string) {
			return teachingSweep(t, nil, "units[0].entitled_voters=121"), EncodingCSV
		}, "different scenario"},
		{"another seed", func(t *testing.T) (*Sweep, string) {
			return teachingSweep(t, nil, "run.seed=8"), EncodingCSV
		}, "different sweep definition"},
		{"more trials", func(t *testing.T) (*Sweep, string) {
			return teachingSweep(t, nil, "run.trials=61"), EncodingCSV
		}, "ran 60 trials per point, this sweep runs 61"},
		{"another share target", func(t *testing.T) (*Sweep, string) {
			return teachingSweep(t, []string{"women>=0.3"}), EncodingCSV
		}, "reports the targets"},
		{"another encoding", func(t *testing.T) (*Sweep, string) { return s, EncodingJSONL }, "it is a csv file"},
		{"other keys", func(t *testing.T) (*Sweep, string) {
			d, err := NewDesign(DesignGrid, mustParams(t, surplusKey+"=0.05:0.15:0.05"), 0)
			require.NoError(t, err)
			o, err := New(d, loader(t, "teaching", "run.trials=60"), nil, "test")
			require.NoError(t, err)
			return o, EncodingCSV
		}, "it varies"},
		{"other values", func(t *testing.T) (*Sweep, string) {
			d, err := NewDesign(DesignGrid, mustParams(t, surplusKey+"=0.05:0.15:0.05", "stages[name=election].elect.voters.approval=0.9,0.8"), 0)
			require.NoError(t, err)
			o, err := New(d, loader(t, "teaching", "run.trials=60"), nil, "test")
			require.NoError(t, err)
			return o, EncodingCSV
		}, "different sweep definition"},
		{"another version", func(t *testing.T) (*Sweep, string) {
			o := teachingSweep(t, nil)
			o.Version = "test2"
			return o, EncodingCSV
		}, "written by simulate test, this is simulate test2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.csv")
			require.NoError(t, os.WriteFile(path, data, 0o644))
			o, enc := tc.other(t)
			_, _, _, err := Resume(path, o.Expect(enc, o.Points()))
			var me *MismatchError
			require.ErrorAs(t, err, &me)
			assert.Contains(t, err.Error(), tc.errPart)
			assert.Contains(t, err.Error(), "refusing to mix")
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, data, after, "a refused file is left alone")
		})
	}
}

func TestShardsMergeToTheUnsplitFile(t *testing.T) {
	s := teachingSweep(t, nil)
	for _, enc := range []string{EncodingCSV, EncodingJSONL} {
		t.Run(enc, func(t *testing.T) {
			want := runAll(t, s, enc, s.Points())
			var files []*File
			var names []string
			for k := 1; k <= 4; k++ {
				data := runAll(t, s, enc, Shard(s.Points(), k, 4))
				f, err := Read(bytes.NewReader(data))
				require.NoError(t, err)
				files = append(files, f)
				names = append(names, "part"+u64(uint64(k)))
			}
			// Order of the files does not matter.
			files[0], files[3] = files[3], files[0]
			names[0], names[3] = names[3], names[0]
			got, rows, err := Merge(files, names)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			assert.Len(t, rows, 6)

			_, _, err = Merge(files[:3], names[:3])
			assert.ErrorContains(t, err, "2 of the sweep's 6 points are missing (points 0, 4)")
			_, _, err = Merge(append(files, files[1]), append(names, "again"))
			assert.ErrorContains(t, err, "is in both")
		})
	}
	other := teachingSweep(t, nil, "run.seed=99")
	a, err := Read(bytes.NewReader(runAll(t, s, EncodingCSV, Shard(s.Points(), 1, 2))))
	require.NoError(t, err)
	b, err := Read(bytes.NewReader(runAll(t, other, EncodingCSV, Shard(other.Points(), 2, 2))))
	require.NoError(t, err)
	_, _, err = Merge([]*File{a, b}, []string{"a", "b"})
	assert.ErrorContains(t, err, "different sweep")
}

func TestReadRefusesOtherFiles(t *testing.T) {
	tests := []struct {
		data    string
		errPart string
	}{
		{`{"format":"simulate-partial/1"}` + "\n", "not a sweep file"},
		{"a,b,c\n1,2,3\n", "not a sweep file"},
		{"point,points,seed,trials,k,scenario_sha256,sweep_sha256,version,sweep_definition\n1,2\n", "line 2"},
		{"point,points,seed,trials,k,scenario_sha256,sweep_sha256,version\n1,2\n", "written by an earlier version of simulate"},
		{"point,points,seed,trials,k,target.women.met\n", "written by an earlier version of simulate"},
		{`{"point":0,"points":1,"seed":5,"trials":1,"values":{},"targets":[],"shares":[],"scenario_sha256":"h","sweep_sha256":"s","version":"v"}` + "\n", "written by an earlier version of simulate"},
		{"point,points,seed,trials,k,kind,name,statistic,value,scenario_sha256,sweep_sha256,version\n", "tidy"},
		{"hello", "not a sweep file"},
	}
	for _, tc := range tests {
		_, err := Read(bytes.NewReader([]byte(tc.data)))
		assert.ErrorContains(t, err, tc.errPart, tc.data)
	}
	// The start of a header, cut off: an empty file.
	f, err := Read(bytes.NewReader([]byte("point,poi")))
	require.NoError(t, err)
	assert.Empty(t, f.Encoding)
	assert.True(t, f.Partial)
}

func TestCheckRejectsBadPointsBeforeRunning(t *testing.T) {
	d, err := NewDesign(DesignGrid, mustParams(t, surplusKey+"=0.1,5"), 0)
	require.NoError(t, err)
	s, err := New(d, loader(t, "teaching"), nil, "test")
	require.NoError(t, err)
	err = s.Check(s.Points())
	var pe *PointError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Point.Index)
	var se *scenario.Error
	assert.ErrorAs(t, err, &se, "scenario errors stay visible (exit status 2)")

	d, err = NewDesign(DesignGrid, mustParams(t, "targets=[]"), 0)
	require.NoError(t, err)
	s, err = New(d, loader(t, "teaching"), nil, "test")
	require.NoError(t, err)
	assert.ErrorContains(t, s.Check(s.Points()), "changes the scenario's targets")

	_, err = New(d, loader(t, "teaching"), []string{"women"}, "test")
	assert.ErrorContains(t, err, "expected SHARE>=X or SHARE<=X")
	_, err = New(d, loader(t, "teaching"), []string{"nobody>=0.2"}, "test")
	assert.ErrorContains(t, err, "tracks no share")
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }

func TestSweepPrecisionRunsEachPointToIt(t *testing.T) {
	s := teachingSweep(t, []string{"women>=0.3"})
	s.Precision, s.MaxTrials = 0.06, 6000
	data := runAll(t, s, EncodingJSONL, s.Points())
	f, err := Read(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, f.Rows, 6)
	// The file continues only under the same rule.
	n, err := f.Check("x", s.Expect(EncodingJSONL, s.Points()))
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	plain := teachingSweep(t, []string{"women>=0.3"})
	_, err = f.Check("x", plain.Expect(EncodingJSONL, plain.Points()))
	require.Error(t, err)
	for i, r := range f.Rows {
		assert.GreaterOrEqual(t, r.Trials, 60)
		assert.Zero(t, r.Trials%60, "whole batches of the first batch")
		for _, c := range r.Targets {
			lo, hi := c.Probability-c.CILow, c.CIHigh-c.Probability
			assert.Less(t, max(lo, hi), 0.06, "point %d: %s", i, c.Name)
		}
		// The row is the plain run of its trials.
		one := teachingSweep(t, []string{"women>=0.3"}, "run.trials="+strconv.Itoa(r.Trials))
		row, err := one.RunPoint(context.Background(), one.Points()[i], nil)
		require.NoError(t, err)
		assert.Equal(t, r.Targets, row.Targets)
		for k := range r.Shares {
			assert.InDelta(t, row.Shares[k].Mean, r.Shares[k].Mean, 1e-9, "the file keeps 9 decimals")
		}
	}
}
