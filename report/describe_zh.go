package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
)

// stagesHeadingZh heads the stages, a numbered list.
const stagesHeadingZh = "各阶段（按顺序）"

// describeIn is Describe in nm's language.
func describeIn(sc *scenario.Scenario, nm *i18n.Names) []DescribedSection {
	if nm.Lang.Zh() {
		return describeZh(sc, nm)
	}
	return Describe(sc)
}

// describeZh puts a scenario into words in Chinese: the same sections and
// facts as Describe, with the scenario's Chinese names (nm footnotes those
// it lacks).
func describeZh(sc *scenario.Scenario, nm *i18n.Names) []DescribedSection {
	unit := nm.Word(scenario.WordUnit, false)
	var out []DescribedSection
	var units []string
	seats := 0
	for _, u := range sc.Units {
		seats += u.Seats
	}
	units = append(units, fmt.Sprintf("共 %d 个%s，选举 %d 名%s。", len(sc.Units), unit, seats, nm.Word(scenario.WordDeputy, false)))
	if len(sc.Units) > 6 {
		sorted := slices.Clone(sc.Units)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Seats > sorted[j].Seats })
		words := func(us []scenario.Unit) string {
			var parts []string
			for _, u := range us {
				parts = append(parts, fmt.Sprintf("%s（%d 个名额）", nm.UnitNamed(u.Name), u.Seats))
			}
			return strings.Join(parts, "、")
		}
		units = append(units, fmt.Sprintf("名额最多的是%s；最少的是%s。每个%s都列在文末的表格中。", words(sorted[:3]), words(sorted[len(sorted)-2:]), unit))
		central, uncontested := 0, []string{}
		for _, u := range sc.Units {
			central += u.Central
			if u.Uncontested {
				uncontested = append(uncontested, nm.UnitNamed(u.Name))
			}
		}
		if central > 0 {
			units = append(units, fmt.Sprintf("%d 名中央提名的候选人加入所在%s的选票，不计入差额比例。", central, unit))
		}
		if len(uncontested) > 0 {
			units = append(units, fmt.Sprintf("等额选举：%s。", strings.Join(uncontested, "、")))
		}
	} else {
		for i := range sc.Units {
			u := &sc.Units[i]
			s := fmt.Sprintf("%s：%d 个名额", nm.Unit(i), u.Seats)
			if u.Central > 0 {
				s += fmt.Sprintf("，其中 %d 个由中央提名的候选人担任", u.Central)
			}
			if u.EntitledVoters > 0 {
				s += fmt.Sprintf("；应到%s %d 名", nm.Word(scenario.WordVoter, true), u.EntitledVoters)
				if u.Turnout > 0 {
					s += fmt.Sprintf("，每人出席的概率为 %.0f%%", 100*u.Turnout)
				}
			}
			if u.Uncontested {
				s += "；等额选举"
			}
			units = append(units, s+"。")
		}
	}
	out = append(out, DescribedSection{"单位和名额", units})

	var members []string
	for _, ts := range sc.Pool {
		members = append(members, poolWordsZh(ts, nm))
	}
	members = append(members, fmt.Sprintf("各%s可以用自己的比例代替这些比例。", unit))
	out = append(out, DescribedSection{nm.Word(scenario.WordMember, false) + "（推荐人选的来源）", members})

	var stages []string
	for i := range sc.Stages {
		stages = append(stages, stageWordsZh(sc, nm, i))
	}
	out = append(out, DescribedSection{stagesHeadingZh, stages})

	if len(sc.Targets) > 0 {
		var ts []string
		for i := range sc.Targets {
			ts = append(ts, targetWordsZh(nm, &sc.Targets[i]))
		}
		out = append(out, DescribedSection{"目标（结构要求）", ts})
	}
	return out
}

// predicateZh is a predicate in Chinese: "性别为女，且身份为一线或领导干部".
func predicateZh(p scenario.Predicate, nm *i18n.Names) string {
	if len(p) == 0 {
		return "所有人"
	}
	var parts []string
	for _, t := range scenario.SortedKeys(p) {
		var vs []string
		for _, v := range p[t] {
			vs = append(vs, nm.Value(v))
		}
		parts = append(parts, nm.TraitNamed(t)+"为"+strings.Join(vs, "或"))
	}
	return strings.Join(parts, "，且")
}

func sharesWordsZh(m map[string]float64, nm *i18n.Names) string {
	var parts []string
	for _, v := range sortedByShare(m) {
		parts = append(parts, fmt.Sprintf("%s %.4g%%", nm.Value(v), 100*m[v]))
	}
	return strings.Join(parts, "，")
}

func poolWordsZh(ts scenario.TraitShares, nm *i18n.Names) string {
	if ts.Given == "" {
		return fmt.Sprintf("%s：%s。", nm.TraitNamed(ts.Trait), sharesWordsZh(ts.Shares, nm))
	}
	var parts []string
	for _, g := range scenario.SortedKeys(ts.Conditional) {
		parts = append(parts, fmt.Sprintf("%s为%s时：%s", nm.TraitNamed(ts.Given), nm.Value(g), sharesWordsZh(ts.Conditional[g], nm)))
	}
	return fmt.Sprintf("%s，取决于%s：%s。", nm.TraitNamed(ts.Trait), nm.TraitNamed(ts.Given), strings.Join(parts, "；"))
}

func weightsWordsZh(ws []scenario.TraitWeights, sign bool, nm *i18n.Names) string {
	var parts []string
	for _, w := range ws {
		for _, v := range scenario.SortedKeys(w.Values) {
			if sign {
				parts = append(parts, fmt.Sprintf("%s %+g", nm.Value(v), w.Values[v]))
			} else {
				parts = append(parts, fmt.Sprintf("%s ×%g", nm.Value(v), w.Values[v]))
			}
		}
	}
	return strings.Join(parts, "，")
}

func stageWordsZh(sc *scenario.Scenario, nm *i18n.Names, i int) string {
	st := &sc.Stages[i]
	name := nm.Stage(i)
	if st.LabelZh != "" {
		name += "（" + st.Name + "）"
	}
	members := nm.Word(scenario.WordMember, false)
	var what string
	switch {
	case st.Nominate != nil:
		n := st.Nominate
		switch n.Mode {
		case scenario.ModeExpanded:
			what = fmt.Sprintf("%s按本单位本地名额再扩大 %g%% 推荐（扩大比例推荐）", members, 100*n.Ratio)
		case scenario.ModeCombined:
			what = fmt.Sprintf("%g%% 的名额按扩大 %g%% 推荐，其余全额推荐", 100*n.ExpandedShare, 100*n.Ratio)
		default:
			what = members + "按名额数推荐（全额推荐）"
		}
		if len(n.Weights) > 0 {
			what += "；推荐权重 " + weightsWordsZh(n.Weights, false, nm)
		}
	case st.Filter != nil:
		var vs []string
		for _, v := range st.Filter.Vetoes {
			s := fmt.Sprintf("%s %g%%", nm.Reason(v.Reason), 100*v.Rate)
			if len(v.When) > 0 {
				s += "（" + predicateZh(v.When, nm) + "）"
			}
			vs = append(vs, s)
		}
		what = "每人随机被移出：" + strings.Join(vs, "，")
	case st.Select != nil:
		s := st.Select
		switch {
		case s.Size.Ballot:
			what = "按选票所需人数确定名单"
		case s.Size.Count != nil:
			what = fmt.Sprintf("确定 %d 人", *s.Size.Count)
		case s.Size.Surplus != nil:
			what = fmt.Sprintf("按名额再多 %g%% 确定名单", 100**s.Size.Surplus)
		}
		what += "，按评价高低依次选取"
		if s.FromTargets {
			what += "，并把各目标作为配额"
			if s.TargetMargin > 0 {
				what += fmt.Sprintf("（最低比例提高 %g 个百分点）", 100*s.TargetMargin)
			}
		}
		for _, q := range s.Quotas {
			what += fmt.Sprintf("；配额 %s（%s）", q.Name, predicateZh(q.When, nm))
		}
		if len(s.ScoreBias) > 0 {
			what += "；偏好 " + weightsWordsZh(s.ScoreBias, true, nm)
		}
	case st.Elect != nil:
		e := st.Elect
		rule := "至少多出"
		if e.Strict {
			rule = "多出超过"
		}
		base := "应到"
		if e.MajorityOf == scenario.MajorityPresent {
			base = "实到"
		}
		voters := nm.Word(scenario.WordVoter, true)
		what = fmt.Sprintf("%s投票，选票上的候选人比名额%s %g%%；当选须获得%s%s的过半数赞成票；法定人数为应到人数的 %g%% 以上",
			nm.Word(scenario.WordCongress, false), rule, 100*e.Surplus, base, voters, 100*e.Quorum)
		what += fmt.Sprintf("；每名%s对每名候选人投赞成票的概率约为 %g%%", voters, 100*e.Voters.Approval)
		if len(e.Voters.Bias) > 0 {
			what += "，按 " + weightsWordsZh(e.Voters.Bias, true, nm) + " 调整（logit）"
		}
		if e.FurtherRounds > 0 {
			what += fmt.Sprintf("；空缺名额最多进行 %d 轮另行选举", e.FurtherRounds)
		}
	}
	return fmt.Sprintf("%s：%s。", name, what)
}

func targetWordsZh(nm *i18n.Names, t *scenario.Target) string {
	var bounds []string
	strict := t.Strict
	if t.MinShare != nil {
		bounds = append(bounds, fmt.Sprintf("%s %.4g%%", ifs(strict, "多于", "不少于"), 100**t.MinShare))
	}
	if t.MaxShare != nil {
		bounds = append(bounds, fmt.Sprintf("%s %.4g%%", ifs(strict, "少于", "不超过"), 100**t.MaxShare))
	}
	if t.MinCount != nil {
		bounds = append(bounds, fmt.Sprintf("%s %d 人", ifs(strict, "多于", "不少于"), *t.MinCount))
	}
	if t.MaxCount != nil {
		bounds = append(bounds, fmt.Sprintf("%s %d 人", ifs(strict, "少于", "不超过"), *t.MaxCount))
	}
	members := nm.Word(scenario.WordMember, false)
	if t.AboveMemberShare {
		bounds = append(bounds, ifs(strict, "比例高于"+members+"中的比例", "比例不低于"+members+"中的比例"))
	}
	unit := nm.Word(scenario.WordUnit, false)
	scope := "范围内各" + unit + "合计"
	if t.Scope == scenario.ScopeEach {
		scope = "范围内每个" + unit + "分别计算"
	}
	if len(t.Units)+len(t.Groups) > 0 {
		var in []string
		for _, u := range t.Units {
			in = append(in, nm.UnitNamed(u))
		}
		scope += "（" + strings.Join(append(in, t.Groups...), "、") + "）"
	}
	return fmt.Sprintf("%s — %s：%s的%s%s，%s。", t.Name, nm.TargetLabel(t.Name), predicateZh(t.When, nm),
		nm.Word(scenario.WordDeputy, false), strings.Join(bounds, "且"), scope)
}
