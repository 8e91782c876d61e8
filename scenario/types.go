package scenario

import "fmt"

// TypeSpace enumerates every type of person a scenario allows: one value per
// trait. Type numbers are the mixed-radix numbers of the value indexes in
// the traits' declared order (the last trait varies fastest). Everything
// that depends only on a person's traits — predicates, pool probabilities,
// weights — becomes a table indexed by type.
type TypeSpace struct {
	Traits []Trait
	// N is the number of types.
	N      int
	values []uint8 // values[typ*len(Traits)+t] is trait t's value index
}

// NewTypeSpace enumerates the types of the traits, refusing more than MaxTypes.
func NewTypeSpace(traits []Trait) (*TypeSpace, error) {
	n := 1
	for _, t := range traits {
		if len(t.Values) == 0 || len(t.Values) > MaxValues {
			return nil, fmt.Errorf("trait %q has %d values; between 1 and %d are supported", t.Name, len(t.Values), MaxValues)
		}
		n *= len(t.Values)
		if n > MaxTypes {
			return nil, fmt.Errorf("the traits combine into more than %d types of person", MaxTypes)
		}
	}
	ts := &TypeSpace{Traits: traits, N: n, values: make([]uint8, n*len(traits))}
	for typ := 0; typ < n; typ++ {
		rest := typ
		for t := len(traits) - 1; t >= 0; t-- {
			k := len(traits[t].Values)
			ts.values[typ*len(traits)+t] = uint8(rest % k)
			rest /= k
		}
	}
	return ts, nil
}

// Value is the index of trait t's value in type typ.
func (ts *TypeSpace) Value(typ, t int) int { return int(ts.values[typ*len(ts.Traits)+t]) }

// ValueName is the name of trait t's value in type typ.
func (ts *TypeSpace) ValueName(typ, t int) string { return ts.Traits[t].Values[ts.Value(typ, t)] }

// TraitIndex is the position of the named trait, or -1.
func (ts *TypeSpace) TraitIndex(name string) int {
	for i, t := range ts.Traits {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// Match tabulates a predicate: Match(p)[typ] says whether type typ matches.
// Traits the space does not have are ignored (validation refuses them).
func (ts *TypeSpace) Match(p Predicate) []bool {
	allowed := make([]map[string]bool, len(ts.Traits))
	for name, vals := range p {
		t := ts.TraitIndex(name)
		if t < 0 {
			continue
		}
		allowed[t] = map[string]bool{}
		for _, v := range vals {
			allowed[t][v] = true
		}
	}
	out := make([]bool, ts.N)
	for typ := range out {
		ok := true
		for t := 0; t < len(ts.Traits) && ok; t++ {
			ok = allowed[t] == nil || allowed[t][ts.ValueName(typ, t)]
		}
		out[typ] = ok
	}
	return out
}

// PoolProbs is the probability of each type in a pool: the product over the
// pool's traits of the (conditional) share of the type's value.
func (ts *TypeSpace) PoolProbs(pool []TraitShares) []float64 {
	probs := make([]float64, ts.N)
	for typ := range probs {
		p := 1.0
		for _, s := range pool {
			t := ts.TraitIndex(s.Trait)
			if t < 0 {
				continue
			}
			val := ts.ValueName(typ, t)
			if s.Given == "" {
				p *= s.Shares[val]
			} else if g := ts.TraitIndex(s.Given); g >= 0 {
				p *= s.Conditional[ts.ValueName(typ, g)][val]
			} else {
				p = 0
			}
			if p == 0 {
				break
			}
		}
		probs[typ] = p
	}
	return probs
}

// Product is the per-type product of multiplicative weights (values not
// listed weigh 1).
func (ts *TypeSpace) Product(ws []TraitWeights) []float64 { return ts.combine(ws, true) }

// Sum is the per-type sum of additive effects (values not listed add 0).
func (ts *TypeSpace) Sum(ws []TraitWeights) []float64 { return ts.combine(ws, false) }

func (ts *TypeSpace) combine(ws []TraitWeights, multiplicative bool) []float64 {
	out := make([]float64, ts.N)
	for typ := range out {
		v := 0.0
		if multiplicative {
			v = 1
		}
		for _, w := range ws {
			t := ts.TraitIndex(w.Trait)
			if t < 0 {
				continue
			}
			x, ok := w.Values[ts.ValueName(typ, t)]
			switch {
			case !ok:
			case multiplicative:
				v *= x
			default:
				v += x
			}
		}
		out[typ] = v
	}
	return out
}

// NominationWeights returns each type's nomination weight in a unit of the
// given group: the product of the stage's weights and of the group's
// group_weights.
func (ts *TypeSpace) NominationWeights(ns *NominateStage, group string) []float64 {
	w := ts.Product(ns.Weights)
	for _, g := range ns.GroupWeights {
		if g.Group == group {
			gw := ts.Product(g.Weights)
			for typ := range w {
				w[typ] *= gw[typ]
			}
		}
	}
	return w
}
