package report

import (
	"fmt"
	"slices"

	"simulate/scenario"
	"simulate/sim"
)

// election narrates a congress from its events: attendance and quorum, the
// ballot, every round's tallies and verdicts, ties, lots, further rounds
// and vacancies.
func (n *narrator) election(u int, st *stageTrace) {
	sc := n.sc
	un := &sc.Units[u]
	e := sc.Stages[st.idx].Elect
	c := st.congress()
	if c == nil {
		return
	}
	met := c.Met != nil && *c.Met
	congress := n.vocab(scenario.WordCongress, false)
	voters := n.vocab(scenario.WordVoter, true)
	verdict := n.t("met", "达到")
	if !met {
		verdict = fmt.Sprintf(n.t("NOT met: the %s cannot elect, every seat stays vacant", "未达到：%s不能进行选举，全部名额空缺"), congress)
	}
	n.printf(n.t("   %[6]s: %[1]d of %[2]d entitled %[7]s present; quorum (more than %[3]g%%: at least %[4]d) %[5]s\n",
		"   %[6]s：应到 %[2]d 人，实到 %[1]d 人；法定人数（超过 %[3]g%%：至少 %[4]d 人）%[5]s\n"),
		c.Present, c.Entitled, percent(e.Quorum), c.Quorum, verdict, congress, voters)
	if len(st.central) > 0 {
		n.printf(n.t("   %d centrally nominated candidate(s) join the ballot\n", "   中央提名的 %d 名候选人加入选票\n"), len(st.central))
	}
	local := c.Candidates - len(st.central)
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
			c.Candidates, c.Seats, local, un.Seats-un.Central, rule, percent(e.Surplus), c.Want-(un.Seats-un.Central))
	}
	for _, r := range st.election {
		if r.Kind != sim.EventRound {
			continue
		}
		if e.MajorityOf == scenario.MajorityPresent {
			n.printf(n.t("   a name needs more than half of the %d %s present: at least %d votes\n",
				"   当选须获得实到%[2]s %[1]d 人的过半数赞成票：至少 %[3]d 票\n"), r.Base, voters, r.Threshold)
		} else {
			n.printf(n.t("   a name needs more than half of the %d entitled %s: at least %d votes\n",
				"   当选须获得应到%[2]s %[1]d 人的过半数赞成票：至少 %[3]d 票\n"), r.Base, voters, r.Threshold)
		}
		break
	}
	var votes []sim.Event
	var lots []sim.Event
	// lastEnd is the resolution of the last round counted: a lot that
	// follows a re-vote that did not go to lot settles the earlier tie.
	lastEnd := ""
	flushLots := func() {
		if len(lots) == 0 {
			return
		}
		if lastEnd != sim.ResolveLot {
			n.printf("%s", n.t("     → the re-vote did not decide: the tie is decided by lot\n", "     → 重新投票未能决定：抽签决定\n"))
		}
		n.printf(n.t("   lot: %d of %d tied names drawn\n", "   抽签：%[2]d 名票数相同者中抽出 %[1]d 名\n"), lots[0].Seats, len(lots))
		for _, l := range lots {
			res := n.verdict(l.Verdict)
			n.printf("     %5d  %-*s %s\n", l.Votes, n.pad(res), res, n.person(l.Person))
		}
		lots = nil
	}
	for _, ev := range st.election {
		switch ev.Kind {
		case sim.EventUnitTransition:
			flushLots()
			n.move(ev)
		case sim.EventRound:
			flushLots()
			switch ev.Round {
			case sim.RoundFirst:
				n.printf(n.t("   round 1: %d names for %d seats\n", "   第一轮投票：%d 名候选人竞选 %d 个名额\n"), ev.Candidates, ev.Seats)
			case sim.RoundRevote:
				n.printf(n.t("   re-vote: %d names tied for the last %d seat(s)\n", "   重新投票：%d 名候选人票数相同，争夺最后 %d 个名额\n"),
					ev.Candidates, ev.Seats)
			case sim.RoundFurther:
				n.printf(n.t("   further round %d (另行选举): %d names for %d unfilled seat(s)\n", "   另行选举第 %d 轮：%d 名候选人竞选 %d 个空缺名额\n"),
					ev.Number, ev.Candidates, ev.Seats)
			}
			votes = votes[:0]
		case sim.EventVote:
			votes = append(votes, ev)
		case sim.EventRoundEnd:
			n.tallies(votes)
			lastEnd = ev.Resolution
			switch ev.Resolution {
			case sim.RoundRevote:
				n.printf(n.t("     → %d elected; the tie goes to a re-vote\n", "     → 当选 %d 人；票数相同者重新投票\n"), ev.Elected)
			case sim.ResolveLot:
				n.printf(n.t("     → %d elected; the tie is decided by lot\n", "     → 当选 %d 人；票数相同者抽签决定\n"), ev.Elected)
			default:
				n.printf(n.t("     → %d elected\n", "     → 当选 %d 人\n"), ev.Elected)
			}
		case sim.EventLot:
			lots = append(lots, ev)
		}
	}
	flushLots()
	if v := st.vacancies; v != nil && met && v.Seats > 0 {
		n.printf(n.t("   %d seat(s) left vacant\n", "   %d 个名额空缺\n"), v.Seats)
	}
}

// tallies prints a round's votes, most first (ties in ballot order).
func (n *narrator) tallies(votes []sim.Event) {
	order := slices.Clone(votes)
	slices.SortStableFunc(order, func(a, b sim.Event) int { return b.Votes - a.Votes })
	for _, v := range order {
		res := n.verdict(v.Verdict)
		n.printf("     %5d  %-*s %s\n", v.Votes, n.pad(res), res, n.person(v.Person))
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
