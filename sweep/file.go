package sweep

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// csvStart and jsonStart are how sweep files begin: the CSV header and the
// first row of a JSON Lines file.
const (
	csvStart  = "point,points,seed,trials,"
	jsonStart = `{"point":`
)

// Detect reports the encoding of a sweep file from its first bytes, or ""
// when they do not start a sweep file.
func Detect(prefix []byte) string {
	switch {
	case bytes.HasPrefix(prefix, []byte(csvStart)):
		return EncodingCSV
	case bytes.HasPrefix(prefix, []byte(jsonStart)):
		return EncodingJSONL
	}
	return ""
}

// File is a parsed sweep file: its complete rows, in file order, and what
// follows the last complete line.
type File struct {
	Encoding string
	// Header is the CSV header line, newline included (nil for JSON Lines).
	Header []byte
	// Keys, Targets and Shares are the swept keys, target names and share
	// names (from the CSV header, or the first JSON row).
	Keys, Targets, Shares []string
	Rows                  []*Row
	// Lines are the rows' lines exactly as read, newlines included.
	Lines [][]byte
	// Complete is the length of the file up to its last complete line;
	// Partial is set when an incomplete line (an interrupted write) follows.
	Complete int64
	Partial  bool
}

// Read parses a sweep file. An empty file, or one holding only the start of
// a CSV header, is an empty file with no encoding; an incomplete last line
// is left out and reported in Partial. Any other malformed line, and any row
// that no sweep writes (Row.Validate), is an error naming its line number.
// A file larger than MaxFileBytes is refused without reading it all.
func Read(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("larger than %d bytes (%d MiB), the most a sweep file may hold", MaxFileBytes, MaxFileBytes>>20)
	}
	f := &File{}
	end := bytes.LastIndexByte(data, '\n') + 1
	f.Partial = end < len(data)
	body := data[:end]
	if len(body) == 0 {
		// Nothing complete: empty, or an interrupted first write.
		s := string(data)
		if len(data) > 0 && Detect(data) == "" && !strings.HasPrefix(csvStart, s) && !strings.HasPrefix(jsonStart, s) {
			return nil, fmt.Errorf("not a sweep file (it starts %q)", clip(data))
		}
		return f, nil
	}
	f.Encoding = Detect(body)
	if f.Encoding == "" {
		return nil, fmt.Errorf("not a sweep file (it starts %q; a sweep file starts %q or %q)", clip(body), csvStart, jsonStart)
	}
	lines := bytes.SplitAfter(body, []byte("\n"))
	lines = lines[:len(lines)-1] // the empty remainder after the last newline
	f.Complete = int64(end)
	first := 0
	if f.Encoding == EncodingCSV {
		cols, err := csvRecord(lines[0])
		if err != nil {
			return nil, fmt.Errorf("line 1: %w", err)
		}
		if f.Keys, f.Targets, f.Shares, err = parseCSVHeader(cols); err != nil {
			return nil, fmt.Errorf("line 1: %w", err)
		}
		f.Header = lines[0]
		first = 1
	}
	for i := first; i < len(lines); i++ {
		var row *Row
		var err error
		if f.Encoding == EncodingCSV {
			var rec []string
			if rec, err = csvRecord(lines[i]); err == nil {
				row, err = parseCSVRow(f.Keys, f.Targets, f.Shares, rec)
			}
			if err == nil {
				err = f.exactNames(row, i == first)
			}
		} else {
			if row, err = parseJSONRow(lines[i]); err == nil {
				if i == 0 {
					f.Keys, f.Targets, f.Shares = row.Keys, row.targetNames(), row.shareNames()
				} else if !slices.Equal(row.columns(), Columns(f.Keys, f.Targets, f.Shares)) {
					err = fmt.Errorf("its keys, targets or shares differ from line 1's")
				}
			}
		}
		if err == nil {
			if err = row.Validate(); err != nil {
				err = fmt.Errorf("point %d: %w", row.Point, err)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		f.Rows = append(f.Rows, row)
		f.Lines = append(f.Lines, lines[i])
	}
	return f, nil
}

// exactNames gives a CSV row the exact keys and target names: the header
// writes them as identifiers, the first row's definition holds them. The
// header must be the one these names give.
func (f *File) exactNames(row *Row, first bool) error {
	if first {
		keys, targets, err := row.Definition.exactNames(f.Targets)
		if err != nil {
			return err
		}
		header, _ := csvRecord(f.Header)
		if want := Columns(keys, targets, f.Shares); !slices.Equal(header, want) {
			return fmt.Errorf("the header does not match the row's sweep definition (--vary %s): expected %s",
				strings.Join(row.Definition.Vary, " --vary "), strings.Join(want, ","))
		}
		f.Keys, f.Targets = keys, targets
	}
	row.Keys = f.Keys
	for i := range row.Targets {
		row.Targets[i].Name = f.Targets[i]
	}
	return nil
}

func csvRecord(line []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(line))
	r.FieldsPerRecord = -1
	return r.Read()
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// Writer streams a sweep file: the CSV header (for a new CSV file), then one
// line per row, each written with a single Write so that a file cut off at
// any moment holds whole rows and at most one incomplete last line.
type Writer struct {
	w        io.Writer
	encoding string
}

// NewWriter starts a sweep file on w. It writes the CSV header when header
// is true (a new file) and the encoding is CSV.
func NewWriter(w io.Writer, encoding string, cols []string, header bool) (*Writer, error) {
	if encoding != EncodingCSV && encoding != EncodingJSONL && encoding != EncodingTidy {
		return nil, fmt.Errorf("unknown sweep file encoding %q (want csv, jsonl or tidy)", encoding)
	}
	if header && encoding != EncodingJSONL {
		if _, err := w.Write(csvLine(cols)); err != nil {
			return nil, err
		}
	}
	return &Writer{w: w, encoding: encoding}, nil
}

// Write appends a row.
func (w *Writer) Write(r *Row) error {
	_, err := w.w.Write(r.Marshal(w.encoding))
	return err
}

// Expect describes the sweep that wants to continue a file.
type Expect struct {
	Encoding string
	// Keys, Targets and Shares are the sweep's columns.
	Keys, Targets, Shares []string
	ScenarioHash          string
	Definition            Definition
	Version               string
	// Points are the points this run writes, in order (a shard's points
	// for a sharded sweep).
	Points []Point
}

// MismatchError is a file that does not belong to the sweep that wants to
// continue it.
type MismatchError struct {
	Path string
	Msg  string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("cannot resume %s: %s; refusing to mix results (write to a new file, or delete %s to start over)", e.Path, e.Msg, e.Path)
}

// Check verifies that the file's rows are the first points of exp, computed
// by the same scenario, sweep definition and program version, and returns how
// many points they cover. A file with no rows fits any sweep of the same
// encoding and columns.
func (f *File) Check(path string, exp Expect) (int, error) {
	fail := func(format string, args ...any) (int, error) {
		return 0, &MismatchError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	if f.Encoding == "" {
		return 0, nil
	}
	if f.Encoding != exp.Encoding {
		return fail("it is a %s file, but this sweep writes %s", f.Encoding, exp.Encoding)
	}
	if f.Encoding == EncodingCSV && len(f.Rows) == 0 {
		header, _ := csvRecord(f.Header)
		if want := Columns(exp.Keys, exp.Targets, exp.Shares); !slices.Equal(header, want) {
			return fail("its columns are %s, this sweep writes %s", strings.Join(header, ","), strings.Join(want, ","))
		}
	}
	if len(f.Rows) > 0 {
		switch {
		case !slices.Equal(f.Keys, exp.Keys):
			return fail("it varies %s, this sweep varies %s", strings.Join(f.Keys, ", "), strings.Join(exp.Keys, ", "))
		case !slices.Equal(f.Targets, exp.Targets):
			return fail("it reports the targets %s, this sweep %s: a different scenario or different share targets",
				listOrNone(f.Targets), listOrNone(exp.Targets))
		case !slices.Equal(f.Shares, exp.Shares):
			return fail("it reports the shares %s, this sweep %s: a different scenario", listOrNone(f.Shares), listOrNone(exp.Shares))
		}
	}
	sweepHash := exp.Definition.Hash()
	for i, r := range f.Rows {
		line := i + 1
		if f.Encoding == EncodingCSV {
			line++
		}
		switch {
		case r.ScenarioHash != exp.ScenarioHash:
			return fail("line %d was computed for a different scenario (sha256 %.12s…; this sweep's scenario is %.12s…): another file, other overrides, or an edited scenario",
				line, r.ScenarioHash, exp.ScenarioHash)
		case exp.Definition.Precision == 0 && r.Trials != exp.Definition.Trials:
			return fail("line %d ran %d trials per point, this sweep runs %d", line, r.Trials, exp.Definition.Trials)
		case exp.Definition.Precision > 0 && (r.Trials < exp.Definition.Trials || r.Trials > exp.Definition.MaxTrials):
			return fail("line %d ran %d trials, outside this sweep's %d … %d", line, r.Trials, exp.Definition.Trials, exp.Definition.MaxTrials)
		case r.Points != exp.Definition.Points:
			return fail("line %d belongs to a sweep of %d points, this sweep has %d", line, r.Points, exp.Definition.Points)
		case r.SweepHash != sweepHash:
			return fail("line %d was written by a different sweep definition (sha256 %.12s…); this sweep is: %s (sha256 %.12s…)",
				line, r.SweepHash, exp.Definition, sweepHash)
		case r.Version != exp.Version:
			return fail("line %d was written by simulate %s, this is simulate %s", line, r.Version, exp.Version)
		case i >= len(exp.Points):
			return fail("it holds more rows (%d) than this sweep has points (%d)", len(f.Rows), len(exp.Points))
		}
		p := exp.Points[i]
		switch {
		case r.Point != p.Index || !slices.Equal(r.Values, p.Values):
			return fail("line %d is point %d (%s, seed %d), but this sweep's next point is %d (%s, seed %d)",
				line, r.Point, strings.Join(r.Values, ", "), r.Seed, p.Index, strings.Join(p.Values, ", "), p.Seed)
		case r.Seed != p.Seed:
			return fail("line %d: point %d has seed %d, but its seed is %d (from the base seed %d)",
				line, r.Point, r.Seed, p.Seed, exp.Definition.Seed)
		}
	}
	return len(f.Rows), nil
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

// NotRegular says why a file of this mode cannot be resumed.
func NotRegular(m os.FileMode) string {
	kind := "not a regular file"
	switch {
	case m&os.ModeNamedPipe != 0:
		kind = "a pipe"
	case m&os.ModeCharDevice != 0:
		kind = "a character device"
	case m&os.ModeDevice != 0:
		kind = "a device"
	case m&os.ModeSocket != 0:
		kind = "a socket"
	case m.IsDir():
		kind = "a directory"
	}
	return "it is " + kind + ", not a file that keeps the rows written so far (resuming needs a regular file)"
}

// Resume prepares the file at path to continue a sweep: it checks the file
// against exp, cuts off an incomplete last line, and returns the file open
// for appending, the rows already there and whether the CSV header is still
// to be written. A missing or empty file starts the sweep afresh.
func Resume(path string, exp Expect) (out *os.File, done []*Row, header bool, err error) {
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, false, err
	}
	defer func() {
		if err != nil {
			fh.Close()
		}
	}()
	// A pipe or a device (--out /dev/stdout) has no rows to read back: a
	// read would wait for a writer that never comes.
	if st, err := fh.Stat(); err != nil {
		return nil, nil, false, err
	} else if !st.Mode().IsRegular() {
		return nil, nil, false, fmt.Errorf("cannot resume %s: %s", path, NotRegular(st.Mode()))
	}
	f, err := Read(fh)
	if err != nil {
		return nil, nil, false, &MismatchError{Path: path, Msg: err.Error()}
	}
	n, err := f.Check(path, exp)
	if err != nil {
		return nil, nil, false, err
	}
	if err := fh.Truncate(f.Complete); err != nil {
		return nil, nil, false, err
	}
	if _, err := fh.Seek(f.Complete, io.SeekStart); err != nil {
		return nil, nil, false, err
	}
	return fh, f.Rows[:n], f.Encoding == "", nil
}

// Merge combines the files of a sweep split with --shard into the file the
// unsplit sweep writes: the same header and every point's row, in point
// order, byte for byte. It refuses files of different encodings, columns,
// scenarios, sweep definitions or program versions, points given twice, and
// missing points (an absent or unfinished shard).
func Merge(files []*File, names []string) ([]byte, []*Row, error) {
	var ref *File
	var refName string
	var refRow *Row
	var refRowFile string
	type line struct {
		row  *Row
		text []byte
		file string
	}
	var all []line
	for i, f := range files {
		if f.Partial {
			return nil, nil, fmt.Errorf("%s ends in an incomplete line: its sweep was interrupted; finish it by resuming it", names[i])
		}
		if f.Encoding == "" {
			continue
		}
		if ref == nil {
			ref, refName = f, names[i]
		}
		switch {
		case f.Encoding != ref.Encoding:
			return nil, nil, fmt.Errorf("%s is %s but %s is %s", names[i], f.Encoding, refName, ref.Encoding)
		case f.Encoding == EncodingCSV && !bytes.Equal(f.Header, ref.Header):
			return nil, nil, fmt.Errorf("%s and %s have different columns: not shards of one sweep", names[i], refName)
		}
		for j, r := range f.Rows {
			if refRow == nil {
				refRow, refRowFile = r, names[i]
			}
			switch {
			case !slices.Equal(r.columns(), refRow.columns()):
				return nil, nil, fmt.Errorf("%s and %s have different columns: not shards of one sweep", names[i], refRowFile)
			case r.ScenarioHash != refRow.ScenarioHash:
				return nil, nil, fmt.Errorf("%s is from a different scenario (sha256 %.12s…) than %s (%.12s…)", names[i], r.ScenarioHash, refRowFile, refRow.ScenarioHash)
			case r.SweepHash != refRow.SweepHash || r.Points != refRow.Points:
				return nil, nil, fmt.Errorf("%s is from a different sweep (definition sha256 %.12s…) than %s (%.12s…)", names[i], r.SweepHash, refRowFile, refRow.SweepHash)
			case r.Version != refRow.Version:
				return nil, nil, fmt.Errorf("%s was written by simulate %s, %s by %s", names[i], r.Version, refRowFile, refRow.Version)
			}
			all = append(all, line{r, f.Lines[j], names[i]})
		}
	}
	if refRow == nil {
		return nil, nil, fmt.Errorf("no finished points to merge")
	}
	slices.SortStableFunc(all, func(a, b line) int { return a.row.Point - b.row.Point })
	var missing []int
	next := 0
	for i, l := range all {
		if l.row.Point < 0 || l.row.Point >= refRow.Points {
			return nil, nil, fmt.Errorf("%s holds point %d, outside the sweep's %d points", l.file, l.row.Point, refRow.Points)
		}
		if i > 0 && l.row.Point == all[i-1].row.Point {
			return nil, nil, fmt.Errorf("point %d is in both %s and %s", l.row.Point, all[i-1].file, l.file)
		}
		for ; next < l.row.Point && len(missing) < 20; next++ {
			missing = append(missing, next)
		}
		next = l.row.Point + 1
	}
	for ; next < refRow.Points && len(missing) < 20; next++ {
		missing = append(missing, next)
	}
	if len(all) != refRow.Points {
		return nil, nil, fmt.Errorf("%d of the sweep's %d points are missing (points %s): a shard file is missing or unfinished (finish it by resuming it)",
			refRow.Points-len(all), refRow.Points, intList(missing, refRow.Points-len(all)))
	}
	var b bytes.Buffer
	b.Write(ref.Header)
	rows := make([]*Row, len(all))
	for i, l := range all {
		b.Write(l.text)
		rows[i] = l.row
	}
	return b.Bytes(), rows, nil
}

func intList(xs []int, total int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	out := strings.Join(s, ", ")
	if total > len(xs) {
		out += ", …"
	}
	return out
}
