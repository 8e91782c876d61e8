package sensitivity

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"simulate/report"
)

// Report is a Result with what produced it, for output.
type Report struct {
	*Result
	Scenario     string
	ScenarioHash string
	// Trials and Seed are those of every simulated point (0 for a plain
	// function).
	Trials int
	Seed   uint64
	// Independent is set when every point had its own seed derived from
	// Seed (Simulation.Independent) instead of Seed itself.
	Independent bool
	Version     string
}

func fmtIndex(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func withInterval(ix Index) string {
	if math.IsNaN(ix.Estimate) {
		return "—"
	}
	return fmt.Sprintf("%s [%s, %s]", fmtIndex(ix.Estimate), fmtIndex(ix.Low), fmtIndex(ix.High))
}

// WriteText writes a table per output: S1 and ST with their intervals
// (Sobol) or μ* with its interval, μ and σ (Morris), one line per parameter.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	o := r.Options
	fmt.Fprintf(&b, "Sensitivity of %s — %s\n", r.Scenario, r.Description)
	if r.Trials > 0 {
		if r.Independent {
			fmt.Fprintf(&b, "every point: %d trials with its own seed from seed %d (independent); ", r.Trials, r.Seed)
		} else {
			fmt.Fprintf(&b, "every point: %d trials with seed %d (common random numbers); ", r.Trials, r.Seed)
		}
	}
	unit := "base samples"
	if r.Method == Morris {
		unit = "trajectories"
	}
	fmt.Fprintf(&b, "%s%% bootstrap intervals from %d resamples of the %s\n", trimFloat(100*o.Confidence, 2), o.Resamples, unit)
	fmt.Fprintln(&b, "\nParameters")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, p := range r.Params {
		fmt.Fprintf(tw, "  %s\t%s … %s\n", p.Name, trimFloat(p.Lo, 6), trimFloat(p.Hi, 6))
	}
	_ = tw.Flush()
	for _, out := range r.Outputs {
		fmt.Fprintf(&b, "\n%s  (mean %s, sd %s over the points)\n", out.Name, trimFloat(out.Mean, 4), trimFloat(math.Sqrt(out.Variance), 4))
		if out.Note != "" {
			fmt.Fprintf(&b, "  indices undefined: %s\n", out.Note)
			continue
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		if r.Method == Morris {
			fmt.Fprintln(tw, "  parameter\tμ* [interval]\tμ\tσ")
			for _, p := range out.Params {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Param, withInterval(p.Index(MuStar)), fmtIndex(p.Index(Mu).Estimate), fmtIndex(p.Index(Sigma).Estimate))
			}
		} else {
			fmt.Fprintln(tw, "  parameter\tS1 [interval]\tST [interval]")
			sum := 0.0
			for _, p := range out.Params {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Param, withInterval(p.Index(S1)), withInterval(p.Index(ST)))
				sum += p.Index(S1).Estimate
			}
			_ = tw.Flush()
			fmt.Fprintf(&b, "  sum of S1 %s: 1 − ΣS1 is the share of the variance due to interactions\n", fmtIndex(sum))
			continue
		}
		_ = tw.Flush()
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

// CSVColumns is the header of the tidy CSV: one row per output ×
// parameter × index. The names are syntactic in R, so read.csv keeps them.
var CSVColumns = []string{"method", "output", "parameter", "index", "estimate", "ci_low", "ci_high"}

func csvNum(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteCSV writes the tidy CSV; undefined values are NA.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVColumns)
	for _, out := range r.Outputs {
		for _, p := range out.Params {
			for _, ix := range p.Indices {
				_ = cw.Write([]string{r.Method, report.CSVText(out.Name), report.CSVText(p.Param), ix.Name,
					csvNum(ix.Estimate), csvNum(ix.Low), csvNum(ix.High)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonNum is a number that is null when undefined.
type jsonNum float64

func (v jsonNum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(v), 'g', -1, 64), nil
}

type jsonReport struct {
	Scenario     string       `json:"scenario"`
	ScenarioHash string       `json:"scenario_sha256,omitempty"`
	Version      string       `json:"version,omitempty"`
	Method       string       `json:"method"`
	Seed         uint64       `json:"seed"`
	Trials       int          `json:"trials,omitempty"`
	Independent  bool         `json:"independent,omitempty"`
	Evaluations  int          `json:"evaluations"`
	Design       jsonDesign   `json:"design"`
	Bootstrap    jsonBoot     `json:"bootstrap"`
	Parameters   []Param      `json:"parameters"`
	Outputs      []jsonOutput `json:"outputs"`
}

type jsonDesign struct {
	BaseSamples      int     `json:"base_samples,omitempty"`
	Sampler          string  `json:"sampler,omitempty"`
	Trajectories     int     `json:"trajectories,omitempty"`
	Levels           int     `json:"levels,omitempty"`
	Delta            float64 `json:"delta,omitempty"`
	TrajectoryDesign string  `json:"trajectory_design,omitempty"`
	Candidates       int     `json:"candidates,omitempty"`
}

type jsonBoot struct {
	Resamples  int     `json:"resamples"`
	Confidence float64 `json:"confidence"`
}

type jsonOutput struct {
	Name     string      `json:"name"`
	Mean     jsonNum     `json:"mean"`
	Variance jsonNum     `json:"variance"`
	Note     string      `json:"note,omitempty"`
	Indices  []jsonIndex `json:"indices"`
}

type jsonIndex struct {
	Parameter string  `json:"parameter"`
	Index     string  `json:"index"`
	Estimate  jsonNum `json:"estimate"`
	CILow     jsonNum `json:"ci_low"`
	CIHigh    jsonNum `json:"ci_high"`
}

// WriteJSON writes the report as one indented JSON object, without HTML
// escaping (parameter paths keep their brackets and "=" unescaped anyway,
// but names with < > & stay readable). Undefined numbers are null.
func (r *Report) WriteJSON(w io.Writer) error {
	o := r.Options
	j := jsonReport{Scenario: r.Scenario, ScenarioHash: r.ScenarioHash, Version: r.Version, Method: r.Method,
		Seed: o.Seed, Trials: r.Trials, Independent: r.Independent, Evaluations: r.Evaluations,
		Bootstrap: jsonBoot{Resamples: o.Resamples, Confidence: o.Confidence}}
	if r.Method == Morris {
		j.Design = jsonDesign{Trajectories: o.Trajectories, Levels: o.Levels, Delta: Delta(o.Levels), TrajectoryDesign: o.TrajectoryDesign, Candidates: o.Candidates}
	} else {
		j.Design = jsonDesign{BaseSamples: o.N, Sampler: o.Sampler}
	}
	j.Parameters = r.Params
	for _, out := range r.Outputs {
		jo := jsonOutput{Name: out.Name, Mean: jsonNum(out.Mean), Variance: jsonNum(out.Variance), Note: out.Note, Indices: []jsonIndex{}}
		for _, p := range out.Params {
			for _, ix := range p.Indices {
				jo.Indices = append(jo.Indices, jsonIndex{p.Param, ix.Name, jsonNum(ix.Estimate), jsonNum(ix.Low), jsonNum(ix.High)})
			}
		}
		j.Outputs = append(j.Outputs, jo)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}
