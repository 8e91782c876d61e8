package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// quadThresholds are 32-bit thresholds at and around the edges of the
// 15/17-bit split: never, always, no remainder, a full remainder.
var quadThresholds = []uint64{0, 1, 0x1ffff, 0x20000, 0x20001, 0x12345678, 0x80000000, 0xabcc0000, 0xdc28f5c2, 0xfffdffff, 0xfffe0000, 0xffffffff, 1 << 32}

// For every threshold and every value of the lane, Miss and Resolve decide
// exactly as comparing a 32-bit uniform with the threshold would: the
// lane's low 15 bits below the threshold's top 15 a success, above them a
// failure, equal a tie settled by the next 17 bits against the rest; the
// lane's top bit is not used. So P(success) = t/2^32 exactly.
func TestQuadExhaustiveLanes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, th := range quadThresholds {
		for j := 0; j < 4; j++ {
			t.Run(fmt.Sprintf("t=%#x/lane=%d", th, j), func(t *testing.T) {
				var ts [4]uint64
				for k := range ts {
					ts[k] = quadThresholds[r.IntN(len(quadThresholds))]
				}
				ts[j] = th
				q := NewQuad(ts)
				hi := min(th>>17, 0x7fff)
				below := uint64(0)
				for v := uint64(0); v < 1<<16; v++ {
					// The other lanes hold values that never tie.
					x := v << (16 * j)
					for k := range 4 {
						if k != j {
							x |= (min(ts[k]>>17, 0x7fff) + 1 + uint64(r.IntN(0x7ffe))) & 0x7fff << (16 * k)
						}
					}
					lane := v & 0x7fff
					miss, tie := q.Miss(x)
					if (lane >= hi) != (miss>>(16*j)&1 == 1) || (lane == hi) != (tie != 0) {
						t.Fatalf("v=%#x: miss %#x, tie %#x", v, miss, tie)
					}
					// Lanes: the same misses, and exactly the tied lanes
					// without their guard bit in clear.
					m2, clear := Lanes(x, q.Hi())
					if m2 != miss {
						t.Fatalf("v=%#x: Lanes miss %#x, Miss %#x", v, m2, miss)
					}
					for k := range 4 {
						tied := (x^q.Hi())>>(16*k)&0x7fff == 0
						if tied == (clear>>(16*k+15)&1 == 1) {
							t.Fatalf("v=%#x lane %d: tied %v, clear %#x", v, k, tied, clear)
						}
					}
					if v < 1<<15 && lane < hi {
						below++
					}
					if tie == 0 {
						continue
					}
					// The tie draws the next 17 bits of f: a success exactly
					// when they are below the remainder.
					f := NewFast(r.Uint64())
					y := f
					want := y.Uint64()&0x1ffff < th-hi<<17
					got, f2 := q.Resolve(x, miss, f)
					assert.Equal(t, want, got>>(16*j)&1 == 0, "v=%#x", v)
					assert.Equal(t, y, f2, "Resolve draws once per tied lane")
				}
				// P(success) = below/2^15 + 2^-15·(t − hi·2^17)/2^17 = t/2^32.
				assert.Equal(t, th, below<<17+(th-hi<<17))
			})
		}
	}
}

// Random draws against the scalar rule, lane by lane.
func TestQuadMatchesScalar(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200_000; i++ {
		var ts [4]uint64
		for k := range ts {
			ts[k] = r.Uint64N(1<<32 + 1)
		}
		q := NewQuad(ts)
		x := r.Uint64()
		if i%3 == 0 { // force a tie in a random lane
			k := r.IntN(4)
			x = x&^(0x7fff<<(16*k)) | min(ts[k]>>17, 0x7fff)<<(16*k)
		}
		miss, tie := q.Miss(x)
		anyTie := false
		for k := range 4 {
			lane, hi := x>>(16*k)&0x7fff, min(ts[k]>>17, 0x7fff)
			if (lane >= hi) != (miss>>(16*k)&1 == 1) {
				t.Fatalf("x=%#x t=%#x: lane %d miss %#x", x, ts, k, miss)
			}
			anyTie = anyTie || lane == hi
		}
		if anyTie != (tie != 0) || miss&^QuadOnes != 0 {
			t.Fatalf("x=%#x t=%#x: miss %#x tie %#x", x, ts, miss, tie)
		}
	}
}

// Four decisions per draw succeed with their probabilities (against the
// binomial law of the counts).
func TestQuadFrequencies(t *testing.T) {
	ps := [4]float64{0.01, 0.5, 0.86, 0.999}
	var ts [4]uint64
	for k, p := range ps {
		ts[k] = Threshold32(p)
	}
	q := NewQuad(ts)
	f := NewFast(42)
	const n = 1_000_000
	var hits [4]int
	for i := 0; i < n; i++ {
		x := f.Uint64()
		miss, tie := q.Miss(x)
		if tie != 0 {
			miss, f = q.Resolve(x, miss, f)
		}
		for k := range 4 {
			hits[k] += int(1 - miss>>(16*k)&1)
		}
	}
	for k, p := range ps {
		se := math.Sqrt(p * (1 - p) / n)
		assert.InDelta(t, p, float64(hits[k])/n, 5*se, "p=%v", p)
	}
}

func TestFastNextMatchesUint64(t *testing.T) {
	a, b := NewFast(9), NewFast(9)
	for i := 0; i < 100; i++ {
		var x uint64
		x, b = b.Next()
		assert.Equal(t, a.Uint64(), x)
	}
}

func TestFastSkip(t *testing.T) {
	for _, n := range []uint64{0, 1, 7, 1000} {
		a, b := NewFast(11), NewFast(11)
		for range n {
			a.Uint64()
		}
		b = b.Skip(n)
		assert.Equal(t, a.Uint64(), b.Uint64(), "n=%d", n)
	}
}
