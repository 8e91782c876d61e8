package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress bars: every command that can run for more than about a second
// (run, report, sweep, solve, calibrate, sensitivity, trace --find,
// exercise check) shows
// one on stderr when stderr is a terminal and --quiet is not given. A bar
// appears only after showProgressAfter, so quick commands never flash one,
// and clears itself when the command is done.
var (
	showProgressAfter = time.Second
	// progressOut is where bars are drawn, and progressOn whether to draw
	// them there (tests replace both).
	progressOut io.Writer = os.Stderr
	progressOn            = func() bool { return term.IsTerminal(int(os.Stderr.Fd())) }
	// progressMade, when set, sees every bar made (for tests).
	progressMade func(*progress)
)

// progress is one progress bar; a nil *progress draws nothing, so callers
// need not check whether a bar is shown.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar // drawn once showProgressAfter has passed
	start time.Time
	max   int64
	last  int64 // the last count set, drawn or not
	desc  string
	done  bool
}

// newProgress returns a bar counting to max described by desc, or nil when
// quiet or stderr is not a terminal.
func newProgress(quiet bool, max int64, desc string) *progress {
	if quiet || !progressOn() {
		return nil
	}
	p := &progress{start: time.Now(), max: max, desc: desc}
	if progressMade != nil {
		progressMade(p)
	}
	return p
}

// Set moves the bar to n of its maximum.
func (p *progress) Set(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.last = n
	if p.bar == nil {
		if time.Since(p.start) < showProgressAfter {
			return
		}
		p.bar = progressbar.NewOptions64(p.max,
			progressbar.OptionSetWriter(progressOut),
			progressbar.OptionSetDescription(p.desc),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	_ = p.bar.Set64(n)
}

// Describe changes the words before the bar.
func (p *progress) Describe(desc string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.desc = desc
	if p.bar != nil && !p.done {
		p.bar.Describe(desc)
	}
}

// Max is the bar's maximum, and SetMax changes it.
func (p *progress) Max() int64 {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

func (p *progress) SetMax(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.max = n
	if p.bar != nil && !p.done {
		p.bar.ChangeMax64(n)
	}
}

// Done clears the bar from the terminal; later calls draw nothing.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && !p.done {
		_ = p.bar.Clear()
		_ = p.bar.Exit()
	}
	p.done = true
}
