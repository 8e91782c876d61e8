//go:build !amd64 || purego

package sim

import "simulate/sim/stats"

// useVector is false: no vector loop on this architecture.
var useVector = false

func voterDrawsVector(hi, miss, acc []uint64, f stats.Fast) (cnt, noTie uint64, _ stats.Fast) {
	return voterDraws(hi, miss, acc, f)
}
