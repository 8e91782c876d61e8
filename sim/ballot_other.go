//go:build !amd64 || purego

package sim

// useVector is false: no vector loop on this architecture.
var useVector = false

func ballotVotersAVX2(*voterBatch) { panic("sim: no vector voter loop") }
