package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"simulate/internal/colname"
)

// Encodings of sweep files.
const (
	EncodingCSV   = "csv"
	EncodingJSONL = "jsonl"
	// EncodingTidy is CSV in long form (TidyColumns), written for analysis
	// only: it cannot be resumed or merged.
	EncodingTidy = "tidy"
)

// Row is the result at one point of a sweep: the point, each criterion's
// probability with its 95% Wilson interval, each tracked share's mean and
// quantiles across trials, and what produced it.
type Row struct {
	Point int `json:"point"`
	// Points is the number of points of the whole sweep.
	Points int    `json:"points"`
	Seed   uint64 `json:"seed"`
	Trials int    `json:"trials"`
	// Keys and Values are the swept keys and this point's values (YAML text).
	Keys    []string     `json:"-"`
	Values  []string     `json:"-"`
	Targets []TargetStat `json:"targets"`
	Shares  []ShareStat  `json:"shares"`
	// ScenarioHash is the base scenario's SHA-256, SweepHash the
	// definition's (Definition.Hash) and Version the program version.
	ScenarioHash string `json:"scenario_sha256"`
	SweepHash    string `json:"sweep_sha256"`
	Version      string `json:"version"`
	// Definition is the sweep's definition, whose hash is SweepHash: with it
	// a row says which base seed, keys, trials and criteria it belongs to,
	// so that merge and --resume check every point's seed.
	Definition *Definition `json:"sweep_definition"`
}

// TargetStat is a criterion's estimated probability at a point.
type TargetStat struct {
	Name        string  `json:"name"`
	Met         int64   `json:"met"`
	Probability float64 `json:"probability"`
	CILow       float64 `json:"ci_low"`
	CIHigh      float64 `json:"ci_high"`
}

// ShareStat is a tracked share's distribution across the trials at a point.
type ShareStat struct {
	Name string  `json:"name"`
	Mean float64 `json:"mean"`
	P05  float64 `json:"p05"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
}

// Target returns the named target's statistics.
func (r *Row) Target(name string) (TargetStat, bool) {
	for _, t := range r.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return TargetStat{}, false
}

var (
	targetFields = []string{"met", "probability", "ci_low", "ci_high"}
	shareFields  = []string{"mean", "p05", "p50", "p95"}
	idColumns    = []string{"scenario_sha256", "sweep_sha256", "version", "sweep_definition"}
)

// Columns returns the CSV header of rows with these keys, targets and shares:
//
//	point, points, seed, trials, KEY…,
//	target_NAME_met, target_NAME_probability, target_NAME_ci_low, target_NAME_ci_high …,
//	share_NAME_mean, share_NAME_p05, share_NAME_p50, share_NAME_p95 …,
//	scenario_sha256, sweep_sha256, version, sweep_definition
//
// Keys and names are written as identifiers of R and Python
// (internal/colname): stages[name=election].elect.surplus as
// stages_name_election_elect_surplus, the criterion women>=0.27 as
// target_women_ge_0_27_probability. The exact names are in the
// sweep_definition column (JSON) and in JSON Lines rows.
func Columns(keys, targets, shares []string) []string {
	cols := []string{"point", "points", "seed", "trials"}
	for _, k := range keys {
		cols = append(cols, colname.Ident(k))
	}
	for _, t := range targets {
		for _, f := range targetFields {
			cols = append(cols, colname.Join("target", t, f))
		}
	}
	for _, s := range shares {
		for _, f := range shareFields {
			cols = append(cols, colname.Join("share", s, f))
		}
	}
	return colname.Unique(append(cols, idColumns...))
}

// columns returns the CSV header of r.
func (r *Row) columns() []string {
	return Columns(r.Keys, r.targetNames(), r.shareNames())
}

func (r *Row) targetNames() []string {
	out := make([]string, len(r.Targets))
	for i, t := range r.Targets {
		out[i] = t.Name
	}
	return out
}

func (r *Row) shareNames() []string {
	out := make([]string, len(r.Shares))
	for i, s := range r.Shares {
		out[i] = s.Name
	}
	return out
}

// num writes a number in the shortest form that reads back exactly, without
// an exponent.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// mean writes a share's mean at its resolution, 10⁻⁹ (sim.ShareResult).
func mean(v float64) string { return Fixed(v, 9) }

// quantile writes a share's quantile at its resolution, 10⁻⁴.
func quantile(v float64) string { return Fixed(v, 4) }

// Fixed writes v with at most d decimals, without trailing zeros ("-0" as "0").
func Fixed(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// csvLine encodes fields as one CSV record ending in a newline.
func csvLine(fields []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(fields) // a bytes.Buffer does not fail
	w.Flush()
	return b.Bytes()
}

// MarshalCSV returns the row as one CSV record in the order of Columns.
func (r *Row) MarshalCSV() []byte {
	f := []string{strconv.Itoa(r.Point), strconv.Itoa(r.Points), strconv.FormatUint(r.Seed, 10), strconv.Itoa(r.Trials)}
	f = append(f, r.Values...)
	for _, t := range r.Targets {
		f = append(f, strconv.FormatInt(t.Met, 10), num(t.Probability), num(t.CILow), num(t.CIHigh))
	}
	for _, s := range r.Shares {
		f = append(f, mean(s.Mean), quantile(s.P05), quantile(s.P50), quantile(s.P95))
	}
	f = append(f, r.ScenarioHash, r.SweepHash, r.Version, string(r.definitionJSON()))
	return csvLine(f)
}

// jsonValue writes a YAML value for JSON: numbers and booleans as they are,
// anything else as a string of its YAML text, so that the text reads back
// unchanged.
func jsonValue(v string) []byte {
	if v == "true" || v == "false" {
		return []byte(v)
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil && json.Valid([]byte(v)) {
		return []byte(v)
	}
	return jsonString(v)
}

// jsonString quotes s as JSON without HTML escaping ("women>=0.27" stays
// readable; the JSON is not embedded in HTML).
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// MarshalJSONLine returns the row as one JSON object and a newline:
//
//	{"point":0,"points":20,"seed":…,"trials":1000,"values":{"KEY":0.05,…},
//	 "targets":[{"name":…,"met":…,"probability":…,"ci_low":…,"ci_high":…},…],
//	 "shares":[{"name":…,"mean":…,"p05":…,"p50":…,"p95":…},…],
//	 "scenario_sha256":…,"sweep_sha256":…,"version":…}
//
// Values are keyed by the swept keys in sweep order.
func (r *Row) MarshalJSONLine() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"point":%d,"points":%d,"seed":%d,"trials":%d,"values":{`, r.Point, r.Points, r.Seed, r.Trials)
	for i, k := range r.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonString(k))
		b.WriteByte(':')
		b.Write(jsonValue(r.Values[i]))
	}
	b.WriteString(`},"targets":[`)
	for i, t := range r.Targets {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":%s,"met":%d,"probability":%s,"ci_low":%s,"ci_high":%s}`,
			jsonString(t.Name), t.Met, num(t.Probability), num(t.CILow), num(t.CIHigh))
	}
	b.WriteString(`],"shares":[`)
	for i, s := range r.Shares {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":%s,"mean":%s,"p05":%s,"p50":%s,"p95":%s}`,
			jsonString(s.Name), mean(s.Mean), quantile(s.P05), quantile(s.P50), quantile(s.P95))
	}
	fmt.Fprintf(&b, `],"scenario_sha256":%s,"sweep_sha256":%s,"version":%s,"sweep_definition":%s}`+"\n",
		jsonString(r.ScenarioHash), jsonString(r.SweepHash), jsonString(r.Version), r.definitionJSON())
	return b.Bytes()
}

// definitionJSON writes the row's definition as compact JSON without HTML
// escaping (null when the row has none).
func (r *Row) definitionJSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(r.Definition) // plain data
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// TidyColumns returns the header of a tidy (long) sweep file: one line per
// point and statistic,
//
//	point, points, seed, trials, KEY…, kind, name, statistic, value,
//	scenario_sha256, sweep_sha256, version
//
// where kind is target (statistics met, probability, ci_low, ci_high) or
// share (mean, p05, p50, p95), and name the exact target, criterion or
// share name.
func TidyColumns(keys []string) []string {
	cols := []string{"point", "points", "seed", "trials"}
	for _, k := range keys {
		cols = append(cols, colname.Ident(k))
	}
	return colname.Unique(append(cols, "kind", "name", "statistic", "value", "scenario_sha256", "sweep_sha256", "version"))
}

// MarshalTidy returns the row as the lines of a tidy sweep file.
func (r *Row) MarshalTidy() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := append([]string{strconv.Itoa(r.Point), strconv.Itoa(r.Points), strconv.FormatUint(r.Seed, 10), strconv.Itoa(r.Trials)}, r.Values...)
	tail := []string{r.ScenarioHash, r.SweepHash, r.Version}
	line := func(kind, name, stat, value string) {
		rec := append(slices.Clip(head), kind, name, stat, value)
		_ = w.Write(append(rec, tail...)) // a bytes.Buffer does not fail
	}
	for _, t := range r.Targets {
		line("target", t.Name, "met", strconv.FormatInt(t.Met, 10))
		line("target", t.Name, "probability", num(t.Probability))
		line("target", t.Name, "ci_low", num(t.CILow))
		line("target", t.Name, "ci_high", num(t.CIHigh))
	}
	for _, s := range r.Shares {
		line("share", s.Name, "mean", mean(s.Mean))
		line("share", s.Name, "p05", quantile(s.P05))
		line("share", s.Name, "p50", quantile(s.P50))
		line("share", s.Name, "p95", quantile(s.P95))
	}
	w.Flush()
	return b.Bytes()
}

// Marshal encodes the row in the given encoding.
func (r *Row) Marshal(encoding string) []byte {
	switch encoding {
	case EncodingJSONL:
		return r.MarshalJSONLine()
	case EncodingTidy:
		return r.MarshalTidy()
	}
	return r.MarshalCSV()
}

// OldFormat is how a sweep file written before rows carried their sweep
// definition is refused: the seeds of its points cannot be checked.
const OldFormat = "written by an earlier version of simulate (its rows have no sweep_definition, so their seeds cannot be checked): run the sweep again into a new file"

// parseCSVHeader splits a CSV header into the key columns and the target
// and share names as the header writes them (identifiers; the exact names
// come from the rows' definition, see exactNames).
func parseCSVHeader(cols []string) (keys, targets, shares []string, err error) {
	bad := func(format string, args ...any) ([]string, []string, []string, error) {
		return nil, nil, nil, fmt.Errorf("not a sweep file: "+format, args...)
	}
	if len(cols) < 4 || strings.Join(cols[:4], ",") != "point,points,seed,trials" {
		return bad("the header should start with point,points,seed,trials")
	}
	for _, c := range cols {
		if strings.HasPrefix(c, "target.") || strings.HasPrefix(c, "share.") {
			return nil, nil, nil, errors.New(OldFormat)
		}
	}
	if slices.Contains(cols, "kind") && slices.Contains(cols, "statistic") && slices.Contains(cols, "value") {
		return bad("a tidy (--tidy) sweep file is for analysis; merge and --resume read the wide CSV or JSON Lines files")
	}
	if len(cols) < 4+len(idColumns) || strings.Join(cols[len(cols)-len(idColumns):], ",") != strings.Join(idColumns, ",") {
		if strings.HasSuffix(strings.Join(cols, ","), ",scenario_sha256,sweep_sha256,version") {
			return nil, nil, nil, errors.New(OldFormat)
		}
		return bad("the header should end with %s", strings.Join(idColumns, ","))
	}
	body := cols[4 : len(cols)-len(idColumns)]
	i := 0
	for ; i < len(body); i++ {
		if _, ok := groupName(body, i, "target_", targetFields); ok {
			break
		}
		if _, ok := groupName(body, i, "share_", shareFields); ok {
			break
		}
		keys = append(keys, body[i])
	}
	for ; i < len(body); i += len(targetFields) {
		name, ok := groupName(body, i, "target_", targetFields)
		if !ok {
			break
		}
		targets = append(targets, name)
	}
	for ; i < len(body); i += len(shareFields) {
		name, ok := groupName(body, i, "share_", shareFields)
		if !ok {
			return bad("column %d (%s): expected share_NAME_%s", 5+len(keys)+i, body[i], strings.Join(shareFields, "/"))
		}
		shares = append(shares, name)
	}
	return keys, targets, shares, nil
}

// groupName checks that body[i:] starts with prefix+NAME+"_"+f for every field f.
func groupName(body []string, i int, prefix string, fields []string) (string, bool) {
	if i+len(fields) > len(body) || !strings.HasPrefix(body[i], prefix) {
		return "", false
	}
	name, ok := strings.CutSuffix(strings.TrimPrefix(body[i], prefix), "_"+fields[0])
	if !ok || name == "" {
		return "", false
	}
	for j, f := range fields {
		if body[i+j] != prefix+name+"_"+f {
			return "", false
		}
	}
	return name, true
}

// exactNames returns the swept keys and the target names of a sweep of
// this definition whose CSV header names targets as header does.
func (d *Definition) exactNames(targets []string) (keys, exact []string, err error) {
	if keys, err = d.Keys(); err != nil {
		return nil, nil, err
	}
	if len(d.Criteria) > len(targets) {
		return nil, nil, fmt.Errorf("its definition has %d share targets, the header %d targets", len(d.Criteria), len(targets))
	}
	exact = append(slices.Clone(targets[:len(targets)-len(d.Criteria)]), d.Criteria...)
	return keys, exact, nil
}

// Keys returns the keys the definition varies.
func (d *Definition) Keys() ([]string, error) {
	keys := make([]string, len(d.Vary))
	for i, v := range d.Vary {
		p, err := ParseVary(v)
		if err != nil {
			return nil, fmt.Errorf("its sweep definition: %w", err)
		}
		keys[i] = p.Key
	}
	return keys, nil
}

// parseCSVRow decodes a CSV record under a header.
func parseCSVRow(keys, targets, shares []string, rec []string) (*Row, error) {
	want := 4 + len(keys) + len(targets)*len(targetFields) + len(shares)*len(shareFields) + len(idColumns)
	if len(rec) != want {
		return nil, fmt.Errorf("%d fields, the header has %d", len(rec), want)
	}
	r := &Row{Keys: keys}
	var errs []error
	atoi := func(s string) int {
		v, err := strconv.Atoi(s)
		errs = append(errs, err)
		return v
	}
	flt := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		errs = append(errs, err)
		return v
	}
	r.Point, r.Points, r.Trials = atoi(rec[0]), atoi(rec[1]), atoi(rec[3])
	seed, err := strconv.ParseUint(rec[2], 10, 64)
	errs = append(errs, err)
	r.Seed = seed
	i := 4
	r.Values = append([]string(nil), rec[i:i+len(keys)]...)
	i += len(keys)
	for _, t := range targets {
		met, err := strconv.ParseInt(rec[i], 10, 64)
		errs = append(errs, err)
		r.Targets = append(r.Targets, TargetStat{Name: t, Met: met, Probability: flt(rec[i+1]), CILow: flt(rec[i+2]), CIHigh: flt(rec[i+3])})
		i += len(targetFields)
	}
	for _, s := range shares {
		r.Shares = append(r.Shares, ShareStat{Name: s, Mean: flt(rec[i]), P05: flt(rec[i+1]), P50: flt(rec[i+2]), P95: flt(rec[i+3])})
		i += len(shareFields)
	}
	r.ScenarioHash, r.SweepHash, r.Version = rec[i], rec[i+1], rec[i+2]
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("bad number: %w", err)
	}
	def, err := parseDefinition([]byte(rec[i+3]))
	if err != nil {
		return nil, err
	}
	r.Definition = def
	return r, nil
}

// parseDefinition decodes a row's sweep definition; null or nothing is an
// older file's row.
func parseDefinition(data []byte) (*Definition, error) {
	if s := strings.TrimSpace(string(data)); s == "" || s == "null" {
		return nil, errors.New(OldFormat)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("sweep_definition: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("sweep_definition: more than one JSON value")
	}
	return &d, nil
}

// parseJSONRow decodes one JSON Lines row.
func parseJSONRow(line []byte) (*Row, error) {
	var raw struct {
		Row
		Values json.RawMessage `json:"values"`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more than one JSON value on the line")
	}
	r := raw.Row
	if r.Definition == nil {
		return nil, errors.New(OldFormat)
	}
	// Read the values object token by token to keep the keys' order.
	vd := json.NewDecoder(bytes.NewReader(raw.Values))
	vd.UseNumber()
	if tok, err := vd.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("values: expected an object")
	}
	for vd.More() {
		tok, err := vd.Token()
		if err != nil {
			return nil, fmt.Errorf("values: %w", err)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := vd.Decode(&v); err != nil {
			return nil, fmt.Errorf("values: %w", err)
		}
		text := string(v)
		if strings.HasPrefix(text, `"`) {
			if err := json.Unmarshal(v, &text); err != nil {
				return nil, fmt.Errorf("values: %w", err)
			}
		}
		r.Keys = append(r.Keys, key)
		r.Values = append(r.Values, text)
	}
	return &r, nil
}
