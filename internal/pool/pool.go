// Package pool runs numbered work items on a few goroutines: items are
// claimed in consecutive chunks, so which goroutine runs an item never
// changes what the item computes, and results stay independent of the
// number of workers as long as each item writes only its own place.
package pool

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Workers is the number of goroutines Run uses for n items in chunks of
// chunk with the requested workers (0: one per CPU): never more than there
// are chunks, at least 1.
func Workers(n, workers, chunk int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, (n+chunk-1)/chunk))
}

// Run calls work(ctx, w, lo, hi) for the ranges [lo, hi) of at most chunk
// items covering [0, n), on Workers(n, workers, chunk) goroutines; w
// (0 ≤ w < Workers) identifies the goroutine, for per-worker state. The
// first error stops the run (no further chunks start) and is returned —
// the one of the lowest-numbered failing chunk; otherwise the context's
// error if it was cancelled. progress, when set, is called from the calling
// goroutine about ten times a second and at the end with the number of
// items done.
func Run(ctx context.Context, n, workers, chunk int, progress func(done int), work func(ctx context.Context, w, lo, hi int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	chunk = max(1, chunk)
	k := Workers(n, workers, chunk)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next, done atomic.Int64
	var mu sync.Mutex
	firstErr, errAt := error(nil), n
	var wg sync.WaitGroup
	for w := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				hi := min(lo+chunk, n)
				if err := work(ctx, w, lo, hi); err != nil {
					mu.Lock()
					if lo < errAt && (ctx.Err() == nil || firstErr == nil) {
						firstErr, errAt = err, lo
					}
					mu.Unlock()
					cancel()
					return
				}
				done.Add(int64(hi - lo))
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
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
