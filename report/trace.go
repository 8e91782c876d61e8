package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"simulate/scenario"
	"simulate/sim"
	"simulate/workflow"
)

// Languages of the trace narrative.
const (
	LangEn = "en"
	LangZh = "zh"
)

// TraceLog is one traced trial: who ran it, the outcome of the whole trial
// and the events of the units narrated, in the order the engine emitted them.
// It is what `simulate trace --format json` writes; [TraceText] renders the
// same narrative from a decoded log as from a fresh one, so a program can
// replay it.
type TraceLog struct {
	Scenario string `json:"scenario"`
	Hash     string `json:"scenario_sha256"`
	Seed     uint64 `json:"seed"`
	// Trial is the trial number: trial N of a trace is trial N of `simulate run`
	// with the same seed (trials are numbered from 0).
	Trial   uint64 `json:"trial"`
	Version string `json:"version"`
	// Units are the units whose events the log holds, in scenario order.
	Units []string `json:"units"`
	// Outcome is computed from every unit of the trial, narrated or not.
	Outcome TraceOutcome `json:"outcome"`
	Events  []sim.Event  `json:"events"`
}

// TraceOutcome is the result of one trial: seats filled and every target.
type TraceOutcome struct {
	Seats   int           `json:"seats"`
	Seated  int           `json:"seated"`
	Targets []TraceTarget `json:"targets"`
}

// TraceTarget says whether a target was met in the traced trial. Count and Of
// are the matching people and the list size over the units in scope (summed
// for scope each, whose verdict is per unit).
type TraceTarget struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	Met   bool   `json:"met"`
	Count int    `json:"count"`
	Of    int    `json:"of"`
	// MissedIn lists the units that missed a target of scope each.
	MissedIn []string `json:"missed_in,omitempty"`
}

// NewTraceLog replays the events of a whole trial (from [sim.Trace]) to
// compute its outcome and keeps the events of the named units (all units
// when units is empty).
func NewTraceLog(sc *scenario.Scenario, events []sim.Event, seed, trial uint64, version string, units []string) (*TraceLog, error) {
	rp, err := replay(sc, events)
	if err != nil {
		return nil, err
	}
	log := &TraceLog{Scenario: sc.Name, Hash: sc.Hash(), Seed: seed, Trial: trial, Version: version}
	keep := map[string]bool{}
	for _, u := range units {
		keep[u] = true
	}
	for _, u := range sc.Units {
		if len(units) == 0 || keep[u.Name] {
			log.Units = append(log.Units, u.Name)
		}
	}
	for _, e := range events {
		if len(units) == 0 || keep[e.Unit] {
			log.Events = append(log.Events, e)
		}
	}
	log.Outcome = rp.outcome()
	return log, nil
}

// TraceJSON writes the log as one indented JSON object.
func TraceJSON(w io.Writer, log *TraceLog) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// ---------------------------------------------------------------------------
// Replay: rebuild every unit's lists from the events.

// tperson is one person of a traced list, as the engine describes them.
type tperson struct {
	desc    string
	values  []string // one value per trait
	central bool
}

const centralTag = "centrally nominated"

func parsePerson(desc string, nTraits int) tperson {
	parts := strings.Split(desc, ", ")
	p := tperson{desc: desc}
	if len(parts) > nTraits && parts[len(parts)-1] == centralTag {
		p.central = true
		parts = parts[:len(parts)-1]
	}
	p.values = parts
	return p
}

// ballotRound is one vote of a congress: the first, a re-vote of a tie or a
// further round.
type ballotRound struct {
	kind  string // first, revote, further
	move  *sim.Event
	votes []sim.Event
}

type stageTrace struct {
	idx       int
	recorded  bool
	entered   int
	left      int
	nominated []tperson
	drops     []sim.Event
	congress  *sim.Event
	rounds    []*ballotRound
	// moves are the unit transitions fired while or after the stage ran,
	// except further rounds, which belong to their ballot round.
	moves   []sim.Event
	in, out []tperson
	failed  bool
}

type unitTrace struct {
	idx    int
	start  []sim.Event
	stages []*stageTrace
	failed bool
}

type replayed struct {
	sc    *scenario.Scenario
	units []*unitTrace
}

func replay(sc *scenario.Scenario, events []sim.Event) (*replayed, error) {
	unitIdx := map[string]int{}
	for i, u := range sc.Units {
		unitIdx[u.Name] = i
	}
	stageIdx := map[string]int{}
	for i, s := range sc.Stages {
		stageIdx[s.Name] = i
	}
	rp := &replayed{sc: sc, units: make([]*unitTrace, len(sc.Units))}
	for i := range rp.units {
		ut := &unitTrace{idx: i, stages: make([]*stageTrace, len(sc.Stages))}
		for s := range ut.stages {
			ut.stages[s] = &stageTrace{idx: s}
		}
		rp.units[i] = ut
	}
	current := make([]int, len(sc.Units)) // stage last referenced, -1: none
	for i := range current {
		current[i] = -1
	}
	nt := len(sc.Traits)
	for k := range events {
		e := events[k]
		u, ok := unitIdx[e.Unit]
		if !ok {
			return nil, fmt.Errorf("trace: event %d names unknown unit %q", k, e.Unit)
		}
		ut := rp.units[u]
		var st *stageTrace
		if e.Stage != "" {
			s, ok := stageIdx[e.Stage]
			if !ok {
				return nil, fmt.Errorf("trace: event %d names unknown stage %q", k, e.Stage)
			}
			st = ut.stages[s]
			current[u] = s
		}
		switch e.Kind {
		case sim.EventUnitStart:
		case sim.EventUnitTransition:
			switch {
			case current[u] < 0:
				ut.start = append(ut.start, e)
			case strings.HasPrefix(e.Trigger, workflow.PrefixFurtherRound):
				cs := ut.stages[current[u]]
				cs.rounds = append(cs.rounds, &ballotRound{kind: "further", move: &events[k]})
			default:
				cs := ut.stages[current[u]]
				cs.moves = append(cs.moves, e)
				if e.Trigger == workflow.TriggerFail {
					cs.failed, ut.failed = true, true
				}
			}
		case sim.EventCandidate:
			if st == nil {
				return nil, fmt.Errorf("trace: candidate event %d has no stage", k)
			}
			if sc.Stages[st.idx].Nominate != nil {
				st.nominated = append(st.nominated, parsePerson(e.Person, nt))
			} else {
				st.drops = append(st.drops, e)
			}
		case sim.EventStageDone:
			st.recorded, st.entered, st.left = true, e.Entered, e.Left
		case sim.EventCongress:
			st.congress = &events[k]
			st.rounds = append(st.rounds, &ballotRound{kind: "first"})
		case sim.EventRevote:
			st.rounds = append(st.rounds, &ballotRound{kind: "revote", move: &events[k]})
		case sim.EventVote:
			if len(st.rounds) == 0 {
				st.rounds = append(st.rounds, &ballotRound{kind: "first"})
			}
			r := st.rounds[len(st.rounds)-1]
			r.votes = append(r.votes, e)
		}
	}
	for _, ut := range rp.units {
		var cur []tperson
		for _, st := range ut.stages {
			if !st.recorded {
				continue
			}
			switch {
			case sc.Stages[st.idx].Nominate != nil:
				st.in = cur
				st.out = append(slices.Clone(cur), st.nominated...)
			case sc.Stages[st.idx].Elect != nil:
				st.in = slices.Clone(cur)
				if len(st.rounds) > 0 {
					for _, v := range st.rounds[0].votes {
						if p := parsePerson(v.Person, nt); p.central {
							st.in = append(st.in, p)
						}
					}
				}
				st.out = remove(st.in, st.drops)
			default:
				st.in = cur
				st.out = remove(cur, st.drops)
			}
			if st.failed {
				st.out = nil
			}
			cur = st.out
		}
	}
	return rp, nil
}

// remove returns list without one person per drop event, keeping order.
func remove(list []tperson, drops []sim.Event) []tperson {
	out := slices.Clone(list)
	for _, d := range drops {
		for i := range out {
			if out[i].desc == d.Person {
				out = slices.Delete(out, i, i+1)
				break
			}
		}
	}
	return out
}

// final is the list after the last stage in unit u (empty when the unit
// failed before reaching it).
func (rp *replayed) final(u int) []tperson {
	stages := rp.units[u].stages
	if last := stages[len(stages)-1]; last.recorded {
		return last.out
	}
	return nil
}

func (rp *replayed) traitIndex(name string) int {
	for i, t := range rp.sc.Traits {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// matches reports whether p satisfies the predicate.
func (rp *replayed) matches(p tperson, pred scenario.Predicate) bool {
	for trait, vals := range pred {
		t := rp.traitIndex(trait)
		if t < 0 || t >= len(p.values) || !slices.Contains(vals, p.values[t]) {
			return false
		}
	}
	return true
}

func (rp *replayed) count(list []tperson, pred scenario.Predicate) int {
	n := 0
	for _, p := range list {
		if rp.matches(p, pred) {
			n++
		}
	}
	return n
}

// memberShare is the share of unit u's members matching pred: the sum, over
// every type (one value per trait), of the product of the pool's shares.
func (rp *replayed) memberShare(u int, pred scenario.Predicate) float64 {
	sc := rp.sc
	pool := scenario.MergePool(sc.Pool, sc.Units[u].Pool)
	byTrait := map[string]scenario.TraitShares{}
	for _, ts := range pool {
		byTrait[ts.Trait] = ts
	}
	values := make([]string, len(sc.Traits))
	var walk func(t int, p float64) float64
	walk = func(t int, p float64) float64 {
		if p == 0 {
			return 0
		}
		if t == len(sc.Traits) {
			if rp.matches(tperson{values: values}, pred) {
				return p
			}
			return 0
		}
		total := 0.0
		ts := byTrait[sc.Traits[t].Name]
		for _, v := range sc.Traits[t].Values {
			values[t] = v
			share := ts.Shares[v]
			if ts.Given != "" {
				share = ts.Conditional[values[rp.traitIndex(ts.Given)]][v]
			}
			total += walk(t+1, p*share)
		}
		return total
	}
	return walk(0, 1)
}

func (rp *replayed) outcome() TraceOutcome {
	sc := rp.sc
	o := TraceOutcome{Seats: sc.Quota}
	for u := range sc.Units {
		o.Seated += len(rp.final(u))
	}
	for i := range sc.Targets {
		t := &sc.Targets[i]
		tt := TraceTarget{Name: t.Name, Label: t.Label, Met: true}
		for _, u := range sc.TargetUnits(t) {
			list := rp.final(u)
			c := rp.count(list, t.When)
			tt.Count += c
			tt.Of += len(list)
			if t.Scope == scenario.ScopeEach {
				share := 0.0
				if t.AboveMemberShare {
					share = rp.memberShare(u, t.When)
				}
				if !t.Holds(c, len(list), share) {
					tt.Met = false
					tt.MissedIn = append(tt.MissedIn, sc.Units[u].Name)
				}
			}
		}
		if t.Scope != scenario.ScopeEach {
			tt.Met = t.Holds(tt.Count, tt.Of, 0)
		}
		o.Targets = append(o.Targets, tt)
	}
	return o
}

// ---------------------------------------------------------------------------
// Narrative.

// TraceText narrates the log stage by stage in the given language (en or zh):
// every transition of each unit's machine, the size and trait make-up of the
// list entering and leaving each stage, who was dropped and why, the congress
// and every ballot round with votes and thresholds, and the trial's outcome.
func TraceText(w io.Writer, sc *scenario.Scenario, log *TraceLog, lang string) error {
	if lang != LangEn && lang != LangZh {
		return fmt.Errorf("unknown language %q (want en or zh)", lang)
	}
	if log.Scenario != sc.Name {
		return fmt.Errorf("the trace is of scenario %q, not %q", log.Scenario, sc.Name)
	}
	wf, err := workflow.Build(sc)
	if err != nil {
		return err
	}
	rp, err := replay(sc, log.Events)
	if err != nil {
		return err
	}
	n := &narrator{ew: &errWriter{w: w}, sc: sc, wf: wf, zh: lang == LangZh, rp: rp}
	n.header(log)
	for _, name := range log.Units {
		for u := range sc.Units {
			if sc.Units[u].Name == name {
				n.unit(u)
			}
		}
	}
	n.outcome(log)
	return n.ew.err
}

type narrator struct {
	ew *errWriter
	sc *scenario.Scenario
	wf *workflow.Workflow
	zh bool
	rp *replayed
}

func (n *narrator) t(en, zh string) string {
	if n.zh {
		return zh
	}
	return en
}

func (n *narrator) printf(format string, args ...any) { n.ew.printf(format, args...) }

// zhNames translates the identifiers the default scenarios use.
var zhNames = map[string]string{
	// unit states, stages
	"allocated": "名额已分配", "done": "完成", "failed": "未完成",
	"nomination": "推荐提名", "inspection": "组织考察", "publicity": "公示",
	"election": "差额选举", "review": "资格审查", "slate": "候选人名单", "eligibility": "资格审核",
	"further_round_election": "另行选举",
	// candidate states
	"member": "党员", "nominated": "被推荐人选", "not_nominated": "未被推荐",
	"inspected": "考察合格", "vetoed": "考察未通过",
	"preliminary": "初步人选", "not_selected_preliminary": "未列入初步人选", "not_preliminary": "未列入初步人选",
	"publicised": "公示无异议", "objected": "公示有异议",
	"reserve": "预备人选", "not_selected_reserve": "未列入预备人选", "not_reserve": "未列入预备人选",
	"elected": "当选", "defeated": "落选", "seated": "代表资格确认", "disqualified": "代表资格未确认",
	// reasons
	"political": "政治把关一票否决", "integrity": "廉洁问题", "identity": "身份不实", "regulator": "监管部门意见",
	"objection": "公示期间有异议", "not selected": "未入选", "recommended": "被推荐",
	"arrears": "欠缴会费", "conflict_of_interest": "利益冲突",
	// trait values
	"male": "男", "female": "女", "man": "男", "woman": "女", "nonbinary": "非二元",
	"front_line": "一线", "cadre": "领导干部", "other": "其他",
	"le45": "45岁及以下", "over45": "45岁以上", "a46_55": "46–55岁", "ge56": "56岁及以上",
	"han": "汉族", "minority": "少数民族",
	"worker": "工人", "farmer": "农民", "professional": "专业技术人员", "manager": "企业管理人员",
	"official": "党政干部", "soldier": "军人", "student": "学生", "retired": "离退休",
	"below_college": "大专以下", "college": "大专", "university": "大学本科", "postgraduate": "研究生",
	centralTag: "中央提名",
}

// enReasons spells out why people were dropped.
var enReasons = map[string]string{
	"political":    "political veto",
	"integrity":    "integrity",
	"identity":     "identity (false front-line status)",
	"regulator":    "regulator's opinion",
	"objection":    "objection at the public notice",
	"review":       "not seated (qualification review)",
	"not selected": "not selected",
	"defeated":     "defeated",
}

// zhReasons overrides zhNames where a reason and a stage share a name.
var zhReasons = map[string]string{"review": "资格审查未通过，不予确认", "defeated": "落选"}

// name renders an identifier: as is in English, translated with the
// identifier in brackets in Chinese.
func (n *narrator) name(id string) string {
	if !n.zh {
		return id
	}
	if z, ok := zhNames[id]; ok {
		return z + "（" + id + "）"
	}
	return id
}

func (n *narrator) value(v string) string {
	if n.zh {
		if z, ok := zhNames[v]; ok {
			return z
		}
	}
	return v
}

func (n *narrator) reason(r string) string {
	if n.zh {
		if z, ok := zhReasons[r]; ok {
			return z
		}
		if z, ok := zhNames[r]; ok {
			return z
		}
		return r
	}
	if e, ok := enReasons[r]; ok {
		return e
	}
	return r
}

func (n *narrator) stageName(i int) string {
	st := &n.sc.Stages[i]
	if n.zh {
		z := st.LabelZh
		if z == "" {
			z = zhNames[st.Name]
		}
		if z == "" {
			return st.Name
		}
		return z + "（" + st.Name + "）"
	}
	if st.Label != "" {
		return st.Label + " (" + st.Name + ")"
	}
	return st.Name
}

func (n *narrator) traitName(i int) string {
	t := &n.sc.Traits[i]
	if n.zh && t.LabelZh != "" {
		return t.LabelZh
	}
	return t.Name
}

func (n *narrator) unitName(u int) string {
	un := &n.sc.Units[u]
	if un.NameZh == "" {
		return un.Name
	}
	if n.zh {
		return un.NameZh + "（" + un.Name + "）"
	}
	return un.Name + " (" + un.NameZh + ")"
}

func (n *narrator) person(p tperson) string {
	parts := make([]string, 0, len(p.values)+1)
	for _, v := range p.values {
		parts = append(parts, n.value(v))
	}
	if p.central {
		parts = append(parts, n.value(centralTag))
	}
	sep := ", "
	if n.zh {
		sep = "，"
	}
	return strings.Join(parts, sep)
}

func (n *narrator) header(log *TraceLog) {
	title := n.sc.Title
	if title == "" {
		title = n.sc.Name
	}
	n.printf(n.t("Trace of one trial — %s: %s\n", "单次模拟过程 — %s：%s\n"), n.sc.Name, title)
	n.printf(n.t("trial %[1]d, seed %[2]d: exactly trial %[1]d of `simulate run` with seed %[2]d (trials count from 0)\n",
		"第 %[1]d 次试验，种子 %[2]d：与 `simulate run` 种子 %[2]d 的第 %[1]d 次试验完全相同（试验从 0 开始编号）\n"),
		log.Trial, log.Seed)
	n.printf(n.t("scenario sha256 %s; simulate %s\n", "场景 sha256 %s；simulate %s\n"), short(log.Hash), log.Version)
	if len(log.Units) < len(n.sc.Units) {
		n.printf(n.t("narrating %d of %d units (choose with --unit NAME, or --unit all)\n",
			"只叙述 %d 个选举单位（共 %d 个；用 --unit 名称 选择，或 --unit all）\n"), len(log.Units), len(n.sc.Units))
	}
}

func (n *narrator) move(e sim.Event) {
	n.printf(n.t("   unit machine: %s --%s--> %s\n", "   单位状态机：%s —%s→ %s\n"), n.name(e.From), e.Trigger, n.name(e.To))
}

func (n *narrator) unit(u int) {
	un := &n.sc.Units[u]
	ut := n.rp.units[u]
	n.printf("\n")
	if un.EntitledVoters > 0 {
		n.printf(n.t("== Unit %s: %d seats, %d entitled voters\n", "== 选举单位 %s：%d 个名额，应到选举人 %d 名\n"),
			n.unitName(u), un.Seats, un.EntitledVoters)
	} else {
		n.printf(n.t("== Unit %s: %d seats\n", "== 选举单位 %s：%d 个名额\n"), n.unitName(u), un.Seats)
	}
	if un.Central > 0 {
		n.printf(n.t("   %d of the seats go to centrally nominated candidates, who join at the ballot\n",
			"   其中 %d 个名额由中央提名的候选人在选举时加入\n"), un.Central)
	}
	for _, e := range ut.start {
		n.move(e)
	}
	for _, st := range ut.stages {
		if st.recorded {
			n.stage(u, st)
		}
	}
}

// makeup writes the size and trait make-up of a list, with the change from
// before when before is not nil.
func (n *narrator) makeup(label string, list, before []tperson) {
	n.printf("   %s %d", label, len(list))
	if len(list) == 0 && before == nil {
		n.printf("\n")
		return
	}
	for t := range n.sc.Traits {
		var parts []string
		for _, v := range n.sc.Traits[t].Values {
			c, b := 0, 0
			for _, p := range list {
				if t < len(p.values) && p.values[t] == v {
					c++
				}
			}
			for _, p := range before {
				if t < len(p.values) && p.values[t] == v {
					b++
				}
			}
			if c == 0 && b == 0 {
				continue
			}
			s := fmt.Sprintf("%s %d", n.value(v), c)
			if before != nil && c != b {
				s += fmt.Sprintf(" (%+d)", c-b)
			}
			parts = append(parts, s)
		}
		if len(parts) > 0 {
			n.printf(" | %s: %s", n.traitName(t), strings.Join(parts, ", "))
		}
	}
	central := 0
	for _, p := range list {
		if p.central {
			central++
		}
	}
	if central > 0 {
		n.printf(n.t(" | %d centrally nominated", " | 中央提名 %d"), central)
	}
	n.printf("\n")
}

func (n *narrator) stage(u int, st *stageTrace) {
	sc := n.sc
	s := st.idx
	stage := &sc.Stages[s]
	un := &sc.Units[u]
	n.printf(n.t("\n-- Stage %d of %d: %s [%s]\n", "\n-- 第 %d 阶段（共 %d 个）：%s [%s]\n"),
		s+1, len(sc.Stages), n.stageName(s), stage.Kind())
	local := un.Seats - un.Central
	switch {
	case stage.Nominate != nil:
		mode := stage.Nominate.NominationMode
		if un.Nomination != nil {
			mode = *un.Nomination
		}
		want := scenario.NomineeCount(mode, local)
		switch mode.Mode {
		case scenario.ModeExpanded:
			n.printf(n.t("   expanded nomination: %d local seats + %g%% = %d names; %d recommended\n",
				"   扩大比例推荐：%d 个名额 + %g%% = %d 人；实际推荐 %d 人\n"), local, 100*mode.Ratio, want, len(st.nominated))
		case scenario.ModeCombined:
			n.printf(n.t("   combined nomination: %d names for %d local seats; %d recommended\n",
				"   结合推荐：%d 个名额推荐 %d 人（应推荐 %[1]d 人）；实际推荐 %[3]d 人\n"), want, local, len(st.nominated))
		default:
			n.printf(n.t("   full nomination: as many names as the %d local seats; %d recommended\n",
				"   全额推荐：按 %d 个名额推荐；实际推荐 %d 人\n"), local, len(st.nominated))
		}
		n.makeup(n.t("list out", "推荐名单"), st.out, nil)
	case stage.Elect != nil:
		n.makeup(n.t("list in ", "进入名单"), st.in, nil)
		n.election(u, st)
		n.drops(st)
		n.makeup(n.t("list out", "产生名单"), st.out, st.in)
	default:
		n.makeup(n.t("list in ", "进入名单"), st.in, nil)
		if stage.Select != nil {
			k := sc.ListSize(stage.Select.Size, un)
			n.printf(n.t("   the committee keeps %d of %d (%s)\n", "   从 %[2]d 人中确定 %[1]d 人（%[3]s）\n"),
				min(k, len(st.in)), len(st.in), n.sizeRule(stage.Select.Size, un, k))
			if len(st.in) < k {
				n.printf(n.t("   only %d available: %d places left unfilled\n", "   只有 %d 人可选：%d 个位置空缺\n"), len(st.in), k-len(st.in))
			}
		}
		n.drops(st)
		n.makeup(n.t("list out", "产生名单"), st.out, st.in)
	}
	if st.left != len(st.out) {
		n.printf(n.t("   (the engine reports %d leaving this stage)\n", "   （引擎记录本阶段产生 %d 人）\n"), st.left)
	}
	n.candidateMoves(s, st)
	for _, e := range st.moves {
		n.move(e)
	}
}

func (n *narrator) sizeRule(size scenario.ListSize, un *scenario.Unit, k int) string {
	local := un.Seats - un.Central
	switch {
	case size.Count != nil:
		return n.t(fmt.Sprintf("a fixed %d", k), fmt.Sprintf("固定 %d 人", k))
	case size.Ballot:
		return n.t(fmt.Sprintf("sized for the ballot: %d seats + %d", local, k-local),
			fmt.Sprintf("按选举差额确定：%d 个名额 + %d", local, k-local))
	case size.Surplus != nil:
		return n.t(fmt.Sprintf("%d seats + %g%% surplus = %d", local, 100**size.Surplus, k),
			fmt.Sprintf("%d 个名额，差额 %g%%，共 %d 人", local, 100**size.Surplus, k))
	}
	return fmt.Sprint(k)
}

func (n *narrator) drops(st *stageTrace) {
	if len(st.drops) == 0 {
		return
	}
	stage := &n.sc.Stages[st.idx]
	head := n.t("dropped", "淘汰")
	switch {
	case stage.Filter != nil:
		head = n.t("removed", "被否决或移出")
	case stage.Select != nil:
		head = n.t("not selected", "未入选")
	case stage.Elect != nil:
		head = n.t("defeated", "落选")
	}
	n.printf("   %s %d:\n", head, len(st.drops))
	for _, d := range st.drops {
		p := parsePerson(d.Person, len(n.sc.Traits))
		line := "     - " + n.person(p)
		switch {
		case stage.Elect != nil:
			line += fmt.Sprintf(n.t(" — %d votes", " — %d 票"), d.Votes)
		case stage.Select != nil && d.Reason == "not selected":
		default:
			line += " — " + n.reason(d.Reason)
		}
		n.printf("%s\n", line)
	}
}

func (n *narrator) candidateMoves(s int, st *stageTrace) {
	wf := n.wf
	cm := wf.Candidate
	from := cm.States[wf.CandidateMember()]
	if s > 0 && n.sc.Stages[s].Nominate == nil {
		from = cm.States[wf.CandidatePassState(s-1)]
	}
	pass := cm.Triggers[wf.CandidatePass(s)]
	drop := cm.Triggers[wf.CandidateDrop(s)]
	passTo := n.name(cm.States[wf.CandidatePassState(s)])
	dropTo := n.name(cm.States[wf.CandidateDropState(s)])
	// Everyone not elected in the first round enters the further round, so
	// when one was held every defeated name left from there.
	further := 0
	for _, r := range st.rounds {
		if r.kind == "further" {
			further = len(r.votes)
			break
		}
	}
	var parts []string
	add := func(from, trigger, to string, k int) {
		if k > 0 {
			parts = append(parts, fmt.Sprintf("%s --%s--> %s ×%d", n.name(from), trigger, to, k))
		}
	}
	if fr := wf.CandidateFurtherRound(s); fr != workflow.NoTrigger && further > 0 {
		fs := cm.States[wf.CandidateFurtherRoundState(s)]
		add(from, cm.Triggers[fr], n.name(fs), further)
		add(from, pass, passTo, len(st.out)-(further-len(st.drops)))
		add(fs, pass, passTo, further-len(st.drops))
		add(fs, drop, dropTo, len(st.drops))
	} else {
		add(from, pass, passTo, len(st.out))
		add(from, drop, dropTo, len(st.drops))
	}
	if len(parts) == 0 {
		return
	}
	n.printf(n.t("   candidate machine: %s\n", "   候选人状态机：%s\n"), strings.Join(parts, "; "))
}

// verdict is one name's result in a ballot round.
type verdict int

const (
	vElected verdict = iota
	vBelow
	vOutranked
	vTied
)

// judge applies the counting rule to one round: more than half of the base
// voters (at least threshold votes) to pass; when more pass than seats, the
// most votes win and a tie at the last seat is re-voted or drawn by lot.
func judge(votes []sim.Event) []verdict {
	out := make([]verdict, len(votes))
	var pass []int
	for i, v := range votes {
		if v.Votes >= v.Threshold {
			pass = append(pass, i)
		} else {
			out[i] = vBelow
		}
	}
	if len(votes) == 0 {
		return out
	}
	seats := votes[0].Seats
	if len(pass) <= seats {
		return out
	}
	slices.SortStableFunc(pass, func(a, b int) int { return votes[b].Votes - votes[a].Votes })
	last := votes[pass[seats-1]].Votes
	sure, tied := 0, 0
	for _, i := range pass {
		switch {
		case votes[i].Votes > last:
			sure++
		case votes[i].Votes == last:
			tied++
		}
	}
	for _, i := range pass {
		switch {
		case votes[i].Votes > last:
			out[i] = vElected
		case votes[i].Votes == last && sure+tied > seats:
			out[i] = vTied
		case votes[i].Votes == last:
			out[i] = vElected
		default:
			out[i] = vOutranked
		}
	}
	return out
}

func (n *narrator) election(u int, st *stageTrace) {
	sc := n.sc
	un := &sc.Units[u]
	e := sc.Stages[st.idx].Elect
	if c := st.congress; c != nil {
		quorum := scenario.FloorMul(e.Quorum, c.Entitled) + 1
		ok := c.Present >= quorum
		verdict := n.t("met", "达到")
		if !ok {
			verdict = n.t("NOT met: the congress cannot elect, every seat stays vacant", "未达到：大会不能进行选举，全部名额空缺")
		}
		n.printf(n.t("   congress: %d of %d entitled voters present; quorum (more than %g%%: at least %d) %s\n",
			"   大会：应到 %[2]d 人，实到 %[1]d 人；法定人数（超过 %[3]g%%：至少 %[4]d 人）%[5]s\n"),
			c.Present, c.Entitled, 100*e.Quorum, quorum, verdict)
		local := c.Candidates - un.Central
		extra := sc.BallotExtra(un)
		rule := n.t("at least", "不少于")
		if e.Strict {
			rule = n.t("more than", "多于")
		}
		if un.Uncontested {
			n.printf(n.t("   ballot: %d names for %d seats — an uncontested (equal-number) vote\n",
				"   选票：%d 名候选人，%d 个名额 — 等额选举\n"), c.Candidates, c.Seats)
		} else {
			n.printf(n.t("   ballot: %d names for %d seats; %d local names for %d local seats (required surplus: %s %g%%, i.e. %d extra)\n",
				"   选票：%d 名候选人，%d 个名额；本地候选人 %d 名对 %d 个本地名额（差额要求：%s %g%%，即多 %d 人）\n"),
				c.Candidates, c.Seats, local, un.Seats-un.Central, rule, 100*e.Surplus, extra)
		}
		if len(st.rounds) > 0 && len(st.rounds[0].votes) > 0 {
			th := st.rounds[0].votes[0].Threshold
			if e.MajorityOf == scenario.MajorityPresent {
				n.printf(n.t("   a name needs more than half of the %d voters present: at least %d votes\n",
					"   当选须获得实到选举人 %d 人的过半数赞成票：至少 %d 票\n"), c.Present, th)
			} else {
				n.printf(n.t("   a name needs more than half of the %d entitled voters: at least %d votes\n",
					"   当选须获得应到选举人 %d 人的过半数赞成票：至少 %d 票\n"), c.Entitled, th)
			}
		}
	}
	nt := len(sc.Traits)
	further := 0
	for i, r := range st.rounds {
		switch r.kind {
		case "first":
			n.printf(n.t("   round 1: %d names for %d seats\n", "   第一轮投票：%d 名候选人竞选 %d 个名额\n"), len(r.votes), seatsOf(r))
		case "revote":
			n.printf(n.t("   re-vote: %d names tied for the last %d seat(s)\n", "   重新投票：%d 名候选人票数相同，争夺最后 %d 个名额\n"),
				r.move.Candidates, r.move.Seats)
		case "further":
			further++
			n.move(*r.move)
			n.printf(n.t("   further round %d (另行选举): %d names for %d unfilled seat(s)\n", "   另行选举第 %d 轮：%d 名候选人竞选 %d 个空缺名额\n"),
				further, len(r.votes), seatsOf(r))
		}
		vs := judge(r.votes)
		order := make([]int, len(r.votes))
		for k := range order {
			order[k] = k
		}
		slices.SortStableFunc(order, func(a, b int) int { return r.votes[b].Votes - r.votes[a].Votes })
		elected := 0
		ties := 0
		for _, k := range order {
			v := r.votes[k]
			var res string
			switch vs[k] {
			case vElected:
				res = n.t("elected", "当选")
				elected++
			case vBelow:
				res = n.t("below the majority", "未过半数")
			case vOutranked:
				res = n.t("passed, outranked", "过半数，但票数排名在后")
			case vTied:
				res = n.t("tied at the last seat", "末位票数相同")
				ties++
			}
			n.printf("     %5d  %-*s %s\n", v.Votes, n.pad(res), res, n.person(parsePerson(v.Person, nt)))
		}
		if ties > 0 {
			next := i+1 < len(st.rounds) && st.rounds[i+1].kind == "revote"
			if next {
				n.printf(n.t("     → %d elected; the tie goes to a re-vote\n", "     → 当选 %d 人；票数相同者重新投票\n"), elected)
			} else {
				n.printf(n.t("     → %d elected; the tie is decided by lot\n", "     → 当选 %d 人；票数相同者抽签决定\n"), elected)
			}
			continue
		}
		n.printf(n.t("     → %d elected\n", "     → 当选 %d 人\n"), elected)
		if r.kind == "revote" && elected < seatsOf(r) {
			n.printf("%s", n.t("     → the re-vote did not decide: the tie is decided by lot\n", "     → 重新投票未能决定：抽签决定\n"))
		}
	}
	if st.failed {
		return
	}
	if vacant := un.Seats - len(st.out); vacant > 0 {
		n.printf(n.t("   %d seat(s) left vacant\n", "   %d 个名额空缺\n"), vacant)
	}
}

// pad widens a column for the display width of s (CJK characters count twice).
func (n *narrator) pad(s string) int {
	width := 0
	for _, r := range s {
		if r >= 0x2e80 {
			width += 2
		} else {
			width++
		}
	}
	col := 24
	if n.zh {
		col = 26
	}
	return col - (width - len([]rune(s)))
}

func seatsOf(r *ballotRound) int {
	if len(r.votes) > 0 {
		return r.votes[0].Seats
	}
	if r.move != nil {
		return r.move.Seats
	}
	return 0
}

func (n *narrator) outcome(log *TraceLog) {
	o := log.Outcome
	n.printf(n.t("\n== Outcome of trial %d: %d of %d seats filled\n", "\n== 第 %d 次试验结果：%[3]d 个名额中产生 %[2]d 名代表\n"),
		log.Trial, o.Seated, o.Seats)
	for i, t := range o.Targets {
		res := n.t("met", "达到")
		if !t.Met {
			res = n.t("MISSED", "未达到")
		}
		label := t.Label
		if label == "" {
			label = t.Name
		}
		share := ""
		if t.Of > 0 {
			share = fmt.Sprintf(" = %.1f%%", 100*float64(t.Count)/float64(t.Of))
		}
		n.printf(n.t("   target %s (%s): %d of %d%s — %s", "   目标 %s（%s）：%d / %d%s — %s"), t.Name, label, t.Count, t.Of, share, res)
		if i < len(n.sc.Targets) && n.sc.Targets[i].Scope == scenario.ScopeEach {
			if len(t.MissedIn) > 0 {
				n.printf(n.t(" in %s", "：%s"), strings.Join(t.MissedIn, ", "))
			} else {
				n.printf("%s", n.t(" in every unit", "（每个单位）"))
			}
		}
		n.printf("\n")
	}
}

// ErrNoUnit is returned by [TraceUnits] for a unit name the scenario lacks.
var ErrNoUnit = errors.New("no such unit")

// TraceUnits resolves a --unit argument: "" is the first unit, "all" every
// unit, otherwise a unit's name or Chinese name (case-insensitive).
func TraceUnits(sc *scenario.Scenario, name string) ([]string, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "":
		return []string{sc.Units[0].Name}, nil
	case "all":
		return nil, nil
	}
	for _, u := range sc.Units {
		if strings.EqualFold(u.Name, name) || (u.NameZh != "" && u.NameZh == name) {
			return []string{u.Name}, nil
		}
	}
	return nil, fmt.Errorf("%w %q", ErrNoUnit, name)
}
