package serve

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// BenchmarkStopAfterDisconnect measures how long a cpc20 run goes on after
// its client disconnects: from the client closing the connection to the
// run's end (the server's promise is well under 100 ms).
func BenchmarkStopAfterDisconnect(b *testing.B) {
	s, err := New(Config{Version: "bench", Workers: 1, MaxTrials: 1_000_000})
	if err != nil {
		b.Fatal(err)
	}
	ended := make(chan time.Time, 1)
	s.onRunEnd = func(error) { ended <- time.Now() }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { _ = Serve(ctx, l, s, time.Second) }()
	url := "http://" + l.Addr().String() + "/api/run"
	var worst, total time.Duration
	for b.Loop() {
		rctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(rctx, http.MethodPost, url, strings.NewReader(`{"name":"cpc20","trials":1000000,"batch":10,"force":true}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() && sc.Text() != "event: progress" {
		}
		t0 := time.Now()
		cancel()
		resp.Body.Close()
		d := (<-ended).Sub(t0)
		total += d
		worst = max(worst, d)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-stop")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}
