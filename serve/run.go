package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"simulate/feasible"
	"simulate/internal/i18n"
	"simulate/report"
	"simulate/scenario"
	"simulate/sim"
)

// runRequest asks for a Monte Carlo run: the scenario's run.trials and
// run.seed unless given. Batch is the first batch of the stream (default
// a tenth of the trials, at least 50); Force runs a scenario the exact check
// proves infeasible.
type runRequest struct {
	scenarioRequest
	Trials int     `json:"trials,omitempty"`
	Seed   *uint64 `json:"seed,omitempty"`
	Batch  int     `json:"batch,omitempty"`
	Force  bool    `json:"force,omitempty"`
}

// Batches returns the deterministic batch sizes of a streamed run of
// trials whose first batch is first: first, first, then doubling, the last
// cut to the total. They depend only on the two numbers, so a stream's
// partial results are reproducible.
func Batches(trials, first int) []int {
	if first <= 0 {
		first = max(50, trials/10)
	}
	var out []int
	done, b := 0, first
	for done < trials {
		n := min(b, trials-done)
		out = append(out, n)
		done += n
		if len(out) >= 2 {
			b *= 2
		}
	}
	return out
}

// progressEvent is a partial result of a streamed run.
type progressEvent struct {
	Done   int         `json:"done"`
	Trials int         `json:"trials"`
	Result *sim.Result `json:"result"`
}

// run simulates the scenario. With Accept: text/event-stream it streams
// server-sent events: queued (the place in line), start, progress (the
// result of the trials so far, after every batch), then result — exactly
// the bytes `simulate run --format json` writes — or error. Otherwise it
// answers with the final result alone, the same bytes.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var req runRequest
	if !decode(w, r, &req) {
		return
	}
	var extra []scenario.Override
	if req.Trials != 0 {
		extra = append(extra, scenario.Override{Key: "run.trials", Value: strconv.Itoa(req.Trials), Origin: "trials"})
	}
	if req.Seed != nil {
		extra = append(extra, scenario.Override{Key: "run.seed", Value: strconv.FormatUint(*req.Seed, 10), Origin: "seed"})
	}
	sc, _, err := s.load(&req.scenarioRequest, extra...)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	if sc.Run.Trials > s.cfg.MaxTrials {
		s.answerErr(w, r, badf("trials: this server runs at most %d trials at a time, got %d", s.cfg.MaxTrials, sc.Run.Trials))
		return
	}
	if req.Batch < 0 || req.Batch > sc.Run.Trials {
		s.answerErr(w, r, badf("batch must lie between 1 and the %d trials, got %d", sc.Run.Trials, req.Batch))
		return
	}
	m, err := sim.Compile(sc)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	s.active.Add(1)
	defer s.active.Add(-1)
	var ev *eventWriter
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		ev = &eventWriter{w: w, rc: http.NewResponseController(w)}
	}
	err = s.simulate(r.Context(), sc, m, &req, ev, w)
	s.runsDone.Add(1)
	if s.onRunEnd != nil {
		s.onRunEnd(err)
	}
	if err == nil {
		return
	}
	if r.Context().Err() != nil || errors.Is(err, errClientGone) {
		return // the client went away or the server is stopping: nobody reads
	}
	if ev == nil || !ev.started {
		var unreachable *infeasibleError
		if errors.As(err, &unreachable) {
			writeError(w, http.StatusUnprocessableEntity, err.Error(), nil)
			return
		}
		if errors.Is(err, errQueueFull) {
			s.busy(w, r, err)
			return
		}
		s.answerErr(w, r, err)
		return
	}
	s.logf("run of %s: %v", sc.Name, err)
	_ = ev.send("error", apiError{Error: err.Error()})
}

// infeasibleError is the refusal of a scenario whose targets cannot all be met.
type infeasibleError struct{ summary string }

func (e *infeasibleError) Error() string {
	return "the exact check proves the targets cannot all be met; run with force to simulate anyway:\n" + e.summary
}

// simulate waits for a worker, runs the batches and delivers the result.
func (s *Server) simulate(ctx context.Context, sc *scenario.Scenario, m *sim.Model, req *runRequest, ev *eventWriter, w http.ResponseWriter) error {
	// A waiting client that cannot take its place in line within a second
	// leaves the line: it must not hold up the runs behind it.
	qctx, leave := context.WithCancel(ctx)
	defer leave()
	position := func(ahead int) {
		if ev != nil {
			if err := ev.sendWithin("queued", map[string]int{"position": ahead}, time.Second); err != nil {
				leave()
			}
		}
	}
	release, err := s.queue.acquire(qctx, position)
	if err != nil {
		if ctx.Err() == nil && qctx.Err() != nil {
			return errClientGone
		}
		return err
	}
	defer release()
	if !req.Force {
		// As `simulate run` does: the verdict alone, bounded (a scenario it
		// cannot decide in time is simulated); the whole report only to
		// explain a refusal.
		rep, err := feasible.PreCheck(ctx, sc, s.cfg.Version, checkTimeLimit, feasible.Options{TimeLimit: checkTimeLimit})
		if err != nil {
			return err
		}
		if rep != nil {
			return &infeasibleError{summary: feasible.Summary(rep, i18n.En)}
		}
	}
	trials := sc.Run.Trials
	if ev != nil {
		if err := ev.send("start", map[string]any{"trials": trials, "seed": sc.Run.Seed, "scenario_sha256": sc.Hash()}); err != nil {
			return err
		}
	}
	var total *sim.Tally
	done := 0
	for _, n := range Batches(trials, req.Batch) {
		// One worker per run: the queue shares the cores between runs.
		t, err := sim.RunTally(ctx, m, sim.Options{Trials: n, FirstTrial: done, Seed: sc.Run.Seed, Workers: 1})
		if err != nil {
			return err
		}
		if total == nil {
			total = t
		} else if err := total.Extend(t); err != nil {
			return err
		}
		done += n
		if ev != nil && done < trials {
			res := total.Result()
			res.Version = s.cfg.Version
			if err := ev.send("progress", progressEvent{Done: done, Trials: trials, Result: res}); err != nil {
				return err
			}
		}
	}
	res := total.Result()
	res.Version = s.cfg.Version
	var buf bytes.Buffer
	if err := report.Write(&buf, report.FormatJSON, sc, res, report.Options{}); err != nil {
		return err
	}
	if ev != nil {
		return ev.sendRaw("result", buf.Bytes())
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%w: %v", errClientGone, err)
	}
	return nil
}

// eventWriter writes server-sent events. The stream starts (200 and its
// headers) with the first event, so that a request refused before it (a
// full queue, an infeasible scenario) is answered with its status code.
type eventWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

// errClientGone is a failed write to a client that has gone away.
var errClientGone = errors.New("the client has gone away")

// send writes one event whose data is v as one line of JSON.
func (e *eventWriter) send(name string, v any) error {
	return e.sendWithin(name, v, 30*time.Second)
}

// sendWithin is send with a bound on how long the client may take to
// accept the event.
func (e *eventWriter) sendWithin(name string, v any, limit time.Duration) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return e.sendRawWithin(name, bytes.TrimSuffix(buf.Bytes(), []byte("\n")), limit)
}

// sendRaw writes one event whose data is b: one data: field per line, so
// that the client's data, the lines joined by newlines, is exactly b.
func (e *eventWriter) sendRaw(name string, b []byte) error {
	return e.sendRawWithin(name, b, 30*time.Second)
}

func (e *eventWriter) sendRawWithin(name string, b []byte, limit time.Duration) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "event: %s\n", name)
	for _, line := range bytes.Split(b, []byte("\n")) {
		buf.WriteString("data: ")
		buf.Write(line)
		buf.WriteByte('\n')
	}
	buf.WriteByte('\n')
	if !e.started {
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		e.w.WriteHeader(http.StatusOK)
		e.started = true
	}
	_ = e.rc.SetWriteDeadline(time.Now().Add(limit)) // a client that stops reading is dropped
	if _, err := e.w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%w: %v", errClientGone, err)
	}
	if err := e.rc.Flush(); err != nil {
		return fmt.Errorf("%w: %v", errClientGone, err)
	}
	return nil
}
