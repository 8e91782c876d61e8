package trialdata

import (
	"io"
	"math"
	"slices"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"simulate/sim"
)

// rowGroupRows is how many trials a Parquet row group holds: about a
// megabyte of columns for a scenario of a dozen targets and shares, small
// enough to keep the writer's memory bounded on runs of millions of trials.
const rowGroupRows = 64 << 10

// parquetWriter writes trials as rows of a flat Parquet schema: integers
// as INT64 (seed as UINT64), targets as BOOLEAN, shares as optional DOUBLE.
type parquetWriter struct {
	w *parquet.GenericWriter[any]
	// index[k] is the leaf index of column k (the schema sorts by name).
	index    []int
	targets  int
	row      parquet.Row
	rows     []parquet.Row
	buffered int
}

func newParquet(w io.Writer, cols []string, targets, shares int) *parquetWriter {
	g := parquet.Group{}
	for k, c := range cols {
		switch {
		case k == 1:
			g[c] = parquet.Uint(64)
		case k == 0 || k >= 2+targets+shares:
			g[c] = parquet.Int(64)
		case k < 2+targets:
			g[c] = parquet.Leaf(parquet.BooleanType)
		default:
			g[c] = parquet.Optional(parquet.Leaf(parquet.DoubleType))
		}
	}
	schema := parquet.NewSchema("trial", g)
	sorted := slices.Clone(cols)
	slices.Sort(sorted)
	p := &parquetWriter{targets: targets, row: make(parquet.Row, len(cols))}
	for _, c := range cols {
		i, _ := slices.BinarySearch(sorted, c)
		p.index = append(p.index, i)
	}
	p.w = parquet.NewGenericWriter[any](w, schema, parquet.Compression(&zstd.Codec{}),
		parquet.CreatedBy("simulate", "", ""))
	p.rows = []parquet.Row{p.row}
	return p
}

func (p *parquetWriter) set(k int, v parquet.Value, defined bool) {
	level := 0
	if defined && k >= 2+p.targets && k < len(p.index)-3 {
		level = 1 // an optional share that is present
	}
	p.row[p.index[k]] = v.Level(0, level, p.index[k])
}

func (p *parquetWriter) Write(r *sim.TrialRecord) error {
	k := 0
	p.set(k, parquet.Int64Value(int64(r.Trial)), true)
	k++
	p.set(k, parquet.Int64Value(int64(r.Seed)), true)
	k++
	for _, met := range r.Met {
		p.set(k, parquet.BooleanValue(met), true)
		k++
	}
	for _, v := range r.Shares {
		if math.IsNaN(v) {
			p.set(k, parquet.NullValue(), false)
		} else {
			p.set(k, parquet.DoubleValue(v), true)
		}
		k++
	}
	p.set(k, parquet.Int64Value(int64(r.Elected)), true)
	p.set(k+1, parquet.Int64Value(int64(r.FurtherRounds)), true)
	p.set(k+2, parquet.Int64Value(int64(r.FailedUnits)), true)
	if _, err := p.w.WriteRows(p.rows); err != nil {
		return err
	}
	if p.buffered++; p.buffered == rowGroupRows {
		p.buffered = 0
		return p.w.Flush()
	}
	return nil
}

func (p *parquetWriter) Close() error { return p.w.Close() }
