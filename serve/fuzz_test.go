package serve

import (
	"net/http"
	"net/http/httptest"
	"simulate/scenario"
	"simulate/sweep"
	"strings"
	"testing"
)

// FuzzAPI sends arbitrary bodies to the endpoints that read them: every
// answer is a 2xx or 4xx, never a failure of the server (5xx) or a panic.
func FuzzAPI(f *testing.F) {
	s, err := New(Config{Version: "fuzz", MaxTrials: 200})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{"name":"teaching"}`,
		`{"yaml":"name: x\nquota: 1\n"}`,
		`{"name":"teaching","sets":["stages[name=election].elect.surplus=0.2"]}`,
		`{"name":"teaching","sets":["units[0].seats=-1"]}`,
		`{"name":"../etc/passwd"}`,
		`{"name":"teaching","find":"missed:women","trials":50,"lang":"zh"}`,
		`{"name":"teaching","find":"further_round","trials":5}`,
		`{"name":"teaching","unit":"nowhere"}`,
		`{"name":"teaching","trials":20,"batch":7,"seed":3}`,
		`{"yaml":"&a [*a]"}`,
		`[1,2]`, `null`, `{"trials":-1}`,
	} {
		f.Add("/api/validate", seed)
		f.Add("/api/trace", seed)
		f.Add("/api/run", seed)
	}
	f.Fuzz(func(t *testing.T, path, body string) {
		switch path {
		case "/api/validate", "/api/check", "/api/trace", "/api/graph", "/api/run":
		default:
			path = "/api/validate"
		}
		if path == "/api/run" && !strings.Contains(body, `"trials"`) {
			return // the scenario's own trials: too slow for a fuzz step
		}
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		r.Host = "127.0.0.1:8080"
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q: %d %s", path, body, w.Code, w.Body.String())
		}
	})
}

// FuzzExploreGrid: a grid the scenario loader accepts for a slider is read
// by the sweep's --vary parser (which the page's values come from) as the
// same number of values.
func FuzzExploreGrid(f *testing.F) {
	for _, s := range []string{"0.05:0.25:0.01", "0:2:0.05", "1:9:1", "0.6:0.99:0.01", "1e-3:1:1e-3", "0:1", "5:1:1", " 1 : 2 : 0.5 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		start, stop, step, n, err := scenario.ExploreGrid(spec)
		if err != nil {
			return
		}
		if !(start < stop && step > 0 && n >= 1 && n <= scenario.MaxExplorePoints) {
			t.Fatalf("%q: accepted as %v:%v:%v with %d values", spec, start, stop, step, n)
		}
		p, err := sweep.ParseVary("quota=" + spec)
		if err != nil {
			t.Fatalf("%q: the slider accepts it, --vary does not: %v", spec, err)
		}
		if len(p.Values) != n {
			t.Fatalf("%q: %d values for the slider, %d for --vary", spec, n, len(p.Values))
		}
	})
}
