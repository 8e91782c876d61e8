package serve

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"simulate/scenario"
)

//go:embed assets
var assets embed.FS

// Limits of the API. A scenario file is at most scenario.MaxFileBytes; a
// request carries one, a few settings and overrides.
const (
	// MaxRequestBytes bounds a request body.
	MaxRequestBytes = scenario.MaxFileBytes + 64<<10
	// MaxSets bounds the overrides of one request.
	MaxSets = 64
	// DefaultMaxTrials bounds the trials of one run (Config.MaxTrials).
	DefaultMaxTrials = 100_000
	// DefaultMaxQueue is how many runs may wait for a core (Config.MaxQueue).
	DefaultMaxQueue = 256
	// checkTimeLimit bounds the exact check of one request.
	checkTimeLimit = 20 * time.Second
)

// Config sets up a Server.
type Config struct {
	// Dir is the directory whose .yaml files the page may open; "" for
	// none (embedded scenarios only). Nothing outside it is read.
	Dir string
	// Version is the program version written into results, as the command
	// line writes it.
	Version string
	// Workers is how many simulations run at once (default: one per core);
	// each runs on one core, so a classroom's runs share the machine.
	Workers int
	// MaxQueue is how many runs may wait for a free worker before new ones
	// are refused with 503 (default DefaultMaxQueue).
	MaxQueue int
	// MaxTrials bounds the trials of one run (default DefaultMaxTrials).
	MaxTrials int
	// Initial is the scenario the page opens with: an embedded name or a
	// file of Dir (default: the embedded default scenario).
	Initial string
	// Log receives one line per refused request and failed run; nil: none.
	Log func(format string, args ...any)
}

// Server is the http.Handler of the page and its API.
type Server struct {
	cfg   Config
	root  *os.Root // Dir, opened so that no path escapes it
	queue *queue
	mux   *http.ServeMux
	// active counts the runs under way (queued or running); runsDone the
	// runs that ended, cancelled ones included.
	active   atomic.Int64
	runsDone atomic.Int64
	// onRunEnd, when set (tests), is called when a run ends, with its error.
	onRunEnd func(err error)
}

// New returns the server of cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.MaxQueue <= 0 {
		cfg.MaxQueue = DefaultMaxQueue
	}
	if cfg.MaxTrials <= 0 {
		cfg.MaxTrials = DefaultMaxTrials
	}
	s := &Server{cfg: cfg, queue: newQueue(cfg.Workers, cfg.MaxQueue), mux: http.NewServeMux()}
	if cfg.Dir != "" {
		root, err := os.OpenRoot(cfg.Dir)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		s.root = root
	}
	static, _ := fs.Sub(assets, "assets")
	files := http.FileServerFS(static)
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", noStore(files)))
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("GET /api/scenarios", s.scenarios)
	s.mux.HandleFunc("GET /api/scenario", s.scenarioText)
	s.mux.HandleFunc("GET /api/status", s.status)
	s.mux.HandleFunc("POST /api/validate", s.validate)
	s.mux.HandleFunc("POST /api/check", s.check)
	s.mux.HandleFunc("POST /api/run", s.run)
	s.mux.HandleFunc("POST /api/trace", s.trace)
	s.mux.HandleFunc("POST /api/graph", s.graph)
	return s, nil
}

// Close releases the served directory.
func (s *Server) Close() error {
	if s.root != nil {
		return s.root.Close()
	}
	return nil
}

// noStore keeps browsers from caching assets across program versions.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// ServeHTTP checks where the request comes from, bounds its body and
// dispatches it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	// Everything the page needs is served from here: no other origin may
	// be contacted, whatever a scenario's text contains. Scripts come only
	// from the embedded assets; inline styles are allowed because the state
	// diagrams (report.MachineSVG) carry their own <style> element.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	if !loopbackHost(r.Host) {
		s.refuse(w, r, http.StatusMisdirectedRequest, "this server answers only to localhost, 127.0.0.1 and [::1] (Host %q)", r.Host)
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) {
		s.refuse(w, r, http.StatusForbidden, "cross-origin request from %q refused", o)
		return
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		s.refuse(w, r, http.StatusForbidden, "cross-site request refused")
		return
	}
	if r.Method == http.MethodPost {
		// A JSON body cannot be sent cross-site without a preflight, which
		// this server never grants.
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			s.refuse(w, r, http.StatusUnsupportedMediaType, "send the request as Content-Type: application/json")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes)
	}
	s.mux.ServeHTTP(w, r)
}

// loopbackHost reports whether a Host header names this machine by a
// loopback name or address: a DNS name pointing elsewhere's page at
// 127.0.0.1 (DNS rebinding) carries its own name and is refused.
func loopbackHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether an Origin header is this server's own.
func sameOrigin(origin, host string) bool {
	return origin == "http://"+host
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Log != nil {
		s.cfg.Log(format, args...)
	}
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, code int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.logf("refused %s %s: %s", r.Method, r.URL.Path, msg)
	writeError(w, code, msg, nil)
}

// apiError is the body of every error answer.
type apiError struct {
	Error    string    `json:"error"`
	Problems []problem `json:"problems,omitempty"`
}

func writeError(w http.ResponseWriter, code int, msg string, problems []problem) {
	writeJSON(w, code, apiError{Error: msg, Problems: problems})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a client gone away is not our failure
}

// decode reads a JSON request body into v, refusing unknown fields and
// bodies over the limit.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", tooBig.Limit), nil)
			return false
		}
		writeError(w, http.StatusBadRequest, "bad JSON request: "+err.Error(), nil)
		return false
	}
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "request body too large", nil)
		return false
	}
	return true
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/index.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// status is the queue's state: runs running and waiting, and the bound.
type status struct {
	Running  int    `json:"running"`
	Queued   int    `json:"queued"`
	Workers  int    `json:"workers"`
	MaxQueue int    `json:"max_queue"`
	Active   int64  `json:"active"`
	Finished int64  `json:"finished"`
	Version  string `json:"version"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	running, queued := s.queue.stats()
	writeJSON(w, http.StatusOK, status{Running: running, Queued: queued, Workers: s.cfg.Workers, MaxQueue: s.cfg.MaxQueue,
		Active: s.active.Load(), Finished: s.runsDone.Load(), Version: s.cfg.Version})
}

// readTimeout bounds the reading of a request, body included (a variable
// for tests). It does not bound the answer: a stream lasts as long as its
// run (the server sets no WriteTimeout; a stalled client is dropped by the
// per-event write deadline instead).
var readTimeout = 30 * time.Second

// Serve answers on l until ctx is cancelled, then stops taking requests,
// cancels the runs under way (their clients get no more events) and waits
// up to grace for the handlers to return.
func Serve(ctx context.Context, l net.Listener, h http.Handler, grace time.Duration) error {
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       readTimeout,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	cancel() // every request's context: runs stop, streams end
	sctx, stop := context.WithTimeout(context.Background(), grace)
	defer stop()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	<-done
	return err
}
