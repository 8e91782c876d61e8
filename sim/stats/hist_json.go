package stats

import (
	"encoding/json"
	"fmt"
	"math"
)

// shareHistJSON is the serialised form of a ShareHist: its exact integer
// state, with the bins stored sparsely as [bin, count] pairs in bin order.
type shareHistJSON struct {
	Count int64      `json:"count"`
	Sum   int64      `json:"sum_1e9"`
	Min   int64      `json:"min_1e9"`
	Max   int64      `json:"max_1e9"`
	Bins  [][2]int64 `json:"bins"`
}

// MarshalJSON writes the histogram's exact state, so a histogram written by
// one process and read by another merges to the identical result.
func (h *ShareHist) MarshalJSON() ([]byte, error) {
	out := shareHistJSON{Count: h.count, Sum: h.sum, Min: h.min, Max: h.max, Bins: [][2]int64{}}
	for i, c := range &h.bins {
		if c != 0 {
			out.Bins = append(out.Bins, [2]int64{int64(i), c})
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote, refusing inconsistent state.
func (h *ShareHist) UnmarshalJSON(b []byte) error {
	var in shareHistJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*h = ShareHist{count: in.Count, sum: in.Sum, min: in.Min, max: in.Max}
	total := int64(0)
	last := int64(-1)
	for _, bc := range in.Bins {
		i, c := bc[0], bc[1]
		if i <= last || i >= ShareBins || c <= 0 {
			return fmt.Errorf("stats: histogram bin %d (count %d) is out of order, out of range or not positive", i, c)
		}
		h.bins[i] = c
		total += c
		last = i
	}
	if total != in.Count || in.Count < 0 || (in.Count > 0 && (in.Min > in.Max || in.Min < 0 || in.Max > fixedScale)) {
		return fmt.Errorf("stats: histogram state is inconsistent (count %d, bins sum to %d)", in.Count, total)
	}
	// The sum of count values in [min, max]; count·fixedScale must fit.
	if in.Count > math.MaxInt64/int64(fixedScale) || in.Sum < in.Count*in.Min || in.Sum > in.Count*in.Max || (in.Count == 0 && in.Sum != 0) {
		return fmt.Errorf("stats: histogram sum %d is impossible for %d values in [%d, %d]", in.Sum, in.Count, in.Min, in.Max)
	}
	return nil
}
