package sensitivity

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPoints is a small design with a continuous and a grid parameter whose
// outputs are a target (a count out of 20 trials) and a share.
func testPoints(t testing.TB, method string, independent bool) *Points {
	def := Definition{Format: FormatTag, Method: method, Seed: 3, Trials: 20, RandomNumbers: RandomCommon,
		Vary:    []string{"stages[name=election].elect.surplus=0.05:0.3", "stages[name=list].size=2:6:1"},
		Outputs: []string{"target.women", "share.women"}, ScenarioHash: "5ce7", Version: "test"}
	if independent {
		def.RandomNumbers = RandomIndependent
	}
	if method == Morris {
		def.Trajectories, def.Levels, def.TrajectoryDesign, def.Candidates, def.Points = 3, 4, Campolongo, 30, 9
	} else {
		def.Samples, def.Sampler, def.Points = 4, Halton, 16
	}
	des, keys, err := def.Design(0, 0)
	require.NoError(t, err)
	return NewPoints(def, des, keys)
}

// outputsAt are made-up outputs of point k: a count of trials over 20 and a share.
func outputsAt(k int) []float64 { return []float64{float64(k%21) / 20, 0.25 + float64(k)/100} }

// file writes the header and the rows of the given points.
func (p *Points) file(points ...int) []byte {
	b := bytes.NewBuffer(p.Def.Header())
	for _, k := range points {
		b.Write(p.Row(k, outputsAt(k)).Marshal())
	}
	return b.Bytes()
}

func all(n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = k
	}
	return out
}

func TestReadRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		method      string
		independent bool
	}{{Sobol, false}, {Sobol, true}, {Morris, false}} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			p := testPoints(t, tc.method, tc.independent)
			data := p.file(all(p.Def.Points)...)
			f, err := Read(bytes.NewReader(data), 0, 0)
			require.NoError(t, err)
			assert.False(t, f.Partial)
			assert.Equal(t, int64(len(data)), f.Complete)
			require.Len(t, f.Rows, p.Def.Points)
			y, err := f.Outputs()
			require.NoError(t, err)
			for k, row := range y {
				assert.Equal(t, outputsAt(k), row)
				if tc.independent {
					assert.NotEqual(t, p.Def.Seed, f.Rows[k].Seed, "point %d has its own seed", k)
				} else {
					assert.Equal(t, p.Def.Seed, f.Rows[k].Seed)
				}
			}
			// Grid values are the grid's, not the coordinate.
			assert.Contains(t, []string{"2", "3", "4", "5", "6"}, f.Rows[0].Values[1])

			// A cut-off last line is left out.
			cut, err := Read(bytes.NewReader(data[:len(data)-10]), 0, 0)
			require.NoError(t, err)
			assert.True(t, cut.Partial)
			assert.Len(t, cut.Rows, p.Def.Points-1)
			_, err = cut.Outputs()
			assert.ErrorContains(t, err, "finish it")
		})
	}
}

func TestReadRefusesTamperedFiles(t *testing.T) {
	p := testPoints(t, Sobol, false)
	good := string(p.file(all(p.Def.Points)...))
	lines := strings.SplitAfter(good, "\n")
	other := testPoints(t, Sobol, true)
	// edit replaces the first occurrence of old in line i.
	edit := func(i int, old, new string) string {
		l := slicesClone(lines)
		require.Contains(t, l[i], old)
		l[i] = strings.Replace(l[i], old, new, 1)
		return strings.Join(l, "")
	}
	tests := []struct {
		name, data, want string
	}{
		{"not a points file", "point,points\n", "not a sensitivity points file"},
		{"definition edited", edit(0, `"trials":20`, `"trials":40`), "does not hash"},
		{"hash edited", edit(0, `"sha256":"`, `"sha256":"0`), "does not hash"},
		{"header reformatted", edit(0, `{"format"`, `{ "format"`), "not written as this program writes it"},
		{"unknown field", edit(1, `{"point"`, `{"extra":1,"point"`), "unknown field"},
		{"probability not a count", edit(2, `"y":[0.05,`, `"y":[0.051,`), "not a number of trials out of 20"},
		{"share above 1", edit(3, `"y":[0.1,0.27]`, `"y":[0.1,1.27]`), "outside [0, 1]"},
		{"seed", edit(1, `"seed":3`, `"seed":4`), "seed 4 is not the point's seed 3"},
		{"coordinate", edit(1, `"x":[0.`, `"x":[0.1`), "the design's point"},
		{"point index", edit(1, `"point":0,`, `"point":1,`), "the design's point"},
		{"outside the design", edit(1, `"point":0,`, `"point":99,`), "outside the design's 16 points"},
		{"too few outputs", edit(1, `"y":[0,0.25]`, `"y":[0]`), "1 outputs for the definition's 2"},
		{"order", lines[0] + lines[2] + lines[1], "point 0 follows point 1"},
		{"duplicate", lines[0] + lines[1] + lines[1], "point 0 follows point 0"},
		{"line of another analysis", lines[0] + string(other.Row(0, outputsAt(0)).Marshal()), "a line of another analysis"},
		{"number reformatted", edit(1, `"y":[0,0.25]`, `"y":[0.0,0.25]`), "not written as this program writes it"},
		{"json garbage", lines[0] + "{\"point\":\n", "line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.data), 0, 0)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func TestDefinitionDesignRefusesIncompleteOrOversized(t *testing.T) {
	base := testPoints(t, Sobol, false).Def
	tests := []struct {
		name string
		mod  func(d *Definition)
		want string
	}{
		{"default sampler left out", func(d *Definition) { d.Sampler = "" }, "not written out in full"},
		{"morris field in sobol", func(d *Definition) { d.Levels = 4 }, "not written out in full"},
		{"points", func(d *Definition) { d.Points = 17 }, "points is 17, but the design has 16"},
		{"trials", func(d *Definition) { d.Trials = 0 }, "trials is 0"},
		{"random numbers", func(d *Definition) { d.RandomNumbers = "fresh" }, "random numbers"},
		{"outputs", func(d *Definition) { d.Outputs = []string{"women"} }, "outputs are target.NAME"},
		{"list param", func(d *Definition) { d.Vary = []string{"a.b=1,2"} }, "not a list"},
		{"huge design", func(d *Definition) { d.Samples = 1 << 40 }, "more than"},
		{"huge campolongo", func(d *Definition) {
			d.Method, d.Samples, d.Sampler = Morris, 0, ""
			d.Trajectories, d.Levels, d.TrajectoryDesign, d.Candidates = 1000, 4, Campolongo, 2000
			d.Vary = nil
			for i := range 12 {
				d.Vary = append(d.Vary, fmt.Sprintf("stages[name=e].elect.x%d=0:1", i))
			}
		}, "too much work"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := base
			d.Vary, d.Outputs = slicesClone(base.Vary), slicesClone(base.Outputs)
			tc.mod(&d)
			_, _, err := d.Design(0, 0)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestMergeShards(t *testing.T) {
	p := testPoints(t, Morris, false)
	whole := p.file(all(p.Def.Points)...)
	read := func(data []byte) *File {
		f, err := Read(bytes.NewReader(data), 0, 0)
		require.NoError(t, err)
		return f
	}
	var shards []*File
	var names []string
	for k := range 3 {
		var pts []int
		for i := k; i < p.Def.Points; i += 3 {
			pts = append(pts, i)
		}
		shards = append(shards, read(p.file(pts...)))
		names = append(names, fmt.Sprintf("part%d", k+1))
	}
	out, merged, err := Merge(shards, names)
	require.NoError(t, err)
	assert.Equal(t, string(whole), string(out))
	assert.Len(t, merged.Rows, p.Def.Points)

	_, _, err = Merge(shards[:2], names[:2])
	assert.ErrorContains(t, err, "3 of the analysis's 9 points are missing (points 2, 5, 8)")
	_, _, err = Merge(append(shards, shards[0]), append(names, "again"))
	assert.ErrorContains(t, err, "point 0 is in both part1 and again")
	other := testPoints(t, Morris, true)
	_, _, err = Merge([]*File{shards[0], read(other.file(1))}, []string{"a", "b"})
	assert.ErrorContains(t, err, "not shards of one analysis")
	partial := read(whole[:len(whole)-3])
	_, _, err = Merge([]*File{partial}, []string{"cut"})
	assert.ErrorContains(t, err, "incomplete line")
}

func TestContinueRefusesOtherAnalyses(t *testing.T) {
	p := testPoints(t, Sobol, false)
	f, err := Read(bytes.NewReader(p.file(0, 1, 2)), 0, 0)
	require.NoError(t, err)
	n, err := f.Continue("f", p.Def, all(16))
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	_, err = f.Continue("f", p.Def, []int{1, 4, 7})
	assert.ErrorContains(t, err, "line 2 is point 0, but this run's point 1 is 1")
	d := p.Def
	d.ScenarioHash = "beef"
	_, err = f.Continue("f", d, all(16))
	assert.ErrorContains(t, err, "different scenario")
	d = p.Def
	d.Version = "other"
	_, err = f.Continue("f", d, all(16))
	assert.ErrorContains(t, err, "simulate test, this is simulate other")
	d = p.Def
	d.Seed = 4
	_, err = f.Continue("f", d, all(16))
	assert.ErrorContains(t, err, "different analysis")
}

// FuzzReadPoints feeds Read arbitrary files: it must never panic, and a
// file it accepts must hold exactly the lines it reports, each one a point
// of the design, and analyse without error when complete.
func FuzzReadPoints(f *testing.F) {
	for _, m := range []string{Sobol, Morris} {
		p := testPoints(f, m, m == Morris)
		whole := p.file(all(p.Def.Points)...)
		f.Add(whole)
		f.Add(p.file(1, 4, 7))
		f.Add(whole[:len(whole)-5])
	}
	f.Add([]byte(""))
	f.Add([]byte(`{"sensitivity_definition":{}}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(bytes.NewReader(data), 10, 0.9)
		if err != nil {
			return
		}
		got := bytes.Join(append([][]byte{file.Header}, file.Lines...), nil)
		require.Equal(t, string(data[:file.Complete]), string(got))
		if file.Header == nil {
			return
		}
		for _, r := range file.Rows {
			require.NoError(t, file.Points.Check(r))
		}
		if y, err := file.Outputs(); err == nil {
			_, err := file.Points.Des.Analyze(file.Def.Outputs, y)
			require.NoError(t, err)
		}
		_, _, _ = Merge([]*File{file}, []string{"f"})
	})
}

func TestEvaluatePointsEmitsInOrder(t *testing.T) {
	des, err := NewDesign(box(2, 0, 1), Options{N: 8})
	require.NoError(t, err)
	points := []int{1, 4, 7, 10, 13, 16, 19}
	// Point 1 waits until point 4 has finished: the emits still come in
	// the order of points.
	fourDone := make(chan struct{})
	var emitted []int
	err = des.EvaluatePoints(context.Background(), func(_ context.Context, x []float64) ([]float64, error) {
		if x[0] == des.Point(1)[0] && x[1] == des.Point(1)[1] {
			<-fourDone
		}
		if x[0] == des.Point(4)[0] && x[1] == des.Point(4)[1] {
			defer close(fourDone)
		}
		return []float64{x[0]}, nil
	}, points, 2, nil, func(k int, y []float64) error {
		assert.Equal(t, des.Point(k)[0], y[0])
		emitted = append(emitted, k)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, points, emitted)

	// Cancelled at the fourth point: the emitted points are a prefix.
	ctx, cancel := context.WithCancel(context.Background())
	emitted = nil
	n := 0
	err = des.EvaluatePoints(ctx, func(ctx context.Context, x []float64) ([]float64, error) {
		n++
		if n == 4 {
			cancel()
			return nil, ctx.Err()
		}
		return []float64{x[0]}, nil
	}, points, 1, nil, func(k int, _ []float64) error {
		emitted = append(emitted, k)
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, points[:3], emitted)
}
