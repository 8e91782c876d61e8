package sensitivity

import (
	"context"
	"fmt"
	"simulate/internal/pool"
	"sync"
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
	out := make([][]float64, n)
	points := make([]int, n)
	for k := range points {
		points[k] = k
	}
	err := des.EvaluatePoints(ctx, f, points, workers, progress, func(k int, y []float64) error {
		out[k] = y
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EvaluatePoints runs the model at the given points of the design (indices,
// in increasing order) on workers goroutines and hands every point's outputs
// to emit in the order of points, each as soon as it and every point before
// it have finished: a stream that, cut off at any moment, holds a prefix of
// points. The points start in order, so at most about workers finished
// points wait for a slower one. emit is called with a lock held, never
// concurrently; an error from it stops the run. Every point must give as
// many outputs as the first. On cancellation it stops starting points, emits
// the finished prefix and returns the context's error.
func (des *Design) EvaluatePoints(ctx context.Context, f Model, points []int, workers int, progress func(done int), emit func(k int, y []float64) error) error {
	var mu sync.Mutex
	ready := make([][]float64, len(points))
	finished := make([]bool, len(points))
	next, width, first := 0, -1, 0
	return pool.Run(ctx, len(points), workers, 1, progress, func(ctx context.Context, _, i, _ int) error {
		k := points[i]
		x := des.Point(k)
		y, err := f(ctx, x)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &EvalError{Point: k, X: x, Err: err}
		}
		mu.Lock()
		defer mu.Unlock()
		if width < 0 {
			width, first = len(y), k
		} else if len(y) != width {
			return fmt.Errorf("the model gave %d outputs at point %d and %d at point %d", width, first, len(y), k)
		}
		ready[i], finished[i] = y, true
		for next < len(points) && finished[next] {
			if err := emit(points[next], ready[next]); err != nil {
				return err
			}
			ready[next] = nil
			next++
		}
		return nil
	})
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
