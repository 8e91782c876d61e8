package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Encodings of sweep files.
const (
	EncodingCSV   = "csv"
	EncodingJSONL = "jsonl"
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
	idColumns    = []string{"scenario_sha256", "sweep_sha256", "version"}
)

// Columns returns the CSV header of rows with these keys, targets and shares:
//
//	point, points, seed, trials, KEY…,
//	target.NAME.met, target.NAME.probability, target.NAME.ci_low, target.NAME.ci_high …,
//	share.NAME.mean, share.NAME.p05, share.NAME.p50, share.NAME.p95 …,
//	scenario_sha256, sweep_sha256, version
func Columns(keys, targets, shares []string) []string {
	cols := append([]string{"point", "points", "seed", "trials"}, keys...)
	for _, t := range targets {
		for _, f := range targetFields {
			cols = append(cols, "target."+t+"."+f)
		}
	}
	for _, s := range shares {
		for _, f := range shareFields {
			cols = append(cols, "share."+s+"."+f)
		}
	}
	return append(cols, idColumns...)
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
	f = append(f, r.ScenarioHash, r.SweepHash, r.Version)
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
	fmt.Fprintf(&b, `],"scenario_sha256":%s,"sweep_sha256":%s,"version":%s}`+"\n",
		jsonString(r.ScenarioHash), jsonString(r.SweepHash), jsonString(r.Version))
	return b.Bytes()
}

// Marshal encodes the row in the given encoding.
func (r *Row) Marshal(encoding string) []byte {
	if encoding == EncodingJSONL {
		return r.MarshalJSONLine()
	}
	return r.MarshalCSV()
}

// parseCSVHeader splits a CSV header into keys, target names and share names.
func parseCSVHeader(cols []string) (keys, targets, shares []string, err error) {
	bad := func(format string, args ...any) ([]string, []string, []string, error) {
		return nil, nil, nil, fmt.Errorf("not a sweep file: "+format, args...)
	}
	if len(cols) < 4+len(idColumns) || strings.Join(cols[:4], ",") != "point,points,seed,trials" ||
		strings.Join(cols[len(cols)-len(idColumns):], ",") != strings.Join(idColumns, ",") {
		return bad("the header should start with point,points,seed,trials and end with %s", strings.Join(idColumns, ","))
	}
	body := cols[4 : len(cols)-len(idColumns)]
	i := 0
	for ; i < len(body) && !strings.HasPrefix(body[i], "target.") && !strings.HasPrefix(body[i], "share."); i++ {
		keys = append(keys, body[i])
	}
	for ; i < len(body) && strings.HasPrefix(body[i], "target."); i += len(targetFields) {
		name, ok := groupName(body, i, "target.", targetFields)
		if !ok {
			return bad("column %d (%s): expected target.NAME.%s", 5+len(keys)+i, body[i], strings.Join(targetFields, "/"))
		}
		targets = append(targets, name)
	}
	for ; i < len(body); i += len(shareFields) {
		name, ok := groupName(body, i, "share.", shareFields)
		if !ok {
			return bad("column %d (%s): expected share.NAME.%s", 5+i, body[i], strings.Join(shareFields, "/"))
		}
		shares = append(shares, name)
	}
	return keys, targets, shares, nil
}

// groupName checks that body[i:] starts with prefix+NAME+"."+f for every field f.
func groupName(body []string, i int, prefix string, fields []string) (string, bool) {
	if i+len(fields) > len(body) {
		return "", false
	}
	name, ok := strings.CutSuffix(strings.TrimPrefix(body[i], prefix), "."+fields[0])
	if !ok || !strings.HasPrefix(body[i], prefix) {
		return "", false
	}
	for j, f := range fields {
		if body[i+j] != prefix+name+"."+f {
			return "", false
		}
	}
	return name, true
}

// parseCSVRow decodes a CSV record under a header.
func parseCSVRow(keys, targets, shares []string, rec []string) (*Row, error) {
	want := len(Columns(keys, targets, shares))
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
	return r, nil
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
