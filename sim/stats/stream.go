package stats

import "math/rand/v2"

// golden is the SplitMix64 increment ⌊2^64/φ⌋, odd.
const golden = 0x9e3779b97f4a7c15

// Domain tags keep the key of Stream(s, t) apart from every TrialKey(s, t).
const (
	domainStream    = 0x53545245414d0001 // "STREAM" 1
	domainSubstream = 0x53545245414d0002 // "STREAM" 2
)

// mix64 is the SplitMix64 output function (Stafford's Mix13 variant), a
// bijection on uint64 with full avalanche: every input bit flips each output
// bit with probability close to 1/2.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// absorb folds word w into the running key h as one SplitMix64 step.
// For a fixed h it is a bijection of w, so distinct words give distinct keys.
func absorb(h, w uint64) uint64 {
	return mix64(h ^ mix64(w+golden))
}

// pcgSeeds expands a 64-bit key into the two 64-bit words of a PCG state by
// taking the next two outputs of a SplitMix64 generator started at key.
func pcgSeeds(key uint64) (hi, lo uint64) {
	key += golden
	hi = mix64(key)
	key += golden
	return hi, mix64(key)
}

// streamKey derives the 64-bit key of Stream(seed, trial).
func streamKey(seed, trial uint64) uint64 {
	return absorb(absorb(mix64(domainStream), seed), trial)
}

// Stream returns the random-number stream of trial trial in a run with seed
// seed: a math/rand/v2 generator over a PCG-DXSM source whose 128-bit state
// is derived from (seed, trial) only.
//
// The derivation is
//
//	h₀ = mix(D)
//	h₁ = mix(h₀ ⊕ mix(seed + γ))
//	h₂ = mix(h₁ ⊕ mix(trial + γ))
//	state = (mix(h₂ + γ), mix(h₂ + 2γ))
//
// where mix is the SplitMix64 finaliser, γ = 0x9e3779b97f4a7c15 and D is a
// domain constant. Each step is a bijection of the absorbed word, so for a
// fixed seed different trials get different keys, and mix's avalanche
// decorrelates neighbouring seeds and trials. Streams are points of the same
// period-2^128 PCG sequence, scattered by the hash; the chance that two of m
// streams of length L overlap is about m²L/2^128.
//
// The sequence depends on nothing but (seed, trial): not on which worker runs
// the trial or in what order, which is what makes runs reproducible.
// Stream allocates the generator; call it once per trial, not per draw.
func Stream(seed, trial uint64) *rand.Rand {
	return rand.New(rand.NewPCG(pcgSeeds(streamKey(seed, trial))))
}

// Reseed puts p in the state Stream(seed, trial) starts from, so a worker
// can reuse one generator (and one rand.Rand around it) for every trial
// without allocating: rand.New(p) then draws exactly what Stream would.
func Reseed(p *rand.PCG, seed, trial uint64) {
	p.Seed(pcgSeeds(streamKey(seed, trial)))
}

// TrialKey is the 64-bit key of trial trial in a run with seed seed, from
// which the trial's substreams are derived (see Substream). Computing it
// once per trial leaves one absorb step per substream.
func TrialKey(seed, trial uint64) uint64 {
	return absorb(absorb(mix64(domainSubstream), seed), trial)
}

// Purpose names what a substream of a trial is for: the electoral unit, the
// stage and the round within the stage (an election's further rounds), each
// in its own bit field, so distinct purposes are distinct words. It panics if
// a field is out of range (unit ≥ 2^32, stage or round ≥ 2^16), which no
// scenario reaches.
func Purpose(unit, stage, round int) uint64 {
	if uint64(unit) >= 1<<32 || uint64(stage) >= 1<<16 || uint64(round) >= 1<<16 {
		panic("stats: substream purpose out of range")
	}
	return uint64(unit)<<32 | uint64(stage)<<16 | uint64(round)
}

// Substream returns the random-number stream of one purpose of a trial,
// given the trial's key from TrialKey:
//
//	k₀ = mix(D′)
//	k₁ = mix(k₀ ⊕ mix(seed + γ))
//	k₂ = mix(k₁ ⊕ mix(trial + γ))          (TrialKey)
//	h  = mix(k₂ ⊕ mix(purpose + γ))
//	state = (mix(h + γ), mix(h + 2γ))
//
// with the notation of Stream and a domain constant D′ ≠ D. The stream depends
// on (seed, trial, purpose) and nothing else; in particular not on how many
// numbers the trial drew for other purposes. That is what makes common random
// numbers work across parameter values: two runs with the same seed, one at
// each value, give trial i of each the same draws for every purpose whose
// draws the parameter does not change, so their difference measures the
// parameter's effect and not the noise of unrelated draws.
// Substream allocates the generator; workers reuse one with ReseedSubstream.
func Substream(trialKey, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(pcgSeeds(absorb(trialKey, purpose))))
}

// ReseedSubstream puts p in the state Substream(trialKey, purpose) starts
// from, without allocating: a handful of multiplications, cheap enough to
// call at every stage of every unit of a trial.
func ReseedSubstream(p *rand.PCG, trialKey, purpose uint64) {
	p.Seed(pcgSeeds(absorb(trialKey, purpose)))
}
