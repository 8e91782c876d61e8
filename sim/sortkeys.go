package sim

import "math/bits"

// sortKey orders list indexes by an ascending key, ties by index.
type sortKey struct {
	key float64
	idx int32
}

func keyLess(a, b sortKey) bool {
	return a.key < b.key || a.key == b.key && a.idx < b.idx
}

// sortKeys sorts by key, then index: a total order (indexes are distinct),
// so any correct sort gives the same result as a stable sort by key. It is
// an introsort (median-of-three quicksort, insertion sort for short runs,
// heapsort past 2·log2(n) levels) specialised to sortKey so that the
// comparisons inline: the selection and tally sorts of a trial make about
// a hundred thousand of them.
func sortKeys(ks []sortKey) {
	introsortKeys(ks, 2*bits.Len(uint(len(ks))))
}

func introsortKeys(a []sortKey, depth int) {
	for len(a) > 12 {
		if depth == 0 {
			heapsortKeys(a)
			return
		}
		depth--
		p := partitionKeys(a)
		// Recurse into the shorter side, loop on the longer.
		if p < len(a)-p {
			introsortKeys(a[:p], depth)
			a = a[p+1:]
		} else {
			introsortKeys(a[p+1:], depth)
			a = a[:p]
		}
	}
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && keyLess(a[j], a[j-1]); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// partitionKeys moves the median of a's first, middle and last keys to its
// final place p, the smaller keys before it and the larger after, and
// returns p.
func partitionKeys(a []sortKey) int {
	n := len(a)
	m := n / 2
	if keyLess(a[m], a[0]) {
		a[m], a[0] = a[0], a[m]
	}
	if keyLess(a[n-1], a[m]) {
		a[n-1], a[m] = a[m], a[n-1]
		if keyLess(a[m], a[0]) {
			a[m], a[0] = a[0], a[m]
		}
	}
	a[0], a[m] = a[m], a[0]
	pivot := a[0]
	i, j := 1, n-1
	for {
		for i <= j && keyLess(a[i], pivot) {
			i++
		}
		for i <= j && keyLess(pivot, a[j]) {
			j--
		}
		if i >= j {
			break
		}
		a[i], a[j] = a[j], a[i]
		i++
		j--
	}
	a[0], a[j] = a[j], a[0]
	return j
}

func heapsortKeys(a []sortKey) {
	for i := len(a)/2 - 1; i >= 0; i-- {
		siftKeys(a, i)
	}
	for end := len(a) - 1; end > 0; end-- {
		a[0], a[end] = a[end], a[0]
		siftKeys(a[:end], 0)
	}
}

func siftKeys(a []sortKey, i int) {
	for {
		c := 2*i + 1
		if c >= len(a) {
			return
		}
		if c+1 < len(a) && keyLess(a[c], a[c+1]) {
			c++
		}
		if !keyLess(a[i], a[c]) {
			return
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
}
