package sim

// The voter loops a ballot can run (worker.ballot): the portable Go loop,
// and on amd64 the same loop in assembly with AVX2 or AVX-512. All three
// make the same draws and give the same results; tests compare them.
const (
	kernelPortable = iota
	kernelAVX2
	kernelAVX512
)

// ballotKernel is the voter loop ballots run: the widest this CPU has.
// Tests set it to compare the loops.
var ballotKernel = bestKernel()

// kernelsAvailable lists the voter loops this CPU can run.
func kernelsAvailable() []int {
	k := []int{kernelPortable}
	for i := kernelAVX2; i <= bestKernel(); i++ {
		k = append(k, i)
	}
	return k
}
