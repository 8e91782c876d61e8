package sim

import (
	"math"
	"math/bits"

	"simulate/sim/stats"
)

// ballotQuadRef is the ballot kernel before each over-marking voter's
// discipline draw moved to a stream of its own (the four-lane decisions,
// the discipline drawn from the decisions' stream after the voter's
// decisions), kept as the reference the current kernel must equal in
// distribution (TestBallotEqualInDistribution). It writes the same
// results as worker.ballot.
func (w *worker) ballotQuadRef(cands []int32, seats, present int) {
	e := w.m.stages[w.m.electIdx].elect
	n := len(cands)
	nq := (n + 3) / 4
	bQuad, bHi := make([]stats.Quad, nq), make([]uint64, nq)
	for i := range nq {
		var t [4]uint64 // names past the end never vote for
		for j := range 4 {
			if k := 4*i + j; k < n {
				t[j] = w.tFor[cands[k]]
			}
		}
		bQuad[i] = stats.NewQuad(t)
		bHi[i] = bQuad[i].Hi()
	}
	bVotes, bStruck := make([]int32, 4*nq), make([]int32, 4*nq) // not-for marks until the end
	quads, hi, miss, missAcc, struckAcc := bQuad, bHi, make([]uint64, nq), make([]uint64, nq), make([]uint64, nq)
	discipline := stats.Threshold32(e.disciplineP)
	// A tally adds at most one per voter to a 16-bit lane: chunks of 2^16-1
	// voters keep every lane from overflowing.
	const lane = 1<<16 - 1
	f := stats.NewFast(w.r.Uint64())
	var invalid int64
	for v0 := 0; v0 < present; v0 += lane {
		clear(missAcc)
		clear(struckAcc)
		for v := v0; v < min(present, v0+lane); v++ {
			misses := 0 // lanes of 4·nq, names past the end included
			f0 := f
			var cnt, noTie uint64
			if nq <= maxQuads {
				cnt, noTie, f = voterDraws(hi, miss, missAcc, f)
				misses = int((cnt * stats.QuadOnes) >> 48)
			} else {
				// Over 65,532 names: the lanes of cnt are summed in parts.
				noTie = ^uint64(0)
				for c0 := 0; c0 < nq; c0 += maxQuads {
					c1 := min(nq, c0+maxQuads)
					var c uint64
					cnt, c, f = voterDraws(hi[c0:c1], miss[c0:c1], missAcc[c0:c1], f)
					misses += int((cnt * stats.QuadOnes) >> 48)
					noTie &= c
				}
			}
			if ^noTie&stats.QuadGuard != 0 {
				// Some lane tied (about one voter in 400 on an 80-name
				// ballot): replay the draws to find it and settle it with
				// fresh bits.
				for i := range nq {
					x := f0.Uint64()
					if _, tie := quads[i].Miss(x); tie != 0 {
						var m uint64
						m, f = quads[i].Resolve(x, miss[i], f)
						won := miss[i] &^ m // lanes that tied and voted for
						miss[i] = m
						missAcc[i] -= won
						misses -= bits.OnesCount64(won)
					}
				}
			}
			marks := 4*nq - misses
			if marks <= seats {
				continue
			}
			// Marks are in ballot order, most appealing first: a voter who
			// corrects strikes the last ones; otherwise the ballot is void.
			strike := marks - seats
			if f.Uint64()&0xffffffff >= discipline {
				invalid++
				strike = marks
			}
			// From the end, element by element: the last min(strike, 4)
			// for-marks of names 4i..4i+3 by one lookup, without a branch
			// on how many there are.
			for i := nq - 1; strike > 0; i-- {
				hit := miss[i] ^ stats.QuadOnes
				hit = topLanes[hit*laneNibble>>48&0xf][min(strike, 4)]
				struckAcc[i] += hit
				strike -= bits.OnesCount64(hit)
			}
		}
		for i := range nq {
			for j := range 4 {
				bVotes[4*i+j] += int32(missAcc[i] >> (16 * j) & 0xffff)
				bStruck[4*i+j] += int32(struckAcc[i] >> (16 * j) & 0xffff)
			}
		}
	}
	abst, against := 0.0, 0.0
	for k, c := range cands {
		notFor := bVotes[k]
		w.list[c].votes = int32(present) - notFor - bStruck[k]
		q := w.qAbst[c]
		abst += float64(notFor) * q
		against += float64(notFor) * (1 - q)
	}
	w.o.votes.Abstentions1e6 += int64(math.Round(abst * 1e6))
	w.o.votes.Against1e6 += int64(math.Round(against * 1e6))
	w.o.votes.Invalid += invalid
	w.o.votes.Names += int64(present) * int64(n)
	w.o.votes.Ballots += int64(present)
}
