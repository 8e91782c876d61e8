package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/serve"
)

// startServe runs the server of cfg on a free loopback port and returns its
// base URL; the server stops with the test.
func startServe(t *testing.T, cfg serve.Config) string {
	t.Helper()
	srv, err := serve.New(cfg)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve.Serve(ctx, l, srv, time.Second) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		require.NoError(t, srv.Close())
	})
	return "http://" + l.Addr().String()
}

// readSSE returns the data of every event of a server-sent event stream,
// by event name, in order.
func readSSE(t *testing.T, r io.Reader) (names []string, data []string) {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var name string
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if name != "" || lines != nil {
				names, data = append(names, name), append(data, strings.Join(lines, "\n"))
			}
			name, lines = "", nil
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			lines = append(lines, strings.TrimPrefix(line, "data: "))
		case strings.HasPrefix(line, "data:"):
			lines = append(lines, strings.TrimPrefix(line, "data:"))
		}
	}
	require.NoError(t, sc.Err())
	return names, data
}

// TestServeRunEqualsCLI: /api/run answers, plain or streamed, with exactly
// the bytes of `simulate run --format json` for the same scenario, seed and
// trials, overrides included; the stream's batches lead up to it.
func TestServeRunEqualsCLI(t *testing.T) {
	version = "test"
	base := startServe(t, serve.Config{Version: programVersion(), Workers: 2})
	tests := []struct {
		name   string
		args   []string
		body   string
		stream bool
	}{
		{"teaching", []string{"teaching", "--trials", "700", "--seed", "3"},
			`{"name":"teaching","trials":700,"seed":3}`, false},
		{"teaching streamed", []string{"teaching", "--trials", "700", "--seed", "3"},
			`{"name":"teaching","trials":700,"seed":3,"batch":60}`, true},
		{"cpc20 with a moved surplus, streamed", []string{"cpc20", "--trials", "120", "--set", "stages[name=election].elect.surplus=0.2"},
			`{"name":"cpc20","trials":120,"sets":["stages[name=election].elect.surplus=0.2"],"batch":25}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, errOut, code := execute(t, append([]string{"run", "--format", "json", "-q"}, tt.args...)...)
			require.Equal(t, 0, code, errOut)
			req, err := http.NewRequest(http.MethodPost, base+"/api/run", strings.NewReader(tt.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			if tt.stream {
				req.Header.Set("Accept", "text/event-stream")
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			if !tt.stream {
				got, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				assert.Equal(t, want, string(got))
				return
			}
			names, data := readSSE(t, resp.Body)
			require.NotEmpty(t, names)
			assert.Equal(t, "start", names[0])
			require.Equal(t, "result", names[len(names)-1], "events %v", names)
			assert.Equal(t, want, data[len(data)-1])
			// Progress events count up to the trials, batch by batch.
			var done []int
			for i, n := range names {
				if n == "progress" {
					var p struct {
						Done   int `json:"done"`
						Result struct {
							Trials int `json:"trials"`
						} `json:"result"`
					}
					require.NoError(t, json.Unmarshal([]byte(data[i]), &p))
					assert.Equal(t, p.Done, p.Result.Trials)
					done = append(done, p.Done)
				}
			}
			assert.NotEmpty(t, done)
			assert.IsIncreasing(t, done)
		})
	}
}

// TestServeCommandStops: `simulate serve` on port 0 answers, and stops
// cleanly when its context (SIGINT in main) is cancelled.
func TestServeCommandStops(t *testing.T) {
	root := newRootCmd()
	pr, pw := io.Pipe()
	root.SetErr(pw)
	root.SetOut(io.Discard)
	root.SetArgs([]string{"serve", "teaching", "--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url := strings.Fields(strings.TrimPrefix(line, "simulate serve: "))[0]
	resp, err := http.Get(url + "api/scenarios")
	require.NoError(t, err)
	var list struct {
		Default string `json:"default"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	resp.Body.Close()
	assert.Equal(t, "teaching", list.Default)
	cancel()
	require.NoError(t, <-done)
	_, err = http.Get(url)
	assert.Error(t, err, "the server has stopped")
}

// TestServeTraceEqualsCLI: the log of /api/trace is the event log of
// `simulate trace --format json` for the same trial, and its narrative the
// text of `simulate trace --lang` (before fitting to a terminal).
func TestServeTraceEqualsCLI(t *testing.T) {
	version = "test"
	base := startServe(t, serve.Config{Version: programVersion()})
	want, errOut, code := execute(t, "trace", "teaching", "--trial", "5", "--seed", "11", "--format", "json")
	require.Equal(t, 0, code, errOut)
	resp, err := http.Post(base+"/api/trace", "application/json", strings.NewReader(`{"name":"teaching","trial":5,"seed":11,"lang":"zh"}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got struct {
		Log       json.RawMessage `json:"log"`
		Narrative string          `json:"narrative"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.JSONEq(t, want, string(got.Log))
	text, errOut, code := execute(t, "trace", "teaching", "--trial", "5", "--seed", "11", "--lang", "zh", "--wide")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, strings.TrimSpace(text), strings.TrimSpace(got.Narrative))
}
