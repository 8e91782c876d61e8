package sweep

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tamper rewrites the second row of a sweep file through edit.
func tamper(t *testing.T, data []byte, enc string, edit func(r *Row)) []byte {
	t.Helper()
	f, err := Read(bytes.NewReader(data))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(f.Rows), 2)
	var b bytes.Buffer
	b.Write(f.Header)
	for i, r := range f.Rows {
		if i == 1 {
			c := *r
			c.Targets = append([]TargetStat(nil), r.Targets...)
			c.Shares = append([]ShareStat(nil), r.Shares...)
			edit(&c)
			r = &c
		}
		b.Write(r.Marshal(enc))
	}
	return b.Bytes()
}

var tamperings = []struct {
	name    string
	edit    func(r *Row)
	errPart string
	csvOnly bool // JSON has no NaN or Inf
}{
	{"probability NaN", func(r *Row) { r.Targets[0].Probability = math.NaN() }, "must be numbers", true},
	{"interval Inf", func(r *Row) { r.Targets[0].CIHigh = math.Inf(1) }, "must be numbers", true},
	{"negative met", func(r *Row) { r.Targets[0].Met = -1 }, "met is -1, outside 0 … 60 trials", false},
	{"met above trials", func(r *Row) { r.Targets[0].Met = 61 }, "met is 61, outside 0 … 60 trials", false},
	{"probability not met/trials", func(r *Row) { r.Targets[1].Probability += 0.01 }, "is not met/trials", false},
	{"met edited alone", func(r *Row) { r.Targets[0].Met = (r.Targets[0].Met + 1) % 60 }, "is not met/trials", false},
	{"interval not Wilson", func(r *Row) { r.Targets[0].CILow /= 2 }, "is not the 95% Wilson interval", false},
	{"interval widened", func(r *Row) { r.Targets[0].CIHigh = 1 }, "is not the 95% Wilson interval", false},
	{"share above 1", func(r *Row) { r.Shares[0].P95 = 1.5 }, "between 0 and 1, got 1.5", false},
	{"share negative", func(r *Row) { r.Shares[0].Mean = -0.25 }, "between 0 and 1, got -0.25", false},
	{"share NaN", func(r *Row) { r.Shares[0].P50 = math.NaN() }, "between 0 and 1, got NaN", true},
	{"quantiles disordered", func(r *Row) { r.Shares[0].P05, r.Shares[0].P95 = r.Shares[0].P95, r.Shares[0].P05-0.01 }, "quantiles out of order", false},
	{"point outside", func(r *Row) { r.Point = 6 }, "point 6 is outside the sweep's 6 points", false},
	{"negative point", func(r *Row) { r.Point = -1 }, "outside the sweep's", false},
	{"no trials", func(r *Row) { r.Trials = 0 }, "trials is 0", false},
	{"seed edited", func(r *Row) { r.Seed++ }, "is not the point's seed", false},
	{"base seed edited", func(r *Row) { d := *r.Definition; d.Seed++; r.Definition = &d }, "does not hash to its sweep_sha256", false},
	{"base seed and hash edited", func(r *Row) { d := *r.Definition; d.Seed++; r.Definition = &d; r.SweepHash = d.Hash() }, "is not the point's seed", false},
	{"trials edited with the definition", func(r *Row) { d := *r.Definition; d.Trials = 61; r.Definition = &d; r.SweepHash = d.Hash() }, "differ from its sweep definition", false},
	{"random numbers edited", func(r *Row) {
		d := *r.Definition
		d.RandomNumbers = RandomIndependent
		r.Definition = &d
		r.SweepHash = d.Hash()
	}, "is not the point's seed", false},
	{"random numbers unknown", func(r *Row) {
		d := *r.Definition
		d.RandomNumbers = "shared"
		r.Definition = &d
		r.SweepHash = d.Hash()
	}, "random numbers", false},
	{"no definition", func(r *Row) { r.Definition = nil }, "written by an earlier version of simulate", false},
}

func TestReadRefusesRowsNoSweepWrites(t *testing.T) {
	s := teachingSweep(t, []string{"women>=0.3"})
	for _, enc := range []string{EncodingCSV, EncodingJSONL} {
		data := runAll(t, s, enc, s.Points())
		line := 2
		if enc == EncodingCSV {
			line = 3
		}
		for _, tc := range tamperings {
			if tc.csvOnly && enc != EncodingCSV {
				continue
			}
			t.Run(enc+"/"+tc.name, func(t *testing.T) {
				bad := tamper(t, data, enc, tc.edit)
				_, err := Read(bytes.NewReader(bad))
				require.Error(t, err)
				assert.Contains(t, err.Error(), "line "+u64(uint64(line))+": ")
				assert.Contains(t, err.Error(), tc.errPart)
			})
		}
	}
}

func TestResumeRefusesEditedRows(t *testing.T) {
	s := teachingSweep(t, nil)
	data := runAll(t, s, EncodingCSV, s.Points()[:3])
	tests := []struct {
		name    string
		edit    func(r *Row)
		errPart string
	}{
		{"met edited", func(r *Row) { r.Targets[0].Met = (r.Targets[0].Met + 7) % 60 }, "line 3: point 1: target women: probability"},
		{"seed edited", func(r *Row) { r.Seed++ }, "line 3: point 1: seed 8 is not the point's seed 7 (common random numbers: the base seed)"},
		{"values edited", func(r *Row) { r.Values[0] = "0.11" }, "line 3 is point 1 (0.11, 0.9, seed 7), but this sweep's next point is 1 (0.05, 0.9, seed 7)"},
		{"share disordered", func(r *Row) { r.Shares[0].P50 = r.Shares[0].P95 + 0.01 }, "line 3: point 1: share women: quantiles out of order"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.csv")
			bad := tamper(t, data, EncodingCSV, tc.edit)
			require.NoError(t, os.WriteFile(path, bad, 0o644))
			_, _, _, err := Resume(path, s.Expect(EncodingCSV, s.Points()))
			var me *MismatchError
			require.ErrorAs(t, err, &me)
			assert.Contains(t, err.Error(), tc.errPart)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, bad, after, "a refused file is left alone")
		})
	}
}

func TestReadRefusesAnOversizedFile(t *testing.T) {
	header := "point,points,seed,trials,k,scenario_sha256,sweep_sha256,version\n"
	r := strings.NewReader(header + strings.Repeat("x", MaxFileBytes))
	_, err := Read(r)
	assert.ErrorContains(t, err, "larger than 268435456 bytes")
	assert.Positive(t, r.Len(), "the rest is not read")
}
