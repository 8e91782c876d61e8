package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
	"simulate/sim"
)

// TraceText narrates the log stage by stage in the given language (en or zh):
// every transition of each unit's machine, the size and trait make-up of the
// list entering and leaving each stage, who was dropped and why, the congress
// and every ballot round with votes and thresholds, and the trial's outcome.
// It renders the engine's events and decides nothing itself.
func TraceText(w io.Writer, sc *scenario.Scenario, log *TraceLog, lang string) error {
	if lang != LangEn && lang != LangZh {
		return fmt.Errorf("unknown language %q (want en or zh)", lang)
	}
	if log.Scenario != sc.Name {
		return fmt.Errorf("the trace is of scenario %q, not %q", log.Scenario, sc.Name)
	}
	units, err := group(sc, log.Events)
	if err != nil {
		return err
	}
	n := &narrator{ew: &errWriter{w: w}, sc: sc, zh: lang == LangZh, nm: i18n.NewNames(sc, i18n.Lang(lang))}
	n.header(log)
	for _, name := range log.Units {
		for u := range sc.Units {
			if sc.Units[u].Name == name {
				n.unit(units[u])
			}
		}
	}
	n.outcome(log)
	if f := n.nm.Footnote(); f != "" {
		n.printf("\n%s", f)
	}
	return n.ew.err
}

type narrator struct {
	ew *errWriter
	sc *scenario.Scenario
	zh bool
	nm *i18n.Names
}

func (n *narrator) printf(format string, args ...any) { n.ew.printf(format, args...) }

func (n *narrator) header(log *TraceLog) {
	title := n.nm.Title()
	n.printf(n.t("Trace of one trial — %s: %s\n", "单次模拟过程 — %s：%s\n"), n.sc.Name, title)
	n.printf(n.t("trial %[1]d, seed %[2]d: exactly trial %[1]d of `simulate run` with seed %[2]d (trials count from 0)\n",
		"第 %[1]d 次试验，种子 %[2]d：与 `simulate run` 种子 %[2]d 的第 %[1]d 次试验完全相同（试验从 0 开始编号）\n"),
		log.Trial, log.Seed)
	n.printf(n.t("scenario sha256 %s; simulate %s\n", "场景 sha256 %s；simulate %s\n"), short(log.Hash), log.Version)
	if len(log.Units) < len(n.sc.Units) {
		n.printf(n.t("narrating %d of %d %s (choose with --unit NAME, or --unit all)\n",
			"只叙述 %d 个%[3]s（共 %[2]d 个；用 --unit 名称 选择，或 --unit all）\n"), len(log.Units), len(n.sc.Units), n.vocab(scenario.WordUnit, true))
	}
}

func (n *narrator) move(e sim.Event) {
	n.printf(n.t("   unit machine: %s --%s--> %s\n", "   单位状态机：%s —%s→ %s\n"), n.state(e.From), e.Trigger, n.state(e.To))
}

func (n *narrator) unit(ut *unitTrace) {
	un := &n.sc.Units[ut.idx]
	n.printf("\n")
	unit := n.vocab(scenario.WordUnit, false)
	if !n.zh {
		unit = capitalise(unit)
	}
	if un.EntitledVoters > 0 {
		n.printf(n.t("== %s %s: %d seats, %d entitled %s\n", "== %s %s：%d 个名额，应到%[5]s %[4]d 名\n"),
			unit, n.unitName(ut.idx), un.Seats, un.EntitledVoters, n.vocab(scenario.WordVoter, true))
	} else {
		n.printf(n.t("== %s %s: %d seats\n", "== %s %s：%d 个名额\n"), unit, n.unitName(ut.idx), un.Seats)
	}
	if un.Central > 0 {
		n.printf(n.t("   %d of the seats go to centrally nominated candidates, who join at the ballot\n",
			"   其中 %d 个名额由中央提名的候选人在选举时加入\n"), un.Central)
	}
	for _, e := range ut.start {
		n.move(e)
	}
	for _, st := range ut.stages {
		if st.done != nil {
			n.stage(ut.idx, st)
		}
	}
}

// makeup writes the size and trait make-up of a list of people, with the
// change from before when before is not nil.
func (n *narrator) makeup(label string, list, before []sim.Event) {
	n.printf("   %s %d", label, len(list))
	if len(list) == 0 && before == nil {
		n.printf("\n")
		return
	}
	count := func(people []sim.Event, trait, value string) int {
		c := 0
		for _, e := range people {
			if e.Person != nil && e.Person.Traits[trait] == value {
				c++
			}
		}
		return c
	}
	for t, tr := range n.sc.Traits {
		var parts []string
		for _, v := range tr.Values {
			c, b := count(list, tr.Name, v), count(before, tr.Name, v)
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
			n.printf(n.t(" | %s: %s", " | %s：%s"), n.traitName(t), strings.Join(parts, n.t(", ", "，")))
		}
	}
	central := 0
	for _, e := range list {
		if e.Person != nil && e.Person.Central {
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
	in, out := st.people, st.passed()
	n.printf(n.t("\n-- Stage %d of %d: %s [%s]\n", "\n-- 第 %d 阶段（共 %d 个）：%s [%s]\n"),
		s+1, len(sc.Stages), n.stageName(s), stage.Kind())
	local := un.Seats - un.Central
	switch {
	case stage.Nominate != nil:
		mode := stage.Nominate.NominationMode
		if un.Nomination != nil {
			mode = *un.Nomination
		}
		want := st.done.Want
		switch mode.Mode {
		case scenario.ModeExpanded:
			n.printf(n.t("   expanded nomination: %d local seats + %g%% = %d names; %d recommended\n",
				"   扩大比例推荐：%d 个名额 + %g%% = %d 人；实际推荐 %d 人\n"), local, percent(mode.Ratio), want, len(out))
		case scenario.ModeCombined:
			n.printf(n.t("   combined nomination: %d names for %d local seats; %d recommended\n",
				"   结合推荐：%d 个名额推荐 %d 人（应推荐 %[1]d 人）；实际推荐 %[3]d 人\n"), want, local, len(out))
		default:
			n.printf(n.t("   full nomination: as many names as the %d local seats; %d recommended\n",
				"   全额推荐：按 %d 个名额推荐；实际推荐 %d 人\n"), local, len(out))
		}
		if st.done.Shortfall > 0 {
			n.printf(n.t("   the pool ran out: %d names short\n", "   可推荐人选不足：少 %d 人\n"), st.done.Shortfall)
		}
		n.people(n.t("sent back down, replaced by a further nomination from the short group", "退回，由短缺群体另行推荐替换"), st.replaced, false)
		n.makeup(n.t("list out", "推荐名单"), out, nil)
	case stage.Elect != nil:
		n.makeup(n.t("list in ", "进入名单"), in, nil)
		n.election(u, st)
		n.drops(st)
		n.makeup(n.t("list out", "产生名单"), out, in)
	default:
		n.makeup(n.t("list in ", "进入名单"), in, nil)
		if stage.Select != nil {
			k := st.done.Want
			n.printf(n.t("   the committee keeps %d of %d (%s)\n", "   从 %[2]d 人中确定 %[1]d 人（%[3]s）\n"),
				min(k, len(in)), len(in), n.sizeRule(stage.Select.Size, un, k))
			if st.done.Shortfall > 0 {
				n.printf(n.t("   only %d available: %d places left unfilled\n", "   只有 %d 人可选：%d 个位置空缺\n"), len(in), st.done.Shortfall)
			}
		}
		n.drops(st)
		n.makeup(n.t("list out", "产生名单"), out, in)
	}
	if st.done.Left != len(out) || st.done.Entered != len(in) {
		n.printf(n.t("   (the engine counts %d entering and %d leaving this stage)\n", "   （引擎记录本阶段进入 %d 人，产生 %d 人）\n"),
			st.done.Entered, st.done.Left)
	}
	n.candidateMoves(st)
	for _, e := range st.after {
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
		return n.t(fmt.Sprintf("%d seats + %g%% surplus = %d", local, percent(*size.Surplus), k),
			fmt.Sprintf("%d 个名额，差额 %g%%，共 %d 人", local, percent(*size.Surplus), k))
	}
	return fmt.Sprint(k)
}

// people lists people under a heading; withVotes adds their votes.
func (n *narrator) people(head string, list []sim.Event, withVotes bool) {
	if len(list) == 0 {
		return
	}
	n.printf(n.t("   %s %d:\n", "   %s %d 人：\n"), head, len(list))
	for _, e := range list {
		line := "     - " + n.person(e.Person)
		if withVotes {
			line += fmt.Sprintf(n.t(" — %d votes", " — %d 票"), e.Votes)
		}
		n.printf("%s\n", line)
	}
}

// drops lists who left the stage and why, the engine's reasons in the
// order they first occur.
func (n *narrator) drops(st *stageTrace) {
	dropped := st.dropped()
	if len(dropped) == 0 {
		return
	}
	stage := &n.sc.Stages[st.idx]
	switch {
	case stage.Filter != nil:
		n.printf(n.t("   %s %d:\n", "   %s %d 人：\n"), n.t("removed", "被否决或移出"), len(dropped))
		for _, e := range dropped {
			n.printf("     - %s — %s\n", n.person(e.Person), n.reason(e.Reason))
		}
		return
	}
	var reasons []string
	for _, e := range dropped {
		if !slices.Contains(reasons, e.Reason) {
			reasons = append(reasons, e.Reason)
		}
	}
	for _, r := range reasons {
		if r == sim.ReasonNoQuorum {
			n.printf(n.t("   no quorum: the %d names on the ballot leave without a vote\n", "   未达到法定人数：选票上的 %d 名候选人未经投票落选\n"), len(dropped))
			continue
		}
		var list []sim.Event
		for _, e := range dropped {
			if e.Reason == r {
				list = append(list, e)
			}
		}
		n.people(n.reason(r), list, r == sim.ReasonDefeated)
	}
}

// candidateMoves sums the candidate machine's moves of the stage: moves
// into a further round first, then passes, then drops, each in the order
// the engine first made them.
func (n *narrator) candidateMoves(st *stageTrace) {
	type key struct{ from, trigger, to, outcome string }
	var keys []key
	count := map[key]int{}
	for _, e := range st.moves {
		k := key{e.From, e.Trigger, e.To, e.Outcome}
		if count[k] == 0 {
			keys = append(keys, k)
		}
		count[k]++
	}
	rank := map[string]int{sim.OutcomeFurther: 0, sim.OutcomePassed: 1, sim.OutcomeDropped: 2}
	slices.SortStableFunc(keys, func(a, b key) int { return rank[a.outcome] - rank[b.outcome] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s --%s--> %s ×%d", n.state(k.from), k.trigger, n.state(k.to), count[k]))
	}
	if len(parts) == 0 {
		return
	}
	n.printf(n.t("   candidate machine: %s\n", "   候选人状态机：%s\n"), strings.Join(parts, "; "))
}

func (n *narrator) outcome(log *TraceLog) {
	o := log.Outcome
	n.printf(n.t("\n== Outcome of trial %[1]d: %[2]d of %[3]d seats filled\n", "\n== 第 %d 次试验结果：%[3]d 个名额中产生 %[2]d 名%[4]s\n"),
		log.Trial, o.Seated, o.Seats, n.vocab(scenario.WordDeputy, false))
	for _, t := range o.Targets {
		res := n.t("met", "达到")
		if !t.Met {
			res = n.t("MISSED", "未达到")
		}
		label := n.nm.TargetLabel(t.Name)
		share := ""
		if t.Of > 0 {
			share = fmt.Sprintf(" = %.1f%%", 100*float64(t.Count)/float64(t.Of))
		}
		n.printf(n.t("   target %s (%s): %d of %d%s — %s", "   目标 %s（%s）：%d / %d%s — %s"), t.Name, label, t.Count, t.Of, share, res)
		if scenario.Scope(t.Scope) == scenario.ScopeEach {
			var missed []string
			for _, uo := range t.Units {
				if !uo.Met {
					missed = append(missed, n.nm.UnitNamed(uo.Unit))
				}
			}
			if len(missed) > 0 {
				n.printf(n.t(" in %s", "：%s"), n.nm.Lang.List(missed))
			} else {
				n.printf("%s", n.t(" in every unit", "（每个单位）"))
			}
		}
		n.printf("\n")
	}
}

// capitalise upper-cases the first letter of an English word.
func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
