package sensitivity

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"simulate/scenario"
	"simulate/sweep"
)

// A points file holds the simulated outputs at the points of a design, one
// JSON object per line, written as the points finish so that an interrupted
// analysis keeps them:
//
//	{"sensitivity_definition":{…},"sha256":"…"}
//	{"point":0,"seed":…,"x":[…],"values":[…],"y":[…],"sha256":"…"}
//	…
//
// The first line is the Definition and its SHA-256; every further line is a
// point: its index in the design, its seed, its coordinates x in the
// parameters' units, the values the scenario got (--set text), the outputs
// y in the definition's order, and the definition's SHA-256 again, so that a
// line copied from another analysis is recognised. Points follow in
// increasing order; a file written with --shard k/n holds the points
// numbered k−1 modulo n. Every line is checked on reading: it must be
// exactly the bytes this program writes for it, its point must be the
// design's (coordinates, values and seed regenerated from the definition),
// and its outputs possible (a probability is a count of trials over the
// trials, a share's mean lies in [0, 1]).

// FormatTag names the format of points files.
const FormatTag = "simulate-sensitivity/1"

// fileStart is how a points file begins.
const fileStart = `{"sensitivity_definition":`

// MaxOutputs bounds the outputs (targets and shares) of a points file.
const MaxOutputs = 10_000

// MaxFileBytes bounds a points file read by merge, --resume or --from.
const MaxFileBytes = 256 << 20

// Random numbers of the points, as in sweep definitions.
const (
	RandomCommon      = sweep.RandomCommon
	RandomIndependent = sweep.RandomIndependent
)

// Definition identifies the points of an analysis: everything that decides
// which points are simulated and what they give. The bootstrap's resamples
// and confidence are not part of it: they change the intervals, not the
// points, so a finished file can be analysed again with others.
type Definition struct {
	Format string `json:"format"`
	Method string `json:"method"`
	// Vary are the parameters as --param takes them, KEY=SPEC.
	Vary             []string `json:"vary"`
	Seed             uint64   `json:"seed"`
	Samples          int      `json:"samples,omitempty"`
	Sampler          string   `json:"sampler,omitempty"`
	Trajectories     int      `json:"trajectories,omitempty"`
	Levels           int      `json:"levels,omitempty"`
	TrajectoryDesign string   `json:"trajectory_design,omitempty"`
	Candidates       int      `json:"candidates,omitempty"`
	Trials           int      `json:"trials"`
	// RandomNumbers is RandomCommon (every point runs the base seed) or
	// RandomIndependent (every point its own seed, sweep.PointSeed).
	RandomNumbers string   `json:"random_numbers"`
	Points        int      `json:"points"`
	Outputs       []string `json:"outputs"`
	ScenarioHash  string   `json:"scenario_sha256"`
	Version       string   `json:"version"`
}

// Definition returns the definition of the points of des simulated by s,
// written by the program version.
func (s *Simulation) Definition(des *Design, version string) Definition {
	o := des.Options
	def := Definition{Format: FormatTag, Method: o.Method, Seed: o.Seed, Trials: s.Trials,
		RandomNumbers: RandomCommon, Points: len(des.Unit), Outputs: s.Outputs(),
		ScenarioHash: s.Base.Hash(), Version: version}
	if s.Independent {
		def.RandomNumbers = RandomIndependent
	}
	for _, p := range s.Keys {
		def.Vary = append(def.Vary, p.String())
	}
	def.setDesign(o)
	return def
}

func (def *Definition) setDesign(o Options) {
	if o.Method == Morris {
		def.Trajectories, def.Levels, def.TrajectoryDesign, def.Candidates = o.Trajectories, o.Levels, o.TrajectoryDesign, o.Candidates
	} else {
		def.Samples, def.Sampler = o.N, o.Sampler
	}
}

// marshal writes v as compact JSON without HTML escaping.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // plain data
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Hash is the SHA-256 of the definition's JSON.
func (def *Definition) Hash() string {
	sum := sha256.Sum256(marshal(def))
	return hex.EncodeToString(sum[:])
}

// Header is the first line of the definition's points file.
func (def *Definition) Header() []byte {
	return fmt.Appendf(nil, "%s%s,\"sha256\":\"%s\"}\n", fileStart, marshal(def), def.Hash())
}

// Independent reports whether every point has its own seed.
func (def *Definition) Independent() bool { return def.RandomNumbers == RandomIndependent }

// Keys parses the definition's parameters.
func (def *Definition) Keys() ([]*sweep.Param, error) {
	keys := make([]*sweep.Param, len(def.Vary))
	for i, v := range def.Vary {
		p, err := sweep.ParseVary(v)
		if err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i+1, err)
		}
		if p.Label != "" || p.String() != v {
			return nil, fmt.Errorf("parameter %d: %q is not written as this program writes it (%s)", i+1, v, p)
		}
		if err := checkKey(p); err != nil {
			return nil, err
		}
		keys[i] = p
	}
	return keys, nil
}

// Design draws the definition's design (without the scenario) and checks
// that it is the design the definition describes: the design's options
// written out in full, its number of points, and sound trials, outputs and
// random numbers. resamples and confidence are the analysis's.
func (def *Definition) Design(resamples int, confidence float64) (*Design, []*sweep.Param, error) {
	switch {
	case def.Format != FormatTag:
		return nil, nil, fmt.Errorf("format %q; this program writes %q", def.Format, FormatTag)
	case def.Trials < 1 || def.Trials > scenario.MaxTrials:
		return nil, nil, fmt.Errorf("trials is %d; between 1 and %d", def.Trials, scenario.MaxTrials)
	case def.RandomNumbers != RandomCommon && def.RandomNumbers != RandomIndependent:
		return nil, nil, fmt.Errorf("random numbers %q; this program writes %q or %q", def.RandomNumbers, RandomCommon, RandomIndependent)
	case len(def.Outputs) == 0:
		return nil, nil, errors.New("no outputs")
	case len(def.Vary) == 0 || len(def.Vary) > MaxParams:
		return nil, nil, fmt.Errorf("%d parameters; between 1 and %d", len(def.Vary), MaxParams)
	case len(def.Outputs) > MaxOutputs:
		return nil, nil, fmt.Errorf("%d outputs; at most %d", len(def.Outputs), MaxOutputs)
	}
	seen := map[string]bool{}
	for _, o := range def.Outputs {
		if !strings.HasPrefix(o, "target.") && !strings.HasPrefix(o, "share.") || seen[o] {
			return nil, nil, fmt.Errorf("output %q: outputs are target.NAME and share.NAME, each once", o)
		}
		seen[o] = true
	}
	keys, err := def.Keys()
	if err != nil {
		return nil, nil, err
	}
	params := make([]Param, len(keys))
	for i, p := range keys {
		params[i] = Param{Name: p.Key, Lo: p.Lo, Hi: p.Hi}
	}
	opts := Options{Method: def.Method, Seed: def.Seed, N: def.Samples, Sampler: def.Sampler,
		Trajectories: def.Trajectories, Levels: def.Levels, TrajectoryDesign: def.TrajectoryDesign, Candidates: def.Candidates,
		Resamples: resamples, Confidence: confidence}
	if def.Method != Sobol && def.Method != Morris {
		return nil, nil, fmt.Errorf("unknown method %q (want %s or %s)", def.Method, Morris, Sobol)
	}
	// The options must be written out in full: the defaults may change.
	full := opts
	if err := full.defaults(); err != nil {
		return nil, nil, err
	}
	check := *def
	check.setDesign(full)
	if !(full.Method == Morris && def.Samples == 0 && def.Sampler == "" || full.Method == Sobol && def.Trajectories == 0 && def.Levels == 0 && def.TrajectoryDesign == "" && def.Candidates == 0) ||
		!bytes.Equal(marshal(check), marshal(def)) {
		return nil, nil, errors.New("the design's options are not written out in full")
	}
	des, err := NewDesign(params, opts)
	if err != nil {
		return nil, nil, err
	}
	if def.Points != len(des.Unit) {
		return nil, nil, fmt.Errorf("points is %d, but the design has %d", def.Points, len(des.Unit))
	}
	return des, keys, nil
}

// checkKey refuses the parameters NewSimulation refuses.
func checkKey(p *sweep.Param) error {
	if p.Kind == sweep.List {
		return fmt.Errorf("parameter %s: expected a numeric range lo:hi (or a grid start:stop:step), not a list", p)
	}
	if p.Kind == sweep.Grid && len(p.Values) < 2 {
		return fmt.Errorf("parameter %s: the grid has a single value", p)
	}
	return nil
}

// PointRow is one simulated point of a points file.
type PointRow struct {
	Point int       `json:"point"`
	Seed  uint64    `json:"seed"`
	X     []float64 `json:"x"`
	// Values are the scenario values of the point (--set text).
	Values []string  `json:"values"`
	Y      []float64 `json:"y"`
	// Hash is the definition's SHA-256.
	Hash string `json:"sha256"`
}

// num writes a number in the shortest form that reads back exactly.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Marshal returns the row as one line of a points file.
func (r *PointRow) Marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"point":%d,"seed":%d,"x":[`, r.Point, r.Seed)
	for i, v := range r.X {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(num(v))
	}
	b.WriteString(`],"values":`)
	b.Write(marshal(r.Values))
	b.WriteString(`,"y":[`)
	for i, v := range r.Y {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(num(v))
	}
	fmt.Fprintf(&b, `],"sha256":%q}`+"\n", r.Hash)
	return b.Bytes()
}

// Points is a definition with its design, to make and check its rows.
type Points struct {
	Def  Definition
	Des  *Design
	Keys []*sweep.Param
	hash string
}

// NewPoints binds a definition to its design (Definition.Design).
func NewPoints(def Definition, des *Design, keys []*sweep.Param) *Points {
	return &Points{Def: def, Des: des, Keys: keys, hash: def.Hash()}
}

// values returns the --set values and the seed of point k.
func (p *Points) values(x []float64) ([]string, uint64) {
	vals := make([]string, len(x))
	keys := make([]string, len(x))
	for i, k := range p.Keys {
		vals[i], keys[i] = valueOf(k, x[i]), k.Key
	}
	if p.Def.Independent() {
		return vals, sweep.PointSeed(p.Def.Seed, keys, vals)
	}
	return vals, p.Def.Seed
}

// Row returns the row of point k with outputs y.
func (p *Points) Row(k int, y []float64) *PointRow {
	x := p.Des.Point(k)
	vals, seed := p.values(x)
	return &PointRow{Point: k, Seed: seed, X: x, Values: vals, Y: y, Hash: p.hash}
}

// Check verifies that r is point r.Point of the design (coordinates, values
// and seed) with outputs this definition's simulation can give.
func (p *Points) Check(r *PointRow) error {
	if r.Hash != p.hash {
		return fmt.Errorf("its sha256 %.12s… is not its file's definition's %.12s…: a line of another analysis", r.Hash, p.hash)
	}
	if r.Point < 0 || r.Point >= len(p.Des.Unit) {
		return fmt.Errorf("point %d is outside the design's %d points", r.Point, len(p.Des.Unit))
	}
	want := p.Row(r.Point, r.Y)
	switch {
	case !slices.Equal(r.X, want.X):
		return fmt.Errorf("point %d: x is %v, but the design's point is %v", r.Point, r.X, want.X)
	case !slices.Equal(r.Values, want.Values):
		return fmt.Errorf("point %d: values %v are not the design's %v", r.Point, r.Values, want.Values)
	case r.Seed != want.Seed:
		return fmt.Errorf("point %d: seed %d is not the point's seed %d", r.Point, r.Seed, want.Seed)
	case len(r.Y) != len(p.Def.Outputs):
		return fmt.Errorf("point %d: %d outputs for the definition's %d", r.Point, len(r.Y), len(p.Def.Outputs))
	}
	n := float64(p.Def.Trials)
	for i, v := range r.Y {
		name := p.Def.Outputs[i]
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("point %d: %s is %v, outside [0, 1]", r.Point, name, v)
		}
		if strings.HasPrefix(name, "target.") {
			if met := math.Round(v * n); met/n != v {
				return fmt.Errorf("point %d: %s is %v, not a number of trials out of %d", r.Point, name, v, p.Def.Trials)
			}
		}
	}
	return nil
}

// File is a parsed points file.
type File struct {
	// Header is the first line (nil for an empty file), Def its definition.
	Header []byte
	Def    Definition
	Points *Points
	Rows   []*PointRow
	// Lines are the rows' lines as read, newlines included.
	Lines [][]byte
	// Complete is the length up to the last complete line; Partial is set
	// when an incomplete line (an interrupted write) follows.
	Complete int64
	Partial  bool
}

// Detect reports whether prefix starts a points file.
func Detect(prefix []byte) bool { return bytes.HasPrefix(prefix, []byte(fileStart)) }

// decodeStrict decodes one JSON value, refusing unknown fields and
// anything after it.
func decodeStrict(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// Read parses and checks a points file (see the format above). An empty
// file, or one holding only the start of a first line, is empty; an
// incomplete last line is left out and reported in Partial; anything else
// that this program does not write is an error naming its line. The
// analysis's resamples and confidence are those the design is drawn with.
func Read(r io.Reader, resamples int, confidence float64) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("larger than %d bytes (%d MiB), the most a points file may hold", MaxFileBytes, MaxFileBytes>>20)
	}
	f := &File{}
	end := bytes.LastIndexByte(data, '\n') + 1
	f.Partial = end < len(data)
	body := data[:end]
	if len(body) == 0 {
		if len(data) > 0 && !Detect(data) && !strings.HasPrefix(fileStart, string(data)) {
			return nil, fmt.Errorf("not a sensitivity points file (it starts %q)", clip(data))
		}
		return f, nil
	}
	if !Detect(body) {
		return nil, fmt.Errorf("not a sensitivity points file (it starts %q; a points file starts %q)", clip(body), fileStart)
	}
	lines := bytes.SplitAfter(body, []byte("\n"))
	lines = lines[:len(lines)-1]
	f.Complete = int64(end)
	var head struct {
		Def  *Definition `json:"sensitivity_definition"`
		Hash string      `json:"sha256"`
	}
	if err := decodeStrict(lines[0], &head); err != nil || head.Def == nil {
		return nil, fmt.Errorf("line 1: not a points file header: %v", err)
	}
	def := *head.Def
	if !bytes.Equal(def.Header(), lines[0]) {
		if head.Hash != def.Hash() {
			return nil, errors.New("line 1: the definition does not hash to its sha256: one of them was edited")
		}
		return nil, errors.New("line 1: not written as this program writes it")
	}
	des, keys, err := def.Design(resamples, confidence)
	if err != nil {
		return nil, fmt.Errorf("line 1: its definition: %w", err)
	}
	f.Header, f.Def, f.Points = lines[0], def, NewPoints(def, des, keys)
	for i, line := range lines[1:] {
		var row PointRow
		err := decodeStrict(line, &row)
		if err == nil && !bytes.Equal(row.Marshal(), line) {
			err = errors.New("not written as this program writes it")
		}
		if err == nil {
			err = f.Points.Check(&row)
		}
		if err == nil && len(f.Rows) > 0 && row.Point <= f.Rows[len(f.Rows)-1].Point {
			err = fmt.Errorf("point %d follows point %d: points are written in increasing order", row.Point, f.Rows[len(f.Rows)-1].Point)
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		f.Rows = append(f.Rows, &row)
		f.Lines = append(f.Lines, line)
	}
	return f, nil
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// MismatchError is a file that does not belong to the analysis that wants
// to continue it.
type MismatchError struct {
	Path string
	Msg  string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("cannot resume %s: %s; refusing to mix results (write to a new file, or delete %s to start over)", e.Path, e.Msg, e.Path)
}

// Continue checks that the file's rows are the first of points (the
// indices this run writes, in order) of the analysis def, and returns how
// many they are. A file with no header fits any analysis.
func (f *File) Continue(path string, def Definition, points []int) (int, error) {
	fail := func(format string, args ...any) (int, error) {
		return 0, &MismatchError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	if f.Header == nil {
		return 0, nil
	}
	got := f.Def
	switch {
	case got.ScenarioHash != def.ScenarioHash:
		return fail("it was computed for a different scenario (sha256 %.12s…; this analysis's scenario is %.12s…): another file, other overrides, or an edited scenario",
			got.ScenarioHash, def.ScenarioHash)
	case got.Version != def.Version:
		return fail("it was written by simulate %s, this is simulate %s", got.Version, def.Version)
	case !bytes.Equal(f.Header, def.Header()):
		return fail("it was written by a different analysis (%s); this one is %s", got, def)
	case len(f.Rows) > len(points):
		return fail("it holds %d points, this run writes %d (another --shard?)", len(f.Rows), len(points))
	}
	for i, r := range f.Rows {
		if r.Point != points[i] {
			return fail("line %d is point %d, but this run's point %d is %d (another --shard?)", i+2, r.Point, i+1, points[i])
		}
	}
	return len(f.Rows), nil
}

// String describes the definition for messages.
func (def Definition) String() string {
	s := fmt.Sprintf("%s, %d points, seed %d, %d trials per point, --param %s", def.Method, def.Points, def.Seed, def.Trials, strings.Join(def.Vary, " --param "))
	if def.Method == Morris {
		s += fmt.Sprintf(", r = %d, p = %d, %s", def.Trajectories, def.Levels, def.TrajectoryDesign)
	} else {
		s += fmt.Sprintf(", N = %d, %s", def.Samples, def.Sampler)
	}
	if def.Independent() {
		s += ", --independent"
	}
	return s
}

// Resume prepares the file at path to continue an analysis writing points
// (design indices, in order): it checks the file, cuts off an incomplete
// last line, and returns the file open for appending, the rows already
// there and whether the header is still to be written. A missing or empty
// file starts afresh.
func Resume(path string, def Definition, points []int, resamples int, confidence float64) (out *os.File, done []*PointRow, header bool, err error) {
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, false, err
	}
	defer func() {
		if err != nil {
			fh.Close()
		}
	}()
	if st, err := fh.Stat(); err != nil {
		return nil, nil, false, err
	} else if !st.Mode().IsRegular() {
		return nil, nil, false, fmt.Errorf("cannot resume %s: %s", path, sweep.NotRegular(st.Mode()))
	}
	f, err := Read(fh, resamples, confidence)
	if err != nil {
		return nil, nil, false, &MismatchError{Path: path, Msg: err.Error()}
	}
	n, err := f.Continue(path, def, points)
	if err != nil {
		return nil, nil, false, err
	}
	if err := fh.Truncate(f.Complete); err != nil {
		return nil, nil, false, err
	}
	if _, err := fh.Seek(f.Complete, io.SeekStart); err != nil {
		return nil, nil, false, err
	}
	return fh, f.Rows[:n], f.Header == nil, nil
}

// Merge combines the files of an analysis split with --shard into the file
// the unsplit analysis writes, byte for byte, and returns its rows. It
// refuses files of different analyses, points given twice and missing
// points.
func Merge(files []*File, names []string) ([]byte, *File, error) {
	var ref *File
	var refName string
	type line struct {
		row  *PointRow
		text []byte
		file string
	}
	var all []line
	for i, f := range files {
		if f.Partial {
			return nil, nil, fmt.Errorf("%s ends in an incomplete line: its analysis was interrupted; finish it by resuming it", names[i])
		}
		if f.Header == nil {
			continue
		}
		if ref == nil {
			ref, refName = f, names[i]
		}
		switch {
		case f.Def.ScenarioHash != ref.Def.ScenarioHash:
			return nil, nil, fmt.Errorf("%s is from a different scenario (sha256 %.12s…) than %s (%.12s…)", names[i], f.Def.ScenarioHash, refName, ref.Def.ScenarioHash)
		case f.Def.Version != ref.Def.Version:
			return nil, nil, fmt.Errorf("%s was written by simulate %s, %s by %s", names[i], f.Def.Version, refName, ref.Def.Version)
		case !bytes.Equal(f.Header, ref.Header):
			return nil, nil, fmt.Errorf("%s (%s) and %s (%s) are not shards of one analysis", names[i], f.Def, refName, ref.Def)
		}
		for j, r := range f.Rows {
			all = append(all, line{r, f.Lines[j], names[i]})
		}
	}
	if ref == nil {
		return nil, nil, errors.New("no points file with a header to merge")
	}
	slices.SortStableFunc(all, func(a, b line) int { return a.row.Point - b.row.Point })
	points := ref.Def.Points
	var missing []string
	next := 0
	for i, l := range all {
		if i > 0 && l.row.Point == all[i-1].row.Point {
			return nil, nil, fmt.Errorf("point %d is in both %s and %s", l.row.Point, all[i-1].file, l.file)
		}
		for ; next < l.row.Point && len(missing) < 20; next++ {
			missing = append(missing, strconv.Itoa(next))
		}
		next = l.row.Point + 1
	}
	for ; next < points && len(missing) < 20; next++ {
		missing = append(missing, strconv.Itoa(next))
	}
	if len(all) != points {
		more := ""
		if points-len(all) > len(missing) {
			more = ", …"
		}
		return nil, nil, fmt.Errorf("%d of the analysis's %d points are missing (points %s%s): a shard file is missing or unfinished (finish it by resuming it)",
			points-len(all), points, strings.Join(missing, ", "), more)
	}
	var b bytes.Buffer
	b.Write(ref.Header)
	merged := &File{Header: ref.Header, Def: ref.Def, Points: ref.Points}
	for _, l := range all {
		b.Write(l.text)
		merged.Rows = append(merged.Rows, l.row)
		merged.Lines = append(merged.Lines, l.text)
	}
	merged.Complete = int64(b.Len())
	return b.Bytes(), merged, nil
}

// Outputs returns the outputs of a complete file by point, for Analyze.
func (f *File) Outputs() ([][]float64, error) {
	if f.Header == nil || len(f.Rows) != f.Def.Points || f.Partial {
		have := len(f.Rows)
		return nil, fmt.Errorf("it holds %d of the design's %d points: finish it (--resume), or merge its shards first", have, f.Def.Points)
	}
	y := make([][]float64, len(f.Rows))
	for k, r := range f.Rows {
		if r.Point != k {
			return nil, fmt.Errorf("it holds the points of a shard (point %d where %d belongs): merge the shards first", r.Point, k)
		}
		y[k] = r.Y
	}
	return y, nil
}
