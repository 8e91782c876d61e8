package sensitivity

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Func is a model without failure: the outputs at x (in the parameters'
// units). It must return the same number of outputs at every point, and may
// be called from several goroutines at once.
type Func func(x []float64) []float64

// Model is a model that may fail or be cancelled.
type Model func(ctx context.Context, x []float64) ([]float64, error)

// EvalError is a failure of the model at one point.
type EvalError struct {
	Point int
	X     []float64
	Err   error
}

func (e *EvalError) Error() string { return fmt.Sprintf("point %d %v: %v", e.Point, e.X, e.Err) }
func (e *EvalError) Unwrap() error { return e.Err }

// Evaluate runs the model at every point of the design on workers
// goroutines (0: one per CPU) and returns the outputs by point; they do not
// depend on workers. progress, when set, is called from the calling
// goroutine about ten times a second and at the end with the number of
// points done. On cancellation it stops starting points and returns the
// context's error once the running ones return.
func (des *Design) Evaluate(ctx context.Context, f Model, workers int, progress func(done int)) ([][]float64, error) {
	n := len(des.Unit)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([][]float64, n)
	errs := make([]error, n)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				x := des.Point(k)
				y, err := f(ctx, x)
				if err != nil {
					if ctx.Err() == nil {
						errs[k] = &EvalError{Point: k, X: x, Err: err}
					}
					cancel()
					return
				}
				out[k] = y
				done.Add(1)
			}
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	if progress != nil {
		tick := time.NewTicker(100 * time.Millisecond)
	loop:
		for {
			select {
			case <-finished:
				break loop
			case <-tick.C:
				progress(int(done.Load()))
			}
		}
		tick.Stop()
		progress(int(done.Load()))
	}
	<-finished
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := len(out[0])
	for i, y := range out {
		if len(y) != k {
			return nil, fmt.Errorf("the model gave %d outputs at point 0 and %d at point %d", k, len(y), i)
		}
	}
	return out, nil
}

// Analyse draws the design for params, evaluates f at its points and
// computes the indices of every output (named by outputs).
func Analyse(params []Param, outputs []string, f Func, opts Options) (*Result, error) {
	des, err := NewDesign(params, opts)
	if err != nil {
		return nil, err
	}
	y, err := des.Evaluate(context.Background(), func(_ context.Context, x []float64) ([]float64, error) { return f(x), nil }, 0, nil)
	if err != nil {
		return nil, err
	}
	return des.Analyze(outputs, y)
}
