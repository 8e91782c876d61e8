package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"simulate/configs"
	"simulate/feasible"
	"simulate/internal/i18n"
	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
	"simulate/sweep"
)

// scenarioRequest names the scenario of a request: its YAML text (the
// editor's), or else an embedded scenario or a file of the served
// directory by name; then --set overrides, in order.
type scenarioRequest struct {
	YAML   string   `json:"yaml,omitempty"`
	Name   string   `json:"name,omitempty"`
	Source string   `json:"source,omitempty"` // what messages call the YAML text
	Sets   []string `json:"sets,omitempty"`
}

// problem is one thing wrong with a scenario, with its place in the YAML.
type problem struct {
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Path   string `json:"path,omitempty"`
	Msg    string `json:"message"`
}

// errBadRequest marks a request that names no valid scenario.
type badRequest struct {
	msg      string
	problems []problem
}

func (e *badRequest) Error() string { return e.msg }

func badf(format string, args ...any) error { return &badRequest{msg: fmt.Sprintf(format, args...)} }

// answerErr writes an error: 400 with the problems for bad input, 500 otherwise.
func (s *Server) answerErr(w http.ResponseWriter, r *http.Request, err error) {
	var bad *badRequest
	if errors.As(err, &bad) {
		writeError(w, http.StatusBadRequest, bad.msg, bad.problems)
		return
	}
	if r.Context().Err() != nil {
		return // the client has gone
	}
	s.logf("%s %s: %v", r.Method, r.URL.Path, err)
	writeError(w, http.StatusInternalServerError, err.Error(), nil)
}

// isFileName reports whether name names a file (a path or a YAML file
// name) rather than an embedded scenario.
func isFileName(name string) bool {
	return strings.ContainsAny(name, `/\.`)
}

// readNamed returns the text of an embedded scenario or of a .yaml file of
// the served directory, and the source name messages use.
func (s *Server) readNamed(name string) ([]byte, string, error) {
	if name == "" {
		name = configs.Default
	}
	if !isFileName(name) {
		if b, ok := configs.Read(name); ok {
			return b, "embedded:" + name, nil
		}
		if near := scenario.Nearest(name, configs.Names()); near != "" {
			return nil, "", badf("no embedded scenario %q; did you mean %q?", name, near)
		}
		return nil, "", badf("no embedded scenario %q (embedded: %s)", name, strings.Join(configs.Names(), ", "))
	}
	if s.root == nil {
		return nil, "", badf("no directory is served: open an embedded scenario or paste the YAML")
	}
	if ext := path.Ext(name); ext != ".yaml" && ext != ".yml" {
		return nil, "", badf("%q: only .yaml and .yml files are served", name)
	}
	if !fs.ValidPath(name) {
		return nil, "", badf("%q: a file of the served directory is named by a relative path without .. or a leading /", name)
	}
	f, err := s.root.Open(name) // os.Root: no path, link or .. leaves the directory
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", badf("no file %q in the served directory", name)
		}
		return nil, "", badf("%q: %v", name, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, "", badf("%q is not a regular file", name)
	}
	b, err := io.ReadAll(io.LimitReader(f, scenario.MaxFileBytes+1))
	if err != nil {
		return nil, "", badf("%q: %v", name, err)
	}
	return b, name, nil // the loader refuses a file over the limit, with its size
}

// load reads and validates the request's scenario with its overrides,
// followed by the extra ones (run settings).
func (s *Server) load(req *scenarioRequest, extra ...scenario.Override) (*scenario.Scenario, []byte, error) {
	if len(req.Sets) > MaxSets {
		return nil, nil, badf("at most %d overrides, got %d", MaxSets, len(req.Sets))
	}
	data, source := []byte(req.YAML), req.Source
	if source == "" {
		source = "editor"
	}
	if req.YAML == "" {
		var err error
		if data, source, err = s.readNamed(req.Name); err != nil {
			return nil, nil, err
		}
	}
	var ovs []scenario.Override
	for _, set := range req.Sets {
		ov, err := scenario.ParseAssignment(set, "set "+set)
		if err != nil {
			return nil, nil, badf("set %v", err)
		}
		ovs = append(ovs, ov)
	}
	sc, err := scenario.Load(source, data, scenario.Options{Overrides: append(ovs, extra...)})
	if err != nil {
		return nil, data, scenarioProblems(err)
	}
	return sc, data, nil
}

// scenarioProblems turns a loader error into a bad request listing its
// problems with their lines.
func scenarioProblems(err error) error {
	var se *scenario.Error
	if !errors.As(err, &se) {
		return &badRequest{msg: err.Error(), problems: []problem{{Msg: err.Error()}}}
	}
	ps := make([]problem, len(se.Problems))
	for i, p := range se.Problems {
		ps[i] = problem{Line: p.Line, Column: p.Column, Path: p.Path, Msg: p.Msg}
	}
	return &badRequest{msg: se.Error(), problems: ps}
}

// scenarioEntry is one scenario the page can open.
type scenarioEntry struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	File  bool   `json:"file,omitempty"` // a file of the served directory
}

var embeddedList = sync.OnceValue(func() []scenarioEntry {
	var out []scenarioEntry
	for _, n := range configs.Names() {
		e := scenarioEntry{Name: n}
		if b, ok := configs.Read(n); ok {
			if sc, err := scenario.Load(n, b, scenario.Options{}); err == nil {
				e.Title = sc.Title
			}
		}
		out = append(out, e)
	}
	return out
})

// maxListed bounds the files listed from the served directory.
const maxListed = 500

func (s *Server) scenarios(w http.ResponseWriter, r *http.Request) {
	list := slices.Clone(embeddedList())
	if s.root != nil {
		entries, err := fs.ReadDir(s.root.FS(), ".")
		if err != nil {
			s.answerErr(w, r, err)
			return
		}
		n := 0
		for _, e := range entries {
			if ext := path.Ext(e.Name()); e.Type().IsRegular() && (ext == ".yaml" || ext == ".yml") && n < maxListed {
				list = append(list, scenarioEntry{Name: e.Name(), File: true})
				n++
			}
		}
	}
	initial := s.cfg.Initial
	if initial == "" {
		initial = configs.Default
	}
	writeJSON(w, http.StatusOK, struct {
		Default   string          `json:"default"`
		Scenarios []scenarioEntry `json:"scenarios"`
	}{initial, list})
}

func (s *Server) scenarioText(w http.ResponseWriter, r *http.Request) {
	data, source, err := s.readNamed(r.URL.Query().Get("name"))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Name   string `json:"name"`
		Source string `json:"source"`
		YAML   string `json:"yaml"`
	}{r.URL.Query().Get("name"), source, string(data)})
}

// label is a display name in both languages.
type label struct {
	Name string `json:"name"`
	En   string `json:"en,omitempty"`
	Zh   string `json:"zh,omitempty"`
	// State is a stage's state of the unit machine.
	State string `json:"state,omitempty"`
}

// slider is an explorable parameter with its grid and current value.
type slider struct {
	Path   string    `json:"path"`
	Label  string    `json:"label,omitempty"`
	Zh     string    `json:"label_zh,omitempty"`
	Values []float64 `json:"values"`
	Text   []string  `json:"text"`  // the values as written in an override
	Value  *float64  `json:"value"` // the scenario's own value, nil when not a number
}

// validation is the answer of /api/validate.
type validation struct {
	Valid    bool      `json:"valid"`
	Problems []problem `json:"problems"`
	Name     string    `json:"name,omitempty"`
	Title    string    `json:"title,omitempty"`
	Hash     string    `json:"scenario_sha256,omitempty"`
	Trials   int       `json:"trials,omitempty"`
	Seed     uint64    `json:"seed,omitempty"`
	Units    []label   `json:"units,omitempty"`
	Stages   []label   `json:"stages,omitempty"`
	Targets  []label   `json:"targets,omitempty"`
	Shares   []label   `json:"shares,omitempty"`
	// States, Values and Reasons are the glossary's names.
	States  []label  `json:"states,omitempty"`
	Values  []label  `json:"values,omitempty"`
	Reasons []label  `json:"reasons,omitempty"`
	Explore []slider `json:"explore,omitempty"`
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	var req scenarioRequest
	if !decode(w, r, &req) {
		return
	}
	sc, _, err := s.load(&req)
	if err != nil {
		var bad *badRequest
		if errors.As(err, &bad) && bad.problems != nil {
			writeJSON(w, http.StatusOK, validation{Problems: bad.problems})
			return
		}
		s.answerErr(w, r, err)
		return
	}
	v := validation{Valid: true, Problems: []problem{}, Name: sc.Name, Title: sc.Title, Hash: sc.Hash(), Trials: sc.Run.Trials, Seed: sc.Run.Seed}
	for _, u := range sc.Units {
		v.Units = append(v.Units, label{Name: u.Name, En: u.Name, Zh: u.NameZh})
	}
	for _, st := range sc.Stages {
		v.Stages = append(v.Stages, label{Name: st.Name, En: st.Label, Zh: st.LabelZh, State: st.UnitState})
	}
	for _, t := range sc.Targets {
		v.Targets = append(v.Targets, label{Name: t.Name, En: t.Label})
	}
	for _, sh := range sc.Shares {
		v.Shares = append(v.Shares, label{Name: sh.Name, En: sh.Label})
	}
	glossary := func(m map[string]scenario.Label) []label {
		var out []label
		for _, k := range scenario.SortedKeys(m) {
			out = append(out, label{Name: k, En: m[k].Label, Zh: m[k].LabelZh})
		}
		return out
	}
	v.States, v.Values, v.Reasons = glossary(sc.Glossary.States), glossary(sc.Glossary.Values), glossary(sc.Glossary.Reasons)
	if v.Explore, err = sliders(sc); err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// sliders returns the scenario's explorable parameters, their grids (read
// as a sweep reads --vary) and current values.
func sliders(sc *scenario.Scenario) ([]slider, error) {
	if len(sc.Explore) == 0 {
		return nil, nil
	}
	var tree yaml.Node
	b, err := yaml.Marshal(sc)
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	var out []slider
	for _, q := range sc.Explore {
		p, err := sweep.ParseVary(q.Path + "=" + q.Values)
		if err != nil {
			return nil, badf("explore %s: %v", q.Path, err)
		}
		sl := slider{Path: q.Path, Label: q.Label, Zh: q.LabelZh, Text: p.Values}
		for _, t := range p.Values {
			var f float64
			if _, err := fmt.Sscan(t, &f); err != nil {
				return nil, badf("explore %s: value %q is not a number", q.Path, t)
			}
			sl.Values = append(sl.Values, f)
		}
		if n, err := scenario.Lookup(tree.Content[0], q.Path, nil); err == nil && n.Kind == yaml.ScalarNode {
			var f float64
			if n.Decode(&f) == nil {
				sl.Value = &f
			}
		}
		out = append(out, sl)
	}
	return out, nil
}

// checkRequest asks for the exact feasibility check.
type checkRequest struct {
	scenarioRequest
}

// checkAnswer is the verdict in short and the whole report, as
// `simulate check --format json` writes it.
type checkAnswer struct {
	Verdict string  `json:"verdict"`
	Summary string  `json:"summary"`
	Report  jsonRaw `json:"report"`
}

// jsonRaw is JSON written as is.
type jsonRaw []byte

func (j jsonRaw) MarshalJSON() ([]byte, error) { return j, nil }

func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	var req checkRequest
	if !decode(w, r, &req) {
		return
	}
	sc, _, err := s.load(&req.scenarioRequest)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	// The check takes a core like a run: it waits its turn.
	release, err := s.queue.acquire(r.Context(), nil)
	if err != nil {
		s.busy(w, r, err)
		return
	}
	defer release()
	rep, err := feasible.CheckContext(r.Context(), sc, feasible.Options{Version: s.cfg.Version, TimeLimit: checkTimeLimit})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := feasible.WriteJSON(&buf, rep); err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, checkAnswer{Verdict: string(rep.Verdict), Summary: feasible.Summary(rep, i18n.En), Report: bytes.TrimSpace(buf.Bytes())})
}

// busy answers a request that found no place: 503 when the queue is full.
func (s *Server) busy(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errQueueFull) {
		w.Header().Set("Retry-After", "5")
		s.refuse(w, r, http.StatusServiceUnavailable, "%d runs are already waiting; try again shortly", s.cfg.MaxQueue)
		return
	}
	// The client gave up while waiting: nobody reads an answer.
}

// graphRequest asks for the state diagrams.
type graphRequest struct {
	scenarioRequest
	Lang string `json:"lang,omitempty"`
}

// diagrams are the two machines of a scenario as SVG pictures.
type diagrams struct {
	Unit      string `json:"unit"`
	Candidate string `json:"candidate"`
}

func (s *Server) graph(w http.ResponseWriter, r *http.Request) {
	var req graphRequest
	if !decode(w, r, &req) {
		return
	}
	sc, _, err := s.load(&req.scenarioRequest)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	d, err := drawMachines(sc, req.Lang)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// drawMachines draws the compiled model's machines, as `simulate graph
// --format svg` does, with Chinese state names under the English for zh.
func drawMachines(sc *scenario.Scenario, lang string) (*diagrams, error) {
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	unit := report.DiagramOptions{ID: "unit"}
	cand := report.DiagramOptions{ID: "candidate"}
	if lang == report.LangZh {
		unit.Sublabel = report.ChineseStateNames(sc)
		cand.Sublabel = unit.Sublabel
	}
	return &diagrams{Unit: report.MachineSVG(m.Workflow.Unit, unit), Candidate: report.MachineSVG(m.Workflow.Candidate, cand)}, nil
}

func checkLang(lang string) error {
	switch lang {
	case "", report.LangEn, report.LangZh:
		return nil
	}
	return badf("unknown lang %q (want %s or %s)", lang, report.LangEn, report.LangZh)
}

// traceRequest asks for one trial: Trial, or with Find the first trial
// from Trial on (within Trials) where a target was missed (missed:TARGET)
// or met (met:TARGET), a congress failed its quorum (failed_quorum) or a
// ballot went to a further round (further_round).
type traceRequest struct {
	scenarioRequest
	Seed   *uint64 `json:"seed,omitempty"`
	Trial  uint64  `json:"trial"`
	Unit   string  `json:"unit,omitempty"`
	Find   string  `json:"find,omitempty"`
	Trials int     `json:"trials,omitempty"`
	Lang   string  `json:"lang,omitempty"`
}

// traceAnswer is the trial as `simulate trace --format json` writes it
// (log), its narrative in the language asked for, and the diagrams the
// page highlights the states on.
type traceAnswer struct {
	Log       *report.TraceLog `json:"log"`
	Narrative string           `json:"narrative"`
	Diagrams  *diagrams        `json:"diagrams"`
}

// maxFind bounds the trials a find searches.
const maxFind = 20_000

func (s *Server) trace(w http.ResponseWriter, r *http.Request) {
	var req traceRequest
	if !decode(w, r, &req) {
		return
	}
	if err := checkLang(req.Lang); err != nil {
		s.answerErr(w, r, err)
		return
	}
	var extra []scenario.Override
	if req.Seed != nil {
		extra = append(extra, scenario.Override{Key: "run.seed", Value: fmt.Sprint(*req.Seed), Origin: "seed"})
	}
	sc, _, err := s.load(&req.scenarioRequest, extra...)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	units, err := report.TraceUnits(sc, req.Unit)
	if err != nil {
		s.answerErr(w, r, badf("%v", err))
		return
	}
	m, err := sim.Compile(sc)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	release, err := s.queue.acquire(r.Context(), nil)
	if err != nil {
		s.busy(w, r, err)
		return
	}
	defer release()
	trial := req.Trial
	if req.Find != "" {
		n := req.Trials
		if n <= 0 {
			n = min(sc.Run.Trials, maxFind)
		}
		if n > maxFind {
			s.answerErr(w, r, badf("trials: a search covers at most %d trials, got %d", maxFind, n))
			return
		}
		only := ""
		if req.Unit != "" && len(units) == 1 {
			only = units[0]
		}
		found, where, err := findTrial(r.Context(), sc, m, req.Find, req.Trial, n, only)
		if err != nil {
			s.answerErr(w, r, err)
			return
		}
		trial = found
		if req.Unit == "" && where != "" {
			units = []string{where}
		}
	}
	var events []sim.Event
	if err := sim.Trace(m, sc.Run.Seed, trial, func(e sim.Event) { events = append(events, e) }); err != nil {
		s.answerErr(w, r, err)
		return
	}
	log, err := report.NewTraceLog(sc, events, sc.Run.Seed, trial, s.cfg.Version, units)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	lang := req.Lang
	if lang == "" {
		lang = report.LangEn
	}
	var text bytes.Buffer
	if err := report.TraceText(&text, sc, log, lang); err != nil {
		s.answerErr(w, r, err)
		return
	}
	d, err := drawMachines(sc, lang)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, traceAnswer{Log: log, Narrative: text.String(), Diagrams: d})
}

// findTrial returns the first trial from `from` (of n) matching spec —
// missed:TARGET, met:TARGET, failed_quorum or further_round, as for
// `simulate trace --find` — in unit when set, and the unit where it
// happened ("" for a target of the whole scenario).
func findTrial(ctx context.Context, sc *scenario.Scenario, m *sim.Model, spec string, from uint64, n int, unit string) (uint64, string, error) {
	kind, name, hasTarget := strings.Cut(strings.TrimSpace(spec), ":")
	q := sim.TrialQuery{Kind: kind, Unit: unit}
	switch kind {
	case sim.FindMissed, sim.FindMet:
		t := sc.Target(name)
		if t == nil {
			var names []string
			for _, t := range sc.Targets {
				names = append(names, t.Name)
			}
			if near := scenario.Nearest(name, names); near != "" {
				return 0, "", badf("find %q: no target %q; did you mean %q?", spec, name, near)
			}
			return 0, "", badf("find %q: no target %q (targets: %s)", spec, name, strings.Join(names, ", "))
		}
		q.Target, q.Scope = t.Name, t.Scope
	case sim.FindFailedQuorum, sim.FindFurther:
		if hasTarget {
			return 0, "", badf("find %q: %s takes no target", spec, kind)
		}
	default:
		return 0, "", badf("find %q: want missed:TARGET, met:TARGET, %s or %s", spec, sim.FindFailedQuorum, sim.FindFurther)
	}
	// One core, like a run: the queue shares the machine.
	trial, where, ok, err := sim.FindTrial(ctx, m, q, sc.Run.Seed, from, from+uint64(n), 1, nil)
	if err != nil {
		return 0, "", err
	}
	if !ok {
		return 0, "", badf("no trial of %d–%d (seed %d) matches %s", from, from+uint64(n)-1, sc.Run.Seed, spec)
	}
	return trial, where, nil
}
