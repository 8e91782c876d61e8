package sensitivity

import (
	"strconv"
	"strings"
)

// trimFloat writes v with at most d decimals, without trailing zeros.
func trimFloat(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
