package serve

import (
	"context"
	"errors"
	"sync"
)

// errQueueFull is returned when the run queue is at its bound.
var errQueueFull = errors.New("the run queue is full")

// queue admits at most limit jobs at a time; others wait first come, first
// served, up to maxWait of them, and learn their place in the line.
type queue struct {
	mu      sync.Mutex
	limit   int
	maxWait int
	running int
	waiting []*waiter
	changed chan struct{} // closed and replaced at every change
}

type waiter struct{ _ byte } // not zero-sized: every waiter has its own address

func newQueue(limit, maxWait int) *queue {
	return &queue{limit: limit, maxWait: maxWait, changed: make(chan struct{})}
}

// broadcast wakes every waiter; q.mu must be held.
func (q *queue) broadcast() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// acquire takes a slot, waiting in line while all are busy. position is
// called with the number of jobs ahead (1 = next) whenever it changes, and
// never once the slot is taken. It returns a release function, or the
// context's error if the caller gave up, or errQueueFull.
func (q *queue) acquire(ctx context.Context, position func(ahead int)) (release func(), err error) {
	q.mu.Lock()
	if len(q.waiting) == 0 && q.running < q.limit {
		q.running++
		q.mu.Unlock()
		return q.releaser(), nil
	}
	if len(q.waiting) >= q.maxWait {
		q.mu.Unlock()
		return nil, errQueueFull
	}
	w := &waiter{}
	q.waiting = append(q.waiting, w)
	last := -1
	for {
		i := q.index(w)
		if i == 0 && q.running < q.limit {
			q.waiting = q.waiting[1:]
			q.running++
			q.broadcast()
			q.mu.Unlock()
			return q.releaser(), nil
		}
		changed := q.changed
		q.mu.Unlock()
		if ahead := i + 1; ahead != last && position != nil {
			position(ahead)
			last = ahead
		}
		select {
		case <-changed:
		case <-ctx.Done():
			q.mu.Lock()
			if i := q.index(w); i >= 0 {
				q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			}
			q.broadcast()
			q.mu.Unlock()
			return nil, ctx.Err()
		}
		q.mu.Lock()
	}
}

func (q *queue) index(w *waiter) int {
	for i, x := range q.waiting {
		if x == w {
			return i
		}
	}
	return -1
}

func (q *queue) releaser() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			q.running--
			q.broadcast()
			q.mu.Unlock()
		})
	}
}

// stats returns the jobs running and waiting.
func (q *queue) stats() (running, waiting int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.running, len(q.waiting)
}
