package trialdata_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/internal/colname"
	"simulate/scenario"
	"simulate/sim"
	"simulate/trialdata"
)

func model(t testing.TB, name string) *sim.Model {
	t.Helper()
	data, ok := configs.Read(name)
	require.True(t, ok)
	sc, err := scenario.Load(name, data, scenario.Options{})
	require.NoError(t, err)
	m, err := sim.Compile(sc)
	require.NoError(t, err)
	return m
}

// write runs the model with a per-trial writer of each format and returns
// the files and the records the run produced.
func write(t *testing.T, m *sim.Model, trials, workers int) (map[string][]byte, []sim.TrialRecord) {
	t.Helper()
	targets, shares := m.TrialNames()
	files := map[string]*bytes.Buffer{}
	var ws []trialdata.Writer
	for _, f := range []string{trialdata.FormatCSV, trialdata.FormatJSONL, trialdata.FormatParquet} {
		files[f] = &bytes.Buffer{}
		w, err := trialdata.New(files[f], f, targets, shares)
		require.NoError(t, err)
		ws = append(ws, w)
	}
	var recs []sim.TrialRecord
	_, err := sim.Run(context.Background(), m, sim.Options{Trials: trials, Seed: 9, Workers: workers,
		PerTrial: func(r *sim.TrialRecord) error {
			c := *r
			c.Met, c.Shares = slices.Clone(r.Met), slices.Clone(r.Shares)
			recs = append(recs, c)
			for _, w := range ws {
				if err := w.Write(r); err != nil {
					return err
				}
			}
			return nil
		}})
	require.NoError(t, err)
	out := map[string][]byte{}
	for i, w := range ws {
		require.NoError(t, w.Close())
		f := []string{trialdata.FormatCSV, trialdata.FormatJSONL, trialdata.FormatParquet}[i]
		out[f] = files[f].Bytes()
	}
	return out, recs
}

// want is a record as the values of its columns, in column order: numbers
// as float64, targets as bool, undefined shares as nil.
func want(r sim.TrialRecord) []any {
	row := []any{float64(r.Trial), float64(r.Seed)}
	for _, m := range r.Met {
		row = append(row, m)
	}
	for _, v := range r.Shares {
		if math.IsNaN(v) {
			row = append(row, nil)
		} else {
			row = append(row, v)
		}
	}
	return append(row, float64(r.Elected), float64(r.FurtherRounds), float64(r.FailedUnits))
}

// TestReadBack writes a run in every format and reads each file back with
// an independent reader (encoding/csv, encoding/json, the Parquet reader),
// and checks that the bytes do not depend on the number of workers.
func TestReadBack(t *testing.T) {
	for _, name := range []string{"teaching", "union"} {
		t.Run(name, func(t *testing.T) {
			m := model(t, name)
			targets, shares := m.TrialNames()
			cols := trialdata.Columns(targets, shares)
			for _, c := range cols {
				require.True(t, colname.Valid(c) && colname.ValidR(c), c)
			}
			files, recs := write(t, m, 300, 1)
			require.Len(t, recs, 300)
			again, _ := write(t, m, 300, 3)
			for f := range files {
				assert.Equal(t, files[f], again[f], "%s bytes depend on the workers", f)
			}

			// CSV
			rows, err := csv.NewReader(bytes.NewReader(files[trialdata.FormatCSV])).ReadAll()
			require.NoError(t, err)
			require.Equal(t, cols, rows[0])
			require.Len(t, rows, 1+len(recs))
			for i, r := range recs {
				for k, v := range want(r) {
					cell := rows[1+i][k]
					switch v := v.(type) {
					case nil:
						assert.Empty(t, cell)
					case bool:
						assert.Equal(t, strings.ToUpper(strconv.FormatBool(v)), cell)
					case float64:
						got, err := strconv.ParseFloat(cell, 64)
						require.NoError(t, err)
						assert.Equal(t, v, got, "row %d %s", i, cols[k])
					}
				}
			}

			// JSON Lines
			lines := strings.Split(strings.TrimSuffix(string(files[trialdata.FormatJSONL]), "\n"), "\n")
			require.Len(t, lines, len(recs))
			for i, r := range recs {
				var obj map[string]any
				require.NoError(t, json.Unmarshal([]byte(lines[i]), &obj), lines[i])
				require.Len(t, obj, len(cols))
				for k, v := range want(r) {
					assert.Equal(t, v, obj[cols[k]], "row %d %s", i, cols[k])
				}
			}

			// Parquet
			pf := files[trialdata.FormatParquet]
			rd := parquet.NewReader(bytes.NewReader(pf))
			defer rd.Close()
			require.EqualValues(t, len(recs), rd.NumRows())
			schema := rd.Schema()
			buf := make([]parquet.Row, 50)
			i := 0
			for {
				n, err := rd.ReadRows(buf)
				for _, row := range buf[:n] {
					for k, v := range want(recs[i]) {
						leaf, ok := schema.Lookup(cols[k])
						require.True(t, ok, cols[k])
						got := row[leaf.ColumnIndex]
						switch v := v.(type) {
						case nil:
							assert.True(t, got.IsNull(), "row %d %s", i, cols[k])
						case bool:
							assert.Equal(t, v, got.Boolean())
						case float64:
							if k >= 2+len(targets) && k < 2+len(targets)+len(shares) {
								assert.Equal(t, v, got.Double(), "row %d %s", i, cols[k])
							} else {
								assert.Equal(t, v, float64(got.Int64()), "row %d %s", i, cols[k])
							}
						}
					}
					i++
				}
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
			}
			assert.Equal(t, len(recs), i)
		})
	}
}

func TestFormatOf(t *testing.T) {
	for path, f := range map[string]string{"a.csv": "csv", "b.JSONL": "jsonl", "c.ndjson": "jsonl", "d/e.parquet": "parquet"} {
		got, err := trialdata.FormatOf(path)
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	_, err := trialdata.FormatOf("x.xlsx")
	assert.ErrorContains(t, err, `unknown per-trial file type ".xlsx"`)
}

// BenchmarkWrite measures writing one trial's row in each format (the
// cost --trials-out adds per trial), on cpc20's records.
func BenchmarkWrite(b *testing.B) {
	m := model(b, "cpc20")
	targets, shares := m.TrialNames()
	var recs []sim.TrialRecord
	_, err := sim.Run(context.Background(), m, sim.Options{Trials: 64, Seed: 1, Workers: 1,
		PerTrial: func(r *sim.TrialRecord) error {
			c := *r
			c.Met, c.Shares = slices.Clone(r.Met), slices.Clone(r.Shares)
			recs = append(recs, c)
			return nil
		}})
	require.NoError(b, err)
	for _, f := range []string{trialdata.FormatCSV, trialdata.FormatJSONL, trialdata.FormatParquet} {
		b.Run(f, func(b *testing.B) {
			var out countWriter
			w, err := trialdata.New(&out, f, targets, shares)
			require.NoError(b, err)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := w.Write(&recs[i%len(recs)]); err != nil {
					b.Fatal(err)
				}
			}
			require.NoError(b, w.Close())
			b.ReportMetric(float64(out)/float64(b.N), "bytes/row")
		})
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
