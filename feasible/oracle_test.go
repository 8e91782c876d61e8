package feasible

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"simulate/scenario"
)

// The oracle decides feasibility by enumerating compositions of people by
// type — no atoms, no linear programming — following the semantics stated
// in the report's assumptions: lists hold whole people of available types,
// random vetoes may spare anyone, vetoes with rate 1 remove everyone they
// match, lists with quotas are filled to their sizes, every seat is filled,
// central candidates are any type of the central pool — except that a
// finite pool fills its lists and seats only as far as its members with a
// nomination weight above 0 allow.

type oracle struct {
	sc     *scenario.Scenario
	traits [][]string
	types  [][]int // type → value index per trait
	// per unit
	units []oracleUnit
	// central support
	central []int
	cache   map[uintptr][]bool
}

type oracleUnit struct {
	u        *scenario.Unit
	final    int // final list size
	local    int
	central  int
	ballot   int // local names on the ballot
	support  []int
	finalOK  []bool // type can be in the final list
	aliveAt  [][]bool
	recCount []int
	recCap   [][]int // -1 unlimited, 0 none, else cap
	quotas   []oracleQuota
	ms       map[int]float64 // member share per target
	electIdx int
}

type oracleQuota struct {
	stage int
	size  int
	q     []quotaRule // quotas on this list
}

type quotaRule struct {
	idx    int
	match  []bool
	lo, hi int
}

func (o *oracle) matches(p scenario.Predicate, typ int) bool { return o.table(p)[typ] }

// table is the per-type match table of a predicate, cached by the map's
// identity.
func (o *oracle) table(p scenario.Predicate) []bool {
	key := reflect.ValueOf(p).Pointer()
	if o.cache == nil {
		o.cache = map[uintptr][]bool{}
	}
	m, ok := o.cache[key]
	if !ok {
		m = make([]bool, len(o.types))
		for x := range m {
			m[x] = o.matchesSlow(p, x)
		}
		o.cache[key] = m
	}
	return m
}

func (o *oracle) matchesSlow(p scenario.Predicate, typ int) bool {
	for tn, vals := range p {
		ti := -1
		for i, t := range o.sc.Traits {
			if t.Name == tn {
				ti = i
			}
		}
		v := o.traits[ti][o.types[typ][ti]]
		ok := false
		for _, x := range vals {
			ok = ok || x == v
		}
		if !ok {
			return false
		}
	}
	return true
}

func (o *oracle) prob(pool []scenario.TraitShares, typ int) float64 {
	p := 1.0
	for _, ts := range pool {
		ti := o.trait(ts.Trait)
		v := o.traits[ti][o.types[typ][ti]]
		if ts.Given == "" {
			p *= ts.Shares[v]
		} else {
			g := o.trait(ts.Given)
			p *= ts.Conditional[o.traits[g][o.types[typ][g]]][v]
		}
	}
	return p
}

func (o *oracle) trait(name string) int {
	for i, t := range o.sc.Traits {
		if t.Name == name {
			return i
		}
	}
	panic(name)
}

func newOracle(sc *scenario.Scenario) *oracle {
	o := &oracle{sc: sc}
	for _, t := range sc.Traits {
		o.traits = append(o.traits, t.Values)
	}
	var gen func(prefix []int)
	gen = func(prefix []int) {
		if len(prefix) == len(o.traits) {
			o.types = append(o.types, append([]int(nil), prefix...))
			return
		}
		for v := range o.traits[len(prefix)] {
			gen(append(prefix, v))
		}
	}
	gen(nil)
	electIdx := -1
	for i, st := range sc.Stages {
		if st.Elect != nil {
			electIdx = i
		}
	}
	// certain[s][typ]
	certain := make([][]bool, len(sc.Stages))
	for si, st := range sc.Stages {
		certain[si] = make([]bool, len(o.types))
		if st.Filter == nil {
			continue
		}
		for _, v := range st.Filter.Vetoes {
			if v.Rate >= 1 {
				for typ := range o.types {
					if o.matches(v.When, typ) {
						certain[si][typ] = true
					}
				}
			}
		}
	}
	var weights []scenario.TraitWeights
	var mode scenario.NominationMode
	for _, st := range sc.Stages {
		if st.Nominate != nil {
			weights = st.Nominate.Weights
			mode = st.Nominate.NominationMode
		}
	}
	weight := func(typ int) float64 {
		w := 1.0
		for _, tw := range weights {
			ti := o.trait(tw.Trait)
			if x, ok := tw.Values[o.traits[ti][o.types[typ][ti]]]; ok {
				w *= x
			}
		}
		return w
	}
	if electIdx >= 0 {
		cp := scenario.MergePool(sc.Pool, sc.CentralPool)
		for typ := range o.types {
			if o.prob(cp, typ) <= 0 {
				continue
			}
			ok := true
			for si := electIdx + 1; si < len(sc.Stages); si++ {
				ok = ok && !certain[si][typ]
			}
			if ok {
				o.central = append(o.central, typ)
			}
		}
	}
	for ui := range sc.Units {
		u := &sc.Units[ui]
		ou := oracleUnit{u: u, central: u.Central, electIdx: electIdx, ms: map[int]float64{}}
		md := mode
		if u.Nomination != nil {
			md = *u.Nomination
		}
		nominees := scenario.NomineeCount(md, u.Seats-u.Central)
		last := nominees
		ou.ballot = nominees
		globalQ := 0
		var lists []oracleQuota // every select stage, with its quotas
		for si, st := range sc.Stages {
			if st.Select == nil {
				continue
			}
			size := sc.ListSize(st.Select.Size, u)
			last = size
			if electIdx < 0 || si < electIdx {
				ou.ballot = size
			}
			lists = append(lists, oracleQuota{stage: si, size: size})
			if len(st.Select.Quotas) > 0 {
				oq := oracleQuota{stage: si, size: size}
				for qi, q := range st.Select.Quotas {
					lo, hi := 0, size
					if q.Min != nil {
						lo = *q.Min
					}
					if q.MinShare != nil {
						lo = max(lo, scenario.CeilMul(*q.MinShare, size))
					}
					lo = min(lo, size)
					if q.Max != nil {
						hi = min(hi, *q.Max)
					}
					if q.MaxShare != nil {
						hi = min(hi, scenario.FloorMul(*q.MaxShare, size))
					}
					m := make([]bool, len(o.types))
					for typ := range m {
						m[typ] = o.matches(q.When, typ)
					}
					oq.q = append(oq.q, quotaRule{idx: globalQ + qi, match: m, lo: lo, hi: hi})
				}
				globalQ += len(st.Select.Quotas)
				lists[len(lists)-1] = oq
			}
		}
		if electIdx >= 0 {
			ou.final = u.Seats
		} else {
			ou.final = last
			ou.ballot = last
		}
		ou.local = ou.final - u.Central
		unitPool := scenario.MergePool(sc.Pool, u.Pool)
		for ti, t := range sc.Targets {
			s := 0.0
			for typ := range o.types {
				if o.matches(t.When, typ) {
					s += o.prob(unitPool, typ)
				}
			}
			ou.ms[ti] = s
		}
		recs := u.Recommending
		if len(recs) == 0 {
			recs = []scenario.RecommendingUnit{{Name: u.Name, Weight: 1}}
		}
		var rw []float64
		for _, r := range recs {
			rw = append(rw, r.Weight)
		}
		ou.recCount = scenario.LargestRemainder(rw, nominees)
		total := 0.0
		for _, w := range rw {
			total += w
		}
		inSupport := make([]bool, len(o.types))
		for j, r := range recs {
			rp := scenario.MergePool(unitPool, r.Pool)
			caps := make([]int, len(o.types))
			var fin []int
			if u.FinitePool {
				probs := make([]float64, len(o.types))
				for typ := range probs {
					probs[typ] = o.prob(rp, typ)
				}
				fin = scenario.LargestRemainder(probs, int(float64(u.Members)*r.Weight/total+0.5))
			}
			capTotal := 0
			for typ := range o.types {
				if ou.recCount[j] == 0 || weight(typ) <= 0 {
					continue
				}
				switch {
				case u.FinitePool:
					caps[typ] = fin[typ]
					capTotal += fin[typ]
				case o.prob(rp, typ) > 0:
					caps[typ] = -1
				}
				if caps[typ] != 0 {
					inSupport[typ] = true
				}
			}
			if u.FinitePool {
				ou.recCount[j] = min(ou.recCount[j], capTotal)
			} else if !slices.ContainsFunc(caps, func(k int) bool { return k != 0 }) {
				ou.recCount[j] = 0 // nobody in its pool can be nominated
			}
			ou.recCap = append(ou.recCap, caps)
		}
		ou.aliveAt = make([][]bool, len(sc.Stages)+1)
		for s := 0; s <= len(sc.Stages); s++ {
			ou.aliveAt[s] = make([]bool, len(o.types))
			for typ := range o.types {
				alive := inSupport[typ]
				for si := 0; si < s && si < len(sc.Stages); si++ {
					alive = alive && !certain[si][typ]
				}
				ou.aliveAt[s][typ] = alive
			}
		}
		ou.finalOK = ou.aliveAt[len(sc.Stages)]
		for typ := range o.types {
			if ou.finalOK[typ] {
				ou.support = append(ou.support, typ)
			}
		}
		// A finite pool: each recommending unit nominates at most its
		// members of positive weight, and every later list is as long as
		// what reaches it allows (sim stops drawing when they run out; a
		// selection keeps everyone when it has no more than its size).
		// reach(s): the most nominees alive at stage s.
		reach := func(s int) int {
			n := 0
			for j, caps := range ou.recCap {
				c := 0
				for typ, k := range caps {
					if k > 0 && ou.aliveAt[s][typ] {
						c += k
					}
					if k < 0 && ou.aliveAt[s][typ] {
						c = ou.recCount[j]
						break
					}
				}
				n += min(ou.recCount[j], c)
			}
			return n
		}
		// Split nominations run short like finite pools: a body with nobody
		// of positive weight nominates nobody.
		short := u.FinitePool || len(u.Recommending) > 0
		chain := nominees
		if short {
			chain = reach(0)
		}
		ballot := chain
		for _, l := range lists {
			if short {
				avail := min(chain, reach(l.stage))
				if avail <= l.size {
					l.q = nil // everyone who reaches the stage is kept
				}
				chain = min(l.size, avail)
			} else {
				chain = l.size
			}
			if electIdx < 0 || l.stage < electIdx {
				ballot = chain
			}
			if len(l.q) > 0 {
				ou.quotas = append(ou.quotas, l)
			}
		}
		if short {
			alive := reach(len(sc.Stages))
			ou.ballot = min(ballot, alive)
			if electIdx >= 0 {
				ou.local = min(ou.local, ou.ballot)
				ou.final = ou.local + u.Central
			} else {
				ou.final = min(chain, alive)
				ou.local, ou.ballot = ou.final, ou.final
			}
		}
		o.units = append(o.units, ou)
	}
	return o
}

// lazyDump prints a scenario only when a failing assertion formats it.
type lazyDump struct{ sc *scenario.Scenario }

func (d lazyDump) String() string {
	data, _ := yaml.Marshal(toTree(reflect.ValueOf(d.sc)))
	if path := os.Getenv("FEASIBLE_DUMP"); path != "" {
		_ = os.WriteFile(path, data, 0o644)
	}
	return string(data)
}

// multisets calls f with every multiset of size n over the given types (as
// counts indexed by type).
func multisets(types []int, nTypes, n int, f func(c []int) bool) bool {
	c := make([]int, nTypes)
	var rec func(i, left int) bool
	rec = func(i, left int) bool {
		if i == len(types)-1 || len(types) == 0 {
			if len(types) == 0 {
				if left == 0 {
					return f(c)
				}
				return true
			}
			c[types[i]] = left
			ok := f(c)
			c[types[i]] = 0
			return ok
		}
		for k := left; k >= 0; k-- {
			c[types[i]] = k
			if !rec(i+1, left-k) {
				c[types[i]] = 0
				return false
			}
		}
		c[types[i]] = 0
		return true
	}
	return rec(0, n)
}

// deliverable reports whether the unit's pipeline can end with the local
// composition x (or hold x on the list before stage `until` when until <
// nStages): quota lists filled to size and obeying their quotas, and the
// nominees supplied by the recommending units.
func (o *oracle) deliverable(ou *oracleUnit, x []int, until int, quotaOn func(qi int) bool) bool {
	var qs []oracleQuota
	for _, q := range ou.quotas {
		if q.stage < until || (until < len(o.sc.Stages) && q.stage == until) {
			qs = append(qs, q)
		}
	}
	var try func(i int, inner []int) bool
	try = func(i int, inner []int) bool {
		if i < 0 {
			return o.supplied(ou, inner)
		}
		q := qs[i]
		have := 0
		for _, v := range inner {
			have += v
		}
		if have > q.size {
			return false
		}
		var alive []int
		for typ := range o.types {
			if ou.aliveAt[q.stage][typ] {
				alive = append(alive, typ)
			}
		}
		for typ, v := range inner {
			if v > 0 && !ou.aliveAt[q.stage][typ] {
				return false
			}
		}
		found := false
		multisets(alive, len(o.types), q.size-have, func(d []int) bool {
			z := make([]int, len(inner))
			for typ := range z {
				z[typ] = inner[typ] + d[typ]
			}
			for _, r := range q.q {
				if !quotaOn(r.idx) {
					continue
				}
				c := 0
				for typ, v := range z {
					if r.match[typ] {
						c += v
					}
				}
				if c < r.lo || c > r.hi {
					return true
				}
			}
			if try(i-1, z) {
				found = true
				return false
			}
			return true
		})
		return found
	}
	return try(len(qs)-1, x)
}

// supplied reports whether the recommending units can nominate a list that
// contains y.
func (o *oracle) supplied(ou *oracleUnit, y []int) bool {
	var rec func(j int, rest []int) bool
	rec = func(j int, rest []int) bool {
		if j == len(ou.recCap) {
			for _, v := range rest {
				if v > 0 {
					return false
				}
			}
			return true
		}
		// Choose how much of rest rec j covers: enumerate per type.
		var types []int
		for typ, v := range rest {
			if v > 0 && ou.recCap[j][typ] != 0 {
				types = append(types, typ)
			}
		}
		take := make([]int, len(rest))
		var pick func(i, budget int) bool
		pick = func(i, budget int) bool {
			if i == len(types) {
				left := make([]int, len(rest))
				for typ := range rest {
					left[typ] = rest[typ] - take[typ]
				}
				return rec(j+1, left)
			}
			typ := types[i]
			hi := min(rest[typ], budget)
			if c := ou.recCap[j][typ]; c > 0 {
				hi = min(hi, c)
			}
			for k := hi; k >= 0; k-- {
				take[typ] = k
				if pick(i+1, budget-k) {
					take[typ] = 0
					return true
				}
			}
			take[typ] = 0
			return false
		}
		return pick(0, ou.recCount[j])
	}
	return rec(0, y)
}

// targetOK is sim's check: c matching among n, with the member share
// reference lowered by aboveDelta.
func targetOK(t *scenario.Target, c, n int, ms, aboveDelta float64) bool {
	if n == 0 && (t.AboveMemberShare || (t.MinShare != nil && *t.MinShare > 0)) {
		return false // a share of nobody meets no positive minimum
	}
	if t.AboveMemberShare && c < scenario.MinCount(ms-aboveDelta, t.Strict, n) {
		return false
	}
	if t.MinCount != nil && (c < *t.MinCount || (t.Strict && c == *t.MinCount)) {
		return false
	}
	if t.MaxCount != nil && (c > *t.MaxCount || (t.Strict && c == *t.MaxCount)) {
		return false
	}
	if t.MinShare != nil && c < scenario.MinCount(*t.MinShare, t.Strict, n) {
		return false
	}
	if t.MaxShare != nil && c > scenario.MaxCount(*t.MaxShare, t.Strict, n) {
		return false
	}
	return true
}

// oracleQuery selects the constraints in force.
type oracleQuery struct {
	units   []bool            // units included (nil: all)
	active  func(x cid) bool  // soft constraints in force (nil: all)
	targets []scenario.Target // replacement targets (relaxations); nil: the scenario's
	above   map[int]float64   // member-share reference lowered per target
}

func (q *oracleQuery) on(x cid) bool { return q.active == nil || q.active(x) }

// feasible decides the query by enumeration.
func (o *oracle) feasible(q oracleQuery) bool {
	targets := q.targets
	if targets == nil {
		targets = o.sc.Targets
	}
	var national []int
	for ti := range targets {
		if targets[ti].Scope != scenario.ScopeEach && q.on(cid{kindTarget, ti, -1}) {
			national = append(national, ti)
		}
	}
	inScope := func(ti, u int) bool {
		for _, x := range o.sc.TargetUnits(&targets[ti]) {
			if x == u {
				return true
			}
		}
		return false
	}
	// Per unit: the set of national count vectors its final lists can give.
	sums := map[string][]int{"": make([]int, len(national))}
	for ui := range o.units {
		if q.units != nil && !q.units[ui] {
			continue
		}
		ou := &o.units[ui]
		vecs := map[string][]int{}
		quotaOn := func(qi int) bool { return q.on(cid{kindQuota, qi, ui}) }
		multisets(ou.support, len(o.types), ou.local, func(x []int) bool {
			if !o.deliverable(ou, x, len(o.sc.Stages), quotaOn) {
				return true
			}
			multisets(o.central, len(o.types), ou.central, func(y []int) bool {
				if ou.central > 0 && len(o.central) == 0 {
					return false
				}
				count := func(ti int) int {
					c := 0
					for typ := range x {
						if o.matches(targets[ti].When, typ) {
							c += x[typ] + y[typ]
						}
					}
					return c
				}
				for ti := range targets {
					if targets[ti].Scope == scenario.ScopeEach && inScope(ti, ui) && q.on(cid{kindTarget, ti, ui}) {
						if !targetOK(&targets[ti], count(ti), ou.final, ou.ms[ti], q.above[ti]) {
							return true
						}
					}
				}
				v := make([]int, len(national))
				for k, ti := range national {
					if inScope(ti, ui) {
						v[k] = count(ti)
					}
				}
				vecs[fmt.Sprint(v)] = v
				return true
			})
			return true
		})
		if ou.central > 0 && len(o.central) == 0 {
			vecs = nil
		}
		next := map[string][]int{}
		for _, a := range sums {
			for _, b := range vecs {
				s := make([]int, len(a))
				for i := range s {
					s[i] = a[i] + b[i]
				}
				next[fmt.Sprint(s)] = s
			}
		}
		sums = next
		if len(sums) == 0 {
			return false
		}
	}
	for _, s := range sums {
		ok := true
		for k, ti := range national {
			seats := 0
			for _, u := range o.sc.TargetUnits(&targets[ti]) {
				if q.units == nil || q.units[u] {
					seats += o.units[u].final
				}
			}
			if !targetOK(&targets[ti], s[k], seats, 0, 0) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// robustUnit decides whether unit ui has a ballot whose elected people meet
// every unit-level target whatever the voters do: the vote defeats exactly
// ballot − local names and the central candidates are of any type.
func (o *oracle) robustUnit(ui int) bool {
	ou := &o.units[ui]
	found := false
	var targets []int
	for ti := range o.sc.Targets {
		t := &o.sc.Targets[ti]
		scope := o.sc.TargetUnits(t)
		if t.Scope != scenario.ScopeEach && len(scope) != 1 {
			continue // national: not a unit-level target
		}
		for _, u := range scope {
			if u == ui {
				targets = append(targets, ti)
			}
		}
	}
	until := len(o.sc.Stages)
	if ou.electIdx >= 0 {
		until = ou.electIdx
		for si := ou.electIdx - 1; si >= 0; si-- {
			if o.sc.Stages[si].Select != nil {
				until = si
				break
			}
		}
	}
	extra := ou.ballot - ou.local
	multisets(ou.support, len(o.types), ou.ballot, func(b []int) bool {
		if !o.deliverable(ou, b, until, func(int) bool { return true }) {
			return true
		}
		ok := true
		// Every defeat set and every central composition.
		multisets(ou.support, len(o.types), extra, func(d []int) bool {
			for typ := range d {
				if d[typ] > b[typ] {
					return true
				}
			}
			return multisets(o.central, len(o.types), ou.central, func(y []int) bool {
				for _, ti := range targets {
					t := &o.sc.Targets[ti]
					c := 0
					for typ := range b {
						if o.matches(t.When, typ) {
							c += b[typ] - d[typ] + y[typ]
						}
					}
					if !targetOK(t, c, ou.final, ou.ms[ti], 0) {
						ok = false
						return false
					}
				}
				return true
			})
		})
		if ok {
			found = true
			return false
		}
		return true
	})
	return found
}

// randomScenario builds a small valid scenario.
func randomScenario(r *rand.Rand) *scenario.Scenario {
	f := func(x float64) *float64 { return &x }
	i := func(x int) *int { return &x }
	pick := func(xs ...float64) float64 { return xs[r.IntN(len(xs))] }
	sc := &scenario.Scenario{Name: "random", Run: scenario.RunSettings{Trials: 1, Seed: 1}}
	sc.Traits = []scenario.Trait{{Name: "g", Values: []string{"m", "f"}}, {Name: "e", Values: []string{"h", "n"}}}
	threeRoles := r.IntN(3) == 0
	if threeRoles {
		sc.Traits = append(sc.Traits, scenario.Trait{Name: "r", Values: []string{"x", "y", "z"}})
	}
	share2 := func(a, b string) map[string]float64 {
		p := pick(0, 0.3, 0.5, 0.7, 1)
		m := map[string]float64{}
		if p > 0 {
			m[a] = p
		}
		if p < 1 {
			m[b] = 1 - p
		}
		return m
	}
	sc.Pool = []scenario.TraitShares{{Trait: "g", Shares: share2("m", "f")}}
	if r.IntN(3) == 0 {
		sc.Pool = append(sc.Pool, scenario.TraitShares{Trait: "e", Given: "g", Conditional: map[string]map[string]float64{"m": share2("h", "n"), "f": share2("h", "n")}})
	} else {
		sc.Pool = append(sc.Pool, scenario.TraitShares{Trait: "e", Shares: share2("h", "n")})
	}
	if threeRoles {
		sc.Pool = append(sc.Pool, scenario.TraitShares{Trait: "r", Shares: map[string]float64{"x": 0.4, "y": 0.4, "z": 0.2}})
	}
	hasElect := r.IntN(6) != 0
	if hasElect && r.IntN(2) == 0 {
		sc.CentralPool = []scenario.TraitShares{{Trait: "g", Shares: share2("m", "f")}}
	}
	nUnits := 1 + r.IntN(3)
	for k := 0; k < nUnits; k++ {
		seats := 1 + r.IntN(4)
		u := scenario.Unit{Name: fmt.Sprintf("u%d", k), Group: []string{"a", "b"}[min(k, 1)*r.IntN(2)], Seats: seats, Members: 100}
		if hasElect {
			u.EntitledVoters = 10
			if seats > 1 && r.IntN(3) == 0 {
				u.Central = 1
			}
			u.Uncontested = r.IntN(4) == 0
		}
		if r.IntN(2) == 0 {
			u.Pool = []scenario.TraitShares{{Trait: "g", Shares: share2("m", "f")}}
		}
		if r.IntN(8) == 0 {
			u.Recommending = []scenario.RecommendingUnit{
				{Name: "r1", Weight: 1, Pool: []scenario.TraitShares{{Trait: "e", Shares: map[string]float64{"h": 1}}}},
				{Name: "r2", Weight: 1},
			}
		}
		if r.IntN(10) == 0 {
			u.FinitePool = true
			u.Members = int64(2*seats + r.IntN(6))
		}
		sc.Units = append(sc.Units, u)
		sc.Quota += seats
	}
	nom := &scenario.NominateStage{NominationMode: scenario.NominationMode{Mode: "expanded", Ratio: pick(0.5, 1)}}
	if r.IntN(4) == 0 {
		k := r.IntN(4)
		nom.Weights = []scenario.TraitWeights{{Trait: []string{"g", "g", "e", "e"}[k], Values: map[string]float64{[]string{"m", "f", "h", "n"}[k]: 0}}}
	}
	sc.Stages = []scenario.Stage{{Name: "nomination", Nominate: nom}}
	if r.IntN(3) == 0 {
		v := scenario.Veto{Reason: "political", Rate: pick(0.1, 1), When: scenario.Predicate{"e": {"n"}}}
		sc.Stages = append(sc.Stages, scenario.Stage{Name: "inspection", Filter: &scenario.FilterStage{Vetoes: []scenario.Veto{v}}})
	}
	prelim := scenario.Stage{Name: "preliminary", Select: &scenario.SelectStage{Size: scenario.ListSize{Surplus: f(0.5)}}}
	if r.IntN(4) == 0 {
		q := scenario.Quota{Name: "q", When: scenario.Predicate{"g": {"f"}}}
		if r.IntN(2) == 0 {
			q.Min = i(r.IntN(3))
		} else {
			q.Max = i(r.IntN(3))
		}
		prelim.Select.Quotas = []scenario.Quota{q}
	}
	sc.Stages = append(sc.Stages, prelim)
	if hasElect {
		sc.Stages = append(sc.Stages,
			scenario.Stage{Name: "reserve", Select: &scenario.SelectStage{Size: scenario.ListSize{Ballot: true}}},
			scenario.Stage{Name: "election", Elect: &scenario.ElectStage{Surplus: pick(0.2, 0.4), Strict: r.IntN(2) == 0,
				MajorityOf: "entitled", Quorum: 0.5, Turnout: 0.95, Voters: scenario.VoterModel{Approval: 0.8}}})
	}
	if r.IntN(5) == 0 {
		v := scenario.Veto{Reason: "review", Rate: pick(0.01, 1), When: scenario.Predicate{"g": {"m"}, "e": {"n"}}}
		sc.Stages = append(sc.Stages, scenario.Stage{Name: "review", Filter: &scenario.FilterStage{Vetoes: []scenario.Veto{v}}})
	}
	preds := []scenario.Predicate{{"g": {"f"}}, {"e": {"n"}}, {"g": {"f"}, "e": {"n"}}, {"g": {"m"}}, {"e": {"h"}}}
	if threeRoles {
		preds = append(preds, scenario.Predicate{"r": {"x"}}, scenario.Predicate{"r": {"y"}})
	}
	nt := 1 + r.IntN(3)
	for k := 0; k < nt; k++ {
		t := scenario.Target{Name: fmt.Sprintf("t%d", k), When: preds[r.IntN(len(preds))], Scope: []scenario.Scope{scenario.ScopeEach, scenario.ScopeTotal}[r.IntN(2)], Strict: r.IntN(3) == 0}
		switch r.IntN(6) {
		case 0:
			t.MinShare = f(pick(0.2, 0.3, 0.5, 0.6, 1.0/3))
		case 1:
			t.MaxShare = f(pick(0.2, 0.4, 0.5, 2.0/3))
		case 2:
			t.MinCount = i(r.IntN(3))
		case 3:
			t.MaxCount = i(r.IntN(3))
		case 4:
			t.MinShare, t.MaxShare = f(pick(0.2, 0.3)), f(pick(0.4, 0.5))
		default:
			t.AboveMemberShare, t.Scope = true, "each"
		}
		if r.IntN(3) == 0 {
			t.Groups = []string{"a"}
		}
		sc.Targets = append(sc.Targets, t)
	}
	return sc
}

// loadRandom validates a random scenario through the real loader; it
// returns nil when the scenario is invalid.
func loadRandom(sc *scenario.Scenario) *scenario.Scenario {
	data, err := yaml.Marshal(toTree(reflect.ValueOf(sc)))
	if err != nil {
		return nil
	}
	out, err := scenario.Load("random", data, scenario.Options{})
	if err != nil {
		return nil
	}
	return out
}

// toTree converts a scenario struct into the generic tree a YAML file
// would give, by the yaml tags, leaving out zero-valued fields (the loader
// rejects, say, an empty conditional next to shares). Map values are kept
// even when zero: a share or weight of 0 means something.
func toTree(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return toTree(v.Elem())
	case reflect.Struct:
		out := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			fv := v.Field(i)
			if opts == "inline" {
				for k, e := range toTree(fv).(map[string]any) {
					out[k] = e
				}
				continue
			}
			if name == "" || name == "-" || fv.IsZero() {
				continue
			}
			if e := toTree(fv); e != nil {
				out[name] = e
			}
		}
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toTree(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		out := map[string]any{}
		for _, k := range v.MapKeys() {
			e := toTree(v.MapIndex(k))
			if e == nil && v.MapIndex(k).Kind() == reflect.Map {
				e = map[string]any{}
			}
			out[k.String()] = e
		}
		return out
	}
	return v.Interface()
}

// applyRepairs returns the targets and member-share offsets after the given
// relaxations, read back from their stated To values.
func applyRepairs(sc *scenario.Scenario, rs []Relaxation) ([]scenario.Target, map[int]float64) {
	ts := make([]scenario.Target, len(sc.Targets))
	copy(ts, sc.Targets)
	above := map[int]float64{}
	for _, r := range rs {
		if r.target < 0 {
			continue // a list change, not a target's
		}
		t := &ts[r.target]
		switch r.Bound {
		case "min_share":
			v, _ := strconv.ParseFloat(r.To, 64)
			t.MinShare = &v
		case "max_share":
			v, _ := strconv.ParseFloat(r.To, 64)
			t.MaxShare = &v
		case "min_count":
			v, _ := strconv.Atoi(r.To)
			t.MinCount = &v
			if r.Drop {
				t.MinCount, t.Strict = nil, false
			}
		case "max_count":
			if r.Drop {
				t.MaxCount = nil
			} else {
				v, _ := strconv.Atoi(r.To)
				t.MaxCount = &v
			}
		case "above_member_share":
			if r.Drop {
				t.AboveMemberShare = false
			} else {
				v, _ := strconv.ParseFloat(strings.TrimPrefix(r.To, "members' share − "), 64)
				above[r.target] = v
			}
		}
		if r.Drop && (r.Bound == "min_share") {
			t.MinShare = nil
		}
		if r.Drop && (r.Bound == "max_share") {
			t.MaxShare = nil
		}
	}
	return ts, above
}

// robustNational decides whether ballots exist in every unit such that
// every national target (scope total over more than one unit) holds
// whatever the voters do, and every unit with unitOK set also meets its
// unit-level targets whatever they do. Per target the worst case is chosen
// separately in every unit: the fewest matching elected for a minimum, the
// most for a maximum.
func (o *oracle) robustNational(unitOK []bool) bool {
	sc := o.sc
	var national []int
	for ti := range sc.Targets {
		if sc.Targets[ti].Scope != scenario.ScopeEach && len(sc.TargetUnits(&sc.Targets[ti])) > 1 {
			national = append(national, ti)
		}
	}
	inScope := func(ti, u int) bool {
		for _, x := range sc.TargetUnits(&sc.Targets[ti]) {
			if x == u {
				return true
			}
		}
		return false
	}
	// sums of [worst min, worst max] per national target.
	sums := map[string][]int{fmt.Sprint(make([]int, 2*len(national))): make([]int, 2*len(national))}
	for ui := range o.units {
		ou := &o.units[ui]
		var unitTargets []int
		for ti := range sc.Targets {
			t := &sc.Targets[ti]
			scope := sc.TargetUnits(t)
			if (t.Scope == scenario.ScopeEach || len(scope) == 1) && inScope(ti, ui) {
				unitTargets = append(unitTargets, ti)
			}
		}
		until := len(sc.Stages)
		if ou.electIdx >= 0 {
			until = ou.electIdx
			for si := ou.electIdx - 1; si >= 0; si-- {
				if sc.Stages[si].Select != nil {
					until = si
					break
				}
			}
		}
		extra := ou.ballot - ou.local
		vecs := map[string][]int{}
		multisets(ou.support, len(o.types), ou.ballot, func(b []int) bool {
			if !o.deliverable(ou, b, until, func(int) bool { return true }) {
				return true
			}
			if unitOK[ui] {
				for _, ti := range unitTargets {
					if !o.robustAlone(ui, ti, b) {
						return true
					}
				}
			}
			v := make([]int, 2*len(national))
			for k, ti := range national {
				if !inScope(ti, ui) {
					continue
				}
				lo, hi := 1<<30, -1
				multisets(ou.support, len(o.types), extra, func(d []int) bool {
					for typ := range d {
						if d[typ] > b[typ] {
							return true
						}
					}
					return multisets(o.central, len(o.types), ou.central, func(y []int) bool {
						c := 0
						for typ := range b {
							if o.matches(sc.Targets[ti].When, typ) {
								c += b[typ] - d[typ] + y[typ]
							}
						}
						lo, hi = min(lo, c), max(hi, c)
						return true
					})
				})
				v[2*k], v[2*k+1] = lo, hi
			}
			vecs[fmt.Sprint(v)] = v
			return true
		})
		next := map[string][]int{}
		for _, a := range sums {
			for _, b := range vecs {
				s := make([]int, len(a))
				for i := range s {
					s[i] = a[i] + b[i]
				}
				next[fmt.Sprint(s)] = s
			}
		}
		sums = next
	}
	for _, s := range sums {
		ok := true
		for k, ti := range national {
			seats := 0
			for _, u := range sc.TargetUnits(&sc.Targets[ti]) {
				seats += o.units[u].final
			}
			t := sc.Targets[ti]
			// The minimum side against the fewest, the maximum side against the most.
			tMin, tMax := t, t
			tMin.MaxCount, tMin.MaxShare = nil, nil
			tMax.MinCount, tMax.MinShare = nil, nil
			if !targetOK(&tMin, s[2*k], seats, 0, 0) || !targetOK(&tMax, s[2*k+1], seats, 0, 0) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
