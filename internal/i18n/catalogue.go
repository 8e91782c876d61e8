package i18n

// zh is the catalogue: the program's fixed English text and its Chinese.
// Keys are the English text exactly as the call site writes it, format
// verbs included; a Chinese entry may reorder arguments with %[n]v.
var zh = map[string]string{
	// run and merge: the terminal summary (report.Text).
	"%d units, %d seats; %d trials, seed %d; scenario sha256 %s; simulate %s\n": "%d 个选举单位，%d 个名额；%d 次试验，种子 %d；场景 sha256 %s；simulate %s\n",
	"published facts reproduced: %d of %d":                                      "已复现的公布事实：%d / %d",
	" — not:":                                                                   " — 未复现：",
	"… %d more":                                                                 "…… 另有 %d 项",
	"never defined":                                                             "从未有定义",
	"Targets (probability met, %d%% Wilson interval)\n":                         "目标（达到的概率，%d%% Wilson 区间）\n",
	"  target\tP(met)\tinterval\tdescription":                                   "  目标\tP(达到)\t区间\t说明",
	"Elected shares across trials\n":                                            "各次试验中当选者的构成\n",
	"share":                                                                     "比例",
	"mean":                                                                      "均值",
	"published":                                                                 "公布值",
	"diff":                                                                      "差",
	"  * published value outside the model's 90%% interval [p05, p95]\n": "  * 公布值在模型 90%% 区间 [p05, p95] 之外\n",
	"  elected: mean %.1f of %d seats (min %d, max %d)\n\n":              "  当选：平均 %.1f 人，共 %d 个名额（最少 %d，最多 %d）\n\n",
	"Stage funnel (mean people per trial)\n":                             "各阶段人数漏斗（每次试验平均人数）\n",
	"  stage\tentered\tleft\tdropped\tunfilled\twhy dropped\t":           "  阶段\t进入\t产生\t减少\t空缺\t减少原因\t",
	"not selected": "未入选",
	"defeated":     "落选",
	"Tracked shares of the list each stage passes on\n": "各阶段产生名单中的跟踪比例\n",
	"  stage": "  阶段",
	"%[9]s votes (per trial): %.0[1]f ballots, %[2]s invalid, turnout %[3]s; names: %[4]s abstain, %[5]s against;\n" +
		"  %.2[6]f further rounds, %.2[7]f vacant seats, %.3[8]f %[10]s without quorum\n\n": "%[9]s投票（每次试验）：选票 %.0[1]f 张，无效 %[2]s，到会率 %[3]s；对候选人：弃权 %[4]s，反对 %[5]s；\n" +
		"  另行选举 %.2[6]f 轮，空缺名额 %.2[7]f 个，未达到法定人数的%[10]s %.3[8]f 个\n\n",
	"  ballots short of the required surplus by %.2f names per trial\n\n":       "  选票上的候选人比差额要求平均每次少 %.2f 人\n\n",
	"Targets most often missed, and the stage after which they stayed missed\n": "最常未达到的目标，以及此后再未达到的阶段\n",
	"  %s: missed in %s of trials":                                              "  %s：%s 的试验未达到",
	"; lost for good at: %s":                                                    "；最终失去于：%s",
	"… %d more %s":                                                              "…… 另有 %d 个%s",
	"    %s most often short: %s\n":                                             "    最常未达到的%s：%s\n",
	"Funnel by unit (mean list passed on by each stage; unfilled seats last)\n": "各选举单位的漏斗（各阶段产生名单的平均人数；最后一列为空缺名额）\n",
	"  unit":   "  单位",
	"unfilled": "空缺",
}
