// Package trialdata writes one row per trial of a run (sim.TrialRecord) as
// CSV, JSON Lines or Parquet, streaming, in trial order.
//
// The columns, in every format:
//
//	trial, seed, target_NAME_met …, share_NAME …, elected, further_rounds, failed_units
//
// target_NAME_met is TRUE or FALSE in CSV (R's read.csv reads only these
// as logical; pandas too), true or false in JSON; share_NAME is the share in the final
// lists, empty (CSV), null (JSON) or null (Parquet) when its denominator was
// empty. Column names are identifiers in R and Python (internal/colname).
// Parquet lists its columns by name in alphabetical order (the library
// sorts a group's fields); readers select them by name.
package trialdata

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"simulate/internal/colname"
	"simulate/sim"
)

// Formats, chosen from the file name's extension.
const (
	FormatCSV     = "csv"
	FormatJSONL   = "jsonl"
	FormatParquet = "parquet"
)

// FormatOf returns the format of a file name from its extension.
func FormatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return FormatCSV, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	case ".parquet":
		return FormatParquet, nil
	default:
		return "", fmt.Errorf("%s: unknown per-trial file type %q (want .csv, .jsonl or .parquet)", path, ext)
	}
}

// Columns returns the column names for these targets and shares.
func Columns(targets, shares []string) []string {
	cols := []string{"trial", "seed"}
	for _, t := range targets {
		cols = append(cols, colname.Join("target", t, "met"))
	}
	for _, s := range shares {
		cols = append(cols, colname.Join("share", s))
	}
	cols = append(cols, "elected", "further_rounds", "failed_units")
	return colname.Unique(cols)
}

// Writer writes trial records.
type Writer interface {
	// Write appends one trial's row; rows must come in trial order.
	Write(r *sim.TrialRecord) error
	// Close finishes the file (Parquet's footer) and flushes it; it does not
	// close the underlying writer.
	Close() error
}

// New returns a writer of the format for a run with these targets and shares.
func New(w io.Writer, format string, targets, shares []string) (Writer, error) {
	cols := Columns(targets, shares)
	switch format {
	case FormatCSV:
		t := &textWriter{w: bufio.NewWriterSize(w, 64<<10), cols: cols, csv: true}
		t.buf = append(t.buf, strings.Join(cols, ",")...)
		t.buf = append(t.buf, '\n')
		return t, nil
	case FormatJSONL:
		t := &textWriter{w: bufio.NewWriterSize(w, 64<<10), cols: cols}
		for _, c := range cols {
			t.keys = append(t.keys, `"`+c+`":`)
		}
		return t, nil
	case FormatParquet:
		return newParquet(w, cols, len(targets), len(shares)), nil
	}
	return nil, fmt.Errorf("unknown per-trial format %q (want csv, jsonl or parquet)", format)
}

// textWriter writes CSV or JSON Lines without allocating per row: the
// column names are identifiers and every value a number or a boolean, so
// nothing needs quoting.
type textWriter struct {
	w    *bufio.Writer
	cols []string
	keys []string // JSON: `"col":`
	csv  bool
	buf  []byte
}

func (t *textWriter) field(k int) {
	if t.csv {
		if k > 0 {
			t.buf = append(t.buf, ',')
		}
		return
	}
	if k == 0 {
		t.buf = append(t.buf, '{')
	} else {
		t.buf = append(t.buf, ',')
	}
	t.buf = append(t.buf, t.keys[k]...)
}

func (t *textWriter) Write(r *sim.TrialRecord) error {
	k := 0
	next := func() { t.field(k); k++ }
	next()
	t.buf = strconv.AppendUint(t.buf, r.Trial, 10)
	next()
	t.buf = strconv.AppendUint(t.buf, r.Seed, 10)
	for _, met := range r.Met {
		next()
		switch {
		case !t.csv:
			t.buf = strconv.AppendBool(t.buf, met)
		case met:
			t.buf = append(t.buf, "TRUE"...) // what R's read.csv and pandas both read as logical
		default:
			t.buf = append(t.buf, "FALSE"...)
		}
	}
	for _, v := range r.Shares {
		next()
		switch {
		case !math.IsNaN(v):
			t.buf = strconv.AppendFloat(t.buf, v, 'g', -1, 64)
		case !t.csv:
			t.buf = append(t.buf, "null"...)
		}
	}
	next()
	t.buf = strconv.AppendInt(t.buf, int64(r.Elected), 10)
	next()
	t.buf = strconv.AppendInt(t.buf, int64(r.FurtherRounds), 10)
	next()
	t.buf = strconv.AppendInt(t.buf, int64(r.FailedUnits), 10)
	if !t.csv {
		t.buf = append(t.buf, '}')
	}
	t.buf = append(t.buf, '\n')
	_, err := t.w.Write(t.buf)
	t.buf = t.buf[:0]
	return err
}

func (t *textWriter) Close() error {
	if len(t.buf) > 0 { // a CSV header with no rows after it
		if _, err := t.w.Write(t.buf); err != nil {
			return err
		}
		t.buf = t.buf[:0]
	}
	return t.w.Flush()
}
