package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/configs"
	"simulate/scenario"
)

// start serves cfg on a free loopback port until the test ends.
func start(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	s, err := New(cfg)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, l, s, time.Second) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		require.NoError(t, s.Close())
	})
	return s, "http://" + l.Addr().String()
}

func post(t *testing.T, url, body string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func decodeBody(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

// TestRequestGuards: requests from other sites, other host names, without
// JSON or over the size limit are refused before they reach the engine.
func TestRequestGuards(t *testing.T) {
	s, err := New(Config{})
	require.NoError(t, err)
	big := `{"yaml":"` + strings.Repeat("a", MaxRequestBytes) + `"}`
	tests := []struct {
		name, method, path, host, body string
		header                         map[string]string
		code                           int
		want                           string
	}{
		{"loopback name", "GET", "/api/scenarios", "localhost:8080", "", nil, 200, "cpc20"},
		{"loopback v6", "GET", "/api/scenarios", "[::1]:8080", "", nil, 200, "cpc20"},
		{"rebinding", "GET", "/api/scenarios", "evil.example:8080", "", nil, http.StatusMisdirectedRequest, "answers only to localhost"},
		{"lan address", "GET", "/", "192.168.1.5:8080", "", nil, http.StatusMisdirectedRequest, "answers only"},
		{"cross-origin post", "POST", "/api/validate", "127.0.0.1:8080", `{"name":"teaching"}`,
			map[string]string{"Origin": "http://evil.example", "Content-Type": "application/json"}, 403, "cross-origin"},
		{"other port", "POST", "/api/validate", "127.0.0.1:8080", `{"name":"teaching"}`,
			map[string]string{"Origin": "http://127.0.0.1:9999", "Content-Type": "application/json"}, 403, "cross-origin"},
		{"same origin", "POST", "/api/validate", "127.0.0.1:8080", `{"name":"teaching"}`,
			map[string]string{"Origin": "http://127.0.0.1:8080", "Content-Type": "application/json"}, 200, `"valid":true`},
		{"cross-site fetch", "POST", "/api/validate", "127.0.0.1:8080", `{"name":"teaching"}`,
			map[string]string{"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, 403, "cross-site"},
		{"form post", "POST", "/api/run", "127.0.0.1:8080", `name=teaching`,
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"too large", "POST", "/api/validate", "127.0.0.1:8080", big,
			map[string]string{"Content-Type": "application/json"}, 413, "request body over"},
		{"unknown field", "POST", "/api/validate", "127.0.0.1:8080", `{"nmae":"teaching"}`,
			map[string]string{"Content-Type": "application/json"}, 400, "unknown field"},
		{"too many trials", "POST", "/api/run", "127.0.0.1:8080", `{"name":"teaching","trials":100000000}`,
			map[string]string{"Content-Type": "application/json"}, 400, "at most"},
		{"no directory", "GET", "/api/scenario?name=x.yaml", "127.0.0.1:8080", "", nil, 400, "no directory is served"},
		{"embedded typo", "GET", "/api/scenario?name=teachng", "127.0.0.1:8080", "", nil, 400, `did you mean \"teaching\"?`},
		{"wrong method", "GET", "/api/run", "127.0.0.1:8080", "", nil, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			r.Host = tt.host
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			assert.Equal(t, tt.code, w.Code, w.Body.String())
			assert.Contains(t, w.Body.String(), tt.want)
			assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'self'")
		})
	}
}

// TestServedDirectory: files of the served directory open by name; paths
// out of it — .., absolute, a symbolic link pointing out — and other file
// types do not.
func TestServedDirectory(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	teaching, _ := configs.Read("teaching")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.yaml"), teaching, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.yaml"), teaching, 0o644))
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "link.yaml")))
	s, err := New(Config{Dir: dir})
	require.NoError(t, err)
	defer s.Close()
	get := func(path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:1"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	w := get("/api/scenarios")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), `"name":"mine.yaml","file":true`)
	assert.NotContains(t, w.Body.String(), "notes.txt")

	w = get("/api/scenario?name=mine.yaml")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), "name: teaching")
	rel, err := filepath.Rel(dir, filepath.Join(outside, "secret.yaml"))
	require.NoError(t, err)
	for _, name := range []string{"../secret.yaml", rel, filepath.Join(outside, "secret.yaml"), "link.yaml", "notes.txt", "missing.yaml"} {
		w := get("/api/scenario?name=" + name)
		assert.Equal(t, 400, w.Code, name)
		assert.NotContains(t, w.Body.String(), "name: teaching", name)
	}
}

// TestValidate: the loader's problems come back with their lines and
// fields; a valid scenario comes back with its sliders.
func TestValidate(t *testing.T) {
	_, base := start(t, Config{})
	var v validation
	decodeBody(t, post(t, base+"/api/validate", `{"yaml":"name: x\nquota: -1\n"}`), &v)
	assert.False(t, v.Valid)
	require.NotEmpty(t, v.Problems)
	assert.Equal(t, 2, v.Problems[0].Line, "%+v", v.Problems)
	assert.Equal(t, "quota", v.Problems[0].Path)

	v = validation{}
	decodeBody(t, post(t, base+"/api/validate", `{"name":"cpc20"}`), &v)
	assert.True(t, v.Valid, "%+v", v.Problems)
	require.NotEmpty(t, v.Explore)
	surplus := v.Explore[0]
	assert.Equal(t, "stages[name=election].elect.surplus", surplus.Path)
	require.NotNil(t, surplus.Value)
	assert.Equal(t, 0.15, *surplus.Value)
	assert.Contains(t, surplus.Values, 0.15)
	assert.Equal(t, "差额比例", surplus.Zh)
}

// TestExploreGridsValid: every position of every slider of the embedded
// scenarios gives a valid scenario: a class never meets a refused value.
func TestExploreGridsValid(t *testing.T) {
	for _, name := range configs.Names() {
		data, _ := configs.Read(name)
		sc, err := scenario.Load(name, data, scenario.Options{})
		require.NoError(t, err)
		sl, err := sliders(sc)
		require.NoError(t, err)
		for _, p := range sl {
			// The ends and the middle: the lists bound the surplus from above.
			for _, v := range []string{p.Text[0], p.Text[len(p.Text)/2], p.Text[len(p.Text)-1]} {
				_, err := scenario.Load(name, data, scenario.Options{Sets: []string{p.Path + "=" + v}})
				assert.NoError(t, err, "%s: %s=%s", name, p.Path, v)
			}
		}
	}
}

// TestCheckAndTrace: the check answers with the verdict of `simulate
// check`; a trace finds a trial where a target was missed and carries the
// diagrams and the narrative in the language asked for.
func TestCheckAndTrace(t *testing.T) {
	_, base := start(t, Config{Version: "test"})
	var c struct {
		Verdict string          `json:"verdict"`
		Summary string          `json:"summary"`
		Report  json.RawMessage `json:"report"`
	}
	decodeBody(t, post(t, base+"/api/check", `{"name":"teaching"}`), &c)
	assert.Equal(t, "feasible", c.Verdict)
	assert.Contains(t, string(c.Report), `"verdict":"feasible"`)

	// An infeasible pair: the verdict, the conflict and the repairs; a run
	// is refused unless forced, as simulate run refuses it.
	capped := `{"name":"teaching","sets":["targets[name=young]={name: women_max, when: {gender: [female]}, max_share: 0.2}"]`
	c.Verdict, c.Summary = "", ""
	decodeBody(t, post(t, base+"/api/check", capped+`}`), &c)
	assert.Equal(t, "infeasible", c.Verdict)
	assert.Contains(t, c.Summary, "cannot all be met at once")
	assert.Contains(t, c.Summary, "women_max")
	resp := post(t, base+"/api/run", capped+`,"trials":50}`)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	resp = post(t, base+"/api/run", capped+`,"trials":50,"force":true}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	var tr struct {
		Log struct {
			Trial   uint64 `json:"trial"`
			Outcome struct {
				Targets []struct {
					Name string `json:"name"`
					Met  bool   `json:"met"`
				} `json:"targets"`
			} `json:"outcome"`
			Events []json.RawMessage `json:"events"`
		} `json:"log"`
		Narrative string `json:"narrative"`
		Diagrams  struct {
			Unit string `json:"unit"`
		} `json:"diagrams"`
	}
	decodeBody(t, post(t, base+"/api/trace", `{"name":"teaching","find":"missed:women","lang":"zh"}`), &tr)
	require.NotEmpty(t, tr.Log.Events)
	for _, o := range tr.Log.Outcome.Targets {
		if o.Name == "women" {
			assert.False(t, o.Met, "trial %d", tr.Log.Trial)
		}
	}
	assert.Contains(t, tr.Diagrams.Unit, "<svg")
	assert.Contains(t, tr.Narrative, "试验")

	resp = post(t, base+"/api/trace", `{"name":"teaching","find":"missed:wmen"}`)
	assert.Equal(t, 400, resp.StatusCode)
	var e apiError
	decodeBody(t, resp, &e)
	assert.Contains(t, e.Error, `did you mean "women"?`)
}

// TestQueuePositions: with one worker, later runs wait and are told their
// place in line, which falls as runs finish; all complete.
func TestQueuePositions(t *testing.T) {
	q := newQueue(1, 10)
	release, err := q.acquire(context.Background(), nil)
	require.NoError(t, err)
	var mu sync.Mutex
	positions := map[int][]int{}
	var wg sync.WaitGroup
	for i := range 3 {
		// Enter the line in order.
		entered := make(chan struct{})
		wg.Go(func() {
			var once sync.Once
			rel, err := q.acquire(context.Background(), func(ahead int) {
				mu.Lock()
				positions[i] = append(positions[i], ahead)
				mu.Unlock()
				once.Do(func() { close(entered) })
			})
			assert.NoError(t, err)
			rel()
		})
		<-entered
	}
	running, waiting := q.stats()
	assert.Equal(t, 1, running)
	assert.Equal(t, 3, waiting)
	release()
	wg.Wait()
	assert.Equal(t, []int{1}, positions[0])
	assert.Equal(t, 2, positions[1][0])
	// The third waits behind two: its place falls from 3 (it may take the
	// slot the moment it is first in line, without hearing 1).
	assert.Equal(t, 3, positions[2][0])
	assert.IsDecreasing(t, positions[2])
	running, waiting = q.stats()
	assert.Zero(t, running+waiting)

	// A full line refuses; a caller giving up leaves it.
	q = newQueue(1, 1)
	release, _ = q.acquire(context.Background(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := q.acquire(ctx, func(int) {})
		gaveUp <- err
	}()
	require.Eventually(t, func() bool { _, w := q.stats(); return w == 1 }, 10*time.Second, time.Millisecond)
	_, err = q.acquire(context.Background(), nil)
	assert.ErrorIs(t, err, errQueueFull)
	cancel()
	assert.ErrorIs(t, <-gaveUp, context.Canceled)
	release()
	running, waiting = q.stats()
	assert.Zero(t, running+waiting)
}

// TestLoadFortyClients: 40 clients on loopback ask for runs at once, half of
// them streamed, some giving up halfway. Every request is answered (a result,
// or a place in line then a result) or refused with 503 when the line is
// full; at no time do more runs go than workers; and when all is done no run
// is left running or waiting.
func TestLoadFortyClients(t *testing.T) {
	const clients, workers = 40, 2
	s, base := start(t, Config{Version: "test", Workers: workers})
	var mu sync.Mutex
	maxRunning := 0
	var ended []error
	s.onRunEnd = func(err error) {
		mu.Lock()
		ended = append(ended, err)
		mu.Unlock()
	}
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			r, _ := s.queue.stats()
			mu.Lock()
			maxRunning = max(maxRunning, r)
			mu.Unlock()
		}
	}()
	type outcome struct {
		code             int
		result, queued   bool
		cancelled, error bool
		events           []string
	}
	outcomes := make([]outcome, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			o := &outcomes[i]
			body := fmt.Sprintf(`{"name":"teaching","trials":400,"seed":%d,"batch":50}`, i%5)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/run", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			streamed := i%2 == 0
			if streamed {
				req.Header.Set("Accept", "text/event-stream")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				o.error = true
				return
			}
			defer resp.Body.Close()
			o.code = resp.StatusCode
			if !streamed || resp.StatusCode != 200 {
				b, _ := io.ReadAll(resp.Body)
				o.result = resp.StatusCode == 200 && strings.Contains(string(b), `"trials": 400`)
				return
			}
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 1<<20), 16<<20)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event:") {
					o.events = append(o.events, sc.Text())
				}
				switch sc.Text() {
				case "event: queued":
					o.queued = true
				case "event: progress":
					if i%4 == 0 { // every other streamed client gives up at its first progress
						o.cancelled = true
						cancel()
						return
					}
				case "event: result":
					o.result = true
				}
			}
		})
	}
	wg.Wait()
	// The runs of clients that gave up stop on their own.
	require.Eventually(t, func() bool {
		r, w := s.queue.stats()
		return r == 0 && w == 0 && s.active.Load() == 0
	}, 60*time.Second, 5*time.Millisecond, "runs left behind")
	close(stop)
	<-watched
	answered, refused, queued, cancelled := 0, 0, 0, 0
	for i, o := range outcomes {
		assert.False(t, o.error, "client %d got no answer", i)
		switch {
		case o.cancelled:
			cancelled++
		case o.code == http.StatusServiceUnavailable:
			refused++
		default:
			assert.True(t, o.result, "client %d: status %d, no result; events %v", i, o.code, o.events)
			answered++
		}
		if o.queued {
			queued++
		}
	}
	t.Logf("%d answered, %d queued first, %d gave up, %d refused (queue full); at most %d running", answered, queued, cancelled, refused, maxRunning)
	assert.LessOrEqual(t, maxRunning, workers)
	assert.Positive(t, queued, "with 2 workers and 40 clients some wait")
	assert.Zero(t, refused, "the default line holds a classroom")
	mu.Lock()
	defer mu.Unlock()
	for _, err := range ended {
		if err != nil {
			assert.True(t, errors.Is(err, context.Canceled) || errors.Is(err, errQueueFull) || errors.Is(err, errClientGone), "%v", err)
		}
	}
}

// TestDisconnectStopsRun: a client that goes away mid-run stops its run:
// the run ends with the cancellation, long before its trials are done.
func TestDisconnectStopsRun(t *testing.T) {
	s, base := start(t, Config{Version: "test", Workers: 1, MaxTrials: 1_000_000})
	ended := make(chan error, 1)
	s.onRunEnd = func(err error) { ended <- err }
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/run", strings.NewReader(`{"name":"cpc20","trials":1000000,"batch":20,"force":true}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && sc.Text() != "event: progress" {
	}
	cancel()
	resp.Body.Close()
	err = <-ended
	assert.ErrorIs(t, err, context.Canceled)
}

// streamRun starts a streamed run and returns its response and the names of
// its events, read until one of until arrives.
func streamRun(t *testing.T, ctx context.Context, url, body string, until ...string) (*http.Response, []string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/run", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		return resp, nil
	}
	var names []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			names = append(names, name)
			for _, u := range until {
				if name == u {
					return resp, names
				}
			}
		}
	}
	return resp, names
}

// TestQueueFullOverHTTP: with one worker and room for one waiting run, the
// second run is told its place in line and the third is refused with 503
// and Retry-After, before any stream starts.
func TestQueueFullOverHTTP(t *testing.T) {
	s, base := start(t, Config{Version: "test", Workers: 1, MaxQueue: 1, MaxTrials: 1_000_000})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	long := `{"name":"cpc20","trials":1000000,"batch":20,"force":true}`
	_, ev := streamRun(t, ctx, base, long, "progress")
	assert.Contains(t, ev, "progress")
	_, ev = streamRun(t, ctx, base, long, "queued")
	assert.Equal(t, []string{"queued"}, ev)
	resp, _ := streamRun(t, ctx, base, long)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "5", resp.Header.Get("Retry-After"))
	cancel()
	require.Eventually(t, func() bool {
		r, w := s.queue.stats()
		return r == 0 && w == 0
	}, 30*time.Second, 5*time.Millisecond)
}

// TestLongStreamOutlivesReadTimeout: a stream that lasts longer than the
// server's read timeout is not cut off by it.
func TestLongStreamOutlivesReadTimeout(t *testing.T) {
	old := readTimeout
	readTimeout = 100 * time.Millisecond
	t.Cleanup(func() { readTimeout = old })
	s, base := start(t, Config{Version: "test", Workers: 1})
	ended := make(chan error, 1)
	s.onRunEnd = func(err error) { ended <- err }
	began := time.Now()
	_, ev := streamRun(t, context.Background(), base, `{"name":"cpc20","trials":120,"batch":10,"force":true}`, "result", "error")
	require.NoError(t, <-ended)
	require.Greater(t, time.Since(began), readTimeout, "the run outlasted the read timeout")
	assert.Equal(t, "result", ev[len(ev)-1])
}

// TestBatches: the stream's batches are first, first, then doubling, cut
// to the total, and always add up to it.
func TestBatches(t *testing.T) {
	tests := []struct {
		trials, first int
		want          []int
	}{
		{700, 60, []int{60, 60, 120, 240, 220}},
		{100, 0, []int{50, 50}},
		{2000, 0, []int{200, 200, 400, 800, 400}},
		{30, 50, []int{30}},
		{1, 1, []int{1}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.trials, "/", tt.first), func(t *testing.T) {
			got := Batches(tt.trials, tt.first)
			assert.Equal(t, tt.want, got)
			sum := 0
			for _, b := range got {
				sum += b
			}
			assert.Equal(t, tt.trials, sum)
		})
	}
}
