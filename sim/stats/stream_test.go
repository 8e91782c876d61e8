package stats

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func draws(r *rand.Rand, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func TestStreamDeterministic(t *testing.T) {
	for _, c := range []struct{ seed, trial uint64 }{
		{0, 0}, {1, 0}, {0, 1}, {42, 7}, {math.MaxUint64, math.MaxUint64},
	} {
		require.Equal(t, draws(Stream(c.seed, c.trial), 1000), draws(Stream(c.seed, c.trial), 1000),
			"Stream(%d, %d)", c.seed, c.trial)
	}
}

// TestStreamGolden pins the derivation: a change here changes every
// published run, so it must be deliberate.
func TestStreamGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		r    *rand.Rand
		want []uint64
	}{
		{"Stream(0,0)", Stream(0, 0), []uint64{0x9cc9f54e64c9ff36, 0x6e25ecfd4b80cb4f, 0x2acd66aeed6ad4c1}},
		{"Stream(42,7)", Stream(42, 7), []uint64{0xa640c67f40ccf285, 0x505f7c496f13b94f, 0x4d3efa431aef91cf}},
	} {
		require.Equal(t, c.want, draws(c.r, 3), c.name)
	}
}

func TestStreamDistinct(t *testing.T) {
	seen := map[uint64]string{}
	add := func(name string, r *rand.Rand) {
		t.Helper()
		// Two draws make an accidental 64-bit collision irrelevant.
		v := r.Uint64() ^ bits.RotateLeft64(r.Uint64(), 17)
		if prev, ok := seen[v]; ok {
			t.Fatalf("%s repeats %s", name, prev)
		}
		seen[v] = name
	}
	for seed := uint64(0); seed < 4; seed++ {
		for trial := uint64(0); trial < 512; trial++ {
			add("Stream", Stream(seed, trial))
		}
	}
	// Swapping seed and trial must not give the same stream.
	require.NotEqual(t, draws(Stream(1, 2), 4), draws(Stream(2, 1), 4))
}

// TestStreamDecorrelated checks that streams of neighbouring trials and
// seeds look independent: about half their bits differ, and their Float64
// sequences are uncorrelated.
func TestStreamDecorrelated(t *testing.T) {
	const n = 20000
	pairs := []struct {
		name string
		a, b func() *rand.Rand
	}{
		{"trial", func() *rand.Rand { return Stream(9, 100) }, func() *rand.Rand { return Stream(9, 101) }},
		{"seed", func() *rand.Rand { return Stream(9, 100) }, func() *rand.Rand { return Stream(10, 100) }},
	}
	for _, p := range pairs {
		a, b := p.a(), p.b()
		var sa, sb, saa, sbb, sab float64
		diff := 0
		for range n {
			x, y := a.Uint64(), b.Uint64()
			diff += bits.OnesCount64(x ^ y)
			fx, fy := float64(x>>11)/(1<<53), float64(y>>11)/(1<<53)
			sa += fx
			sb += fy
			saa += fx * fx
			sbb += fy * fy
			sab += fx * fy
		}
		corr := (sab/n - sa/n*sb/n) / math.Sqrt((saa/n-sa*sa/n/n)*(sbb/n-sb*sb/n/n))
		// Under independence corr ~ N(0, 1/n) and diff ~ N(32n, 16n).
		require.Less(t, math.Abs(corr), 5/math.Sqrt(n), "%s: correlation", p.name)
		require.InDelta(t, 32*n, float64(diff), 5*math.Sqrt(16*n), "%s: differing bits", p.name)
	}
	// First outputs of consecutive trials: each bit flips about half the time.
	first := make([]uint64, 4001)
	for trial := range first {
		first[trial] = Stream(5, uint64(trial)).Uint64()
	}
	for bit := 0; bit < 64; bit++ {
		flips := 0
		for trial := range 4000 {
			flips += int((first[trial] ^ first[trial+1]) >> bit & 1)
		}
		require.InDelta(t, 2000, flips, 5*math.Sqrt(1000), "bit %d", bit)
	}
}

func BenchmarkStream(b *testing.B) {
	var sink uint64
	for i := range b.N {
		sink += Stream(1, uint64(i)).Uint64()
	}
	_ = sink
}

func BenchmarkStreamUint64(b *testing.B) {
	r := Stream(1, 2)
	var sink uint64
	for range b.N {
		sink += r.Uint64()
	}
	_ = sink
}

func TestReseedMatchesStream(t *testing.T) {
	p := rand.NewPCG(0, 0)
	r := rand.New(p)
	for trial := uint64(0); trial < 50; trial++ {
		Reseed(p, 99, trial)
		want := Stream(99, trial)
		for i := 0; i < 20; i++ {
			if got, w := r.Uint64(), want.Uint64(); got != w {
				t.Fatalf("trial %d draw %d: %d != %d", trial, i, got, w)
			}
		}
	}
}

func TestSubstreamGolden(t *testing.T) {
	// Pins the derivation of every trial's draws: a change here changes
	// every published run, so it must be deliberate.
	require.Equal(t, []uint64{0x7a2ce13a1a02b26c, 0x0b8b0aed1a3c73a3, 0xcacb918d8bd181f6}, draws(Substream(TrialKey(42, 7), Purpose(3, 2, 0)), 3))
}

// TestSubstreamFormula checks Substream against its documented derivation,
// written out step by step.
func TestSubstreamFormula(t *testing.T) {
	const g = 0x9e3779b97f4a7c15
	seed, trial, purpose := uint64(42), uint64(7), Purpose(3, 2, 0)
	k := mix64(domainSubstream)
	k = mix64(k ^ mix64(seed+g))
	k = mix64(k ^ mix64(trial+g))
	h := mix64(k ^ mix64(purpose+g))
	want := rand.New(rand.NewPCG(mix64(h+g), mix64(h+g+g)))
	require.Equal(t, draws(want, 10), draws(Substream(TrialKey(seed, trial), purpose), 10))
}

func TestSubstreamDependsOnlyOnSeedTrialPurpose(t *testing.T) {
	// The same (seed, trial, purpose) gives the same draws, whatever was
	// drawn from other purposes first.
	k := TrialKey(7, 11)
	a := draws(Substream(k, Purpose(1, 2, 0)), 50)
	other := Substream(k, Purpose(0, 0, 0))
	for range 1234 {
		other.Uint64()
	}
	require.Equal(t, a, draws(Substream(TrialKey(7, 11), Purpose(1, 2, 0)), 50))

	seen := map[uint64]string{}
	for seed := uint64(0); seed < 3; seed++ {
		for trial := uint64(0); trial < 40; trial++ {
			k := TrialKey(seed, trial)
			for u := 0; u < 5; u++ {
				for s := 0; s < 4; s++ {
					for round := 0; round < 3; round++ {
						r := Substream(k, Purpose(u, s, round))
						v := r.Uint64() ^ bits.RotateLeft64(r.Uint64(), 17)
						name := fmt.Sprint(seed, trial, u, s, round)
						if prev, ok := seen[v]; ok {
							t.Fatalf("substream %s repeats %s", name, prev)
						}
						seen[v] = name
					}
				}
			}
		}
	}
	// A trial's key is not its Stream's: the two derivations are kept apart.
	require.NotEqual(t, draws(Stream(7, 11), 4), draws(Substream(TrialKey(7, 11), 0), 4))
}

func TestPurposeRange(t *testing.T) {
	require.Equal(t, uint64(3)<<32|2<<16|1, Purpose(3, 2, 1))
	require.Panics(t, func() { Purpose(0, 1<<16, 0) })
	require.Panics(t, func() { Purpose(0, 0, 1<<16) })
	require.Panics(t, func() { Purpose(-1, 0, 0) })
}

func TestReseedSubstreamMatchesSubstream(t *testing.T) {
	p := rand.NewPCG(0, 0)
	r := rand.New(p)
	k := TrialKey(99, 3)
	for u := range 20 {
		ReseedSubstream(p, k, Purpose(u, 1, 0))
		require.Equal(t, draws(Substream(k, Purpose(u, 1, 0)), 20), draws(r, 20), "unit %d", u)
	}
	allocs := testing.AllocsPerRun(100, func() { ReseedSubstream(p, k, Purpose(5, 1, 0)) })
	require.Zero(t, allocs, "reseeding must not allocate")
}

func BenchmarkReseedSubstream(b *testing.B) {
	p := rand.NewPCG(0, 0)
	k := TrialKey(1, 2)
	for i := range b.N {
		ReseedSubstream(p, k, uint64(i))
	}
}
