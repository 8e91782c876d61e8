package sensitivity

import (
	"context"
	"fmt"
	"simulate/internal/pool"
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
	err := pool.Run(ctx, n, workers, 1, progress, func(ctx context.Context, _, k, _ int) error {
		x := des.Point(k)
		y, err := f(ctx, x)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &EvalError{Point: k, X: x, Err: err}
		}
		out[k] = y
		return nil
	})
	if err != nil {
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
