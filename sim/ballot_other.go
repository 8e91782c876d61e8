//go:build !amd64 || purego

package sim

// bestKernel is the portable loop: no vector loop on this architecture.
func bestKernel() int { return kernelPortable }

func ballotVotersAVX2(*voterBatch)   { panic("sim: no vector voter loop") }
func ballotVotersAVX512(*voterBatch) { panic("sim: no vector voter loop") }
