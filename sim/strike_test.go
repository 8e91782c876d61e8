package sim

import (
	"math/bits"
	"testing"

	"github.com/stretchr/testify/require"
)

// The striking shortcut picks the same marks as striking the highest lane
// one at a time, for every set of four marks and every count up to four
// (all of them when the count reaches theirs).
func TestTopLanesStrikeTheLast(t *testing.T) {
	for n := range 16 {
		var hit uint64
		for j := range 4 {
			hit |= uint64(n>>j&1) << (16 * j)
		}
		require.Equal(t, uint64(n), hit*laneNibble>>48&0xf, "nibble of %#x", hit)
		for k := range 5 {
			want, h := uint64(0), hit
			for range min(k, bits.OnesCount64(hit)) {
				top := uint64(1) << (63 - bits.LeadingZeros64(h))
				want |= top
				h &^= top
			}
			require.Equal(t, want, topLanes[n][k], "nibble %04b, strike %d", n, k)
		}
	}
}
