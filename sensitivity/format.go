package sensitivity

import "simulate/sweep"

// trimFloat writes v with at most d decimals, without trailing zeros, as
// sweep rows do.
func trimFloat(v float64, d int) string { return sweep.Fixed(v, d) }
