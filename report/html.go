package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"

	"simulate/internal/i18n"
	"simulate/scenario"
	"simulate/sim"
)

// reportCSS is the page's style sheet, inlined into every report.
const reportCSS = `:root{--ink:#1d2733;--muted:#5a6876;--line:#d6dde5;--accent:#3b5b80;--ok:#2f7d46;--warn:#b7791f;--bad:#b23b3b;--bg:#fbfcfd}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans","WenQuanYi Micro Hei",sans-serif}
body{margin:0 auto;max-width:1040px;padding:24px 28px 60px}
header{border-bottom:3px solid var(--accent);margin-bottom:18px;padding-bottom:10px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px;color:var(--accent)}
.meta{color:var(--muted);font-size:13px}
.meta code{font-size:12px}
nav{margin:10px 0 0;font-size:13.5px}
nav a{margin-right:14px;color:var(--accent);text-decoration:none}
nav a:hover{text-decoration:underline}
.note{background:#eef4fb;border-left:4px solid var(--accent);padding:8px 12px;font-size:13.5px;margin:12px 0}
table{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:13.5px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#eef2f6;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
td small.zh{display:block;color:var(--muted)}
td small.zhi{color:var(--muted)}
#targets td:first-child,#shares-table td:first-child,#facts-table td:first-child{min-width:13em}
table.compact{font-size:12.5px}
table.compact th,table.compact td{padding:4px 6px}
@media (max-width:720px){table{font-size:12.5px}th,td{padding:4px 5px}}
tbody tr:hover{background:#f3f7fb}
.js table.sortable th{cursor:pointer;user-select:none}
.js table.sortable th::after{content:"\00a0⇅";color:#9aa8b6;font-size:11px}
.js table.sortable th[aria-sort=ascending]::after{content:"\00a0▲";color:var(--accent)}
.js table.sortable th[aria-sort=descending]::after{content:"\00a0▼";color:var(--accent)}
.scroll{overflow-x:auto}
svg.chart{width:100%;height:auto;max-width:900px;display:block;margin:6px 0 10px}
svg.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans","WenQuanYi Micro Hei",sans-serif;fill:var(--ink)}
svg.chart .tick{font-size:11px;fill:var(--muted);text-anchor:middle}
svg.chart .grid{stroke:#e3e8ee;stroke-width:1}
svg.chart .rowlabel{font-size:12.5px;text-anchor:end}
svg.chart .value{font-size:11.5px;fill:var(--muted)}
svg.chart .legend{font-size:11.5px;fill:var(--muted)}
svg.chart .ci{stroke:#8aa2bd;stroke-width:5;stroke-linecap:round}
svg.chart .row.ok .point{fill:var(--ok)}
svg.chart .row.warn .point{fill:var(--warn)}
svg.chart .row.bad .point{fill:var(--bad)}
svg.chart .entered{fill:#c9d8ea}
svg.chart .left{fill:var(--accent)}
svg.chart .whisker{stroke:#9aa8b6;stroke-width:1.5}
svg.chart .box{fill:#c9d8ea;stroke:var(--accent);stroke-width:1}
svg.chart .median{stroke:var(--ink);stroke-width:2}
svg.chart .mean{fill:var(--accent)}
svg.chart .published{fill:var(--bad)}
svg.chart g:hover .rowlabel{font-weight:700}
.diagrams{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto;max-width:100%}
figcaption{font-size:13px;color:var(--muted);margin-bottom:4px}
svg.state-diagram{display:block;max-width:100%;height:auto}
.words p{margin:4px 0}
.words ol{margin:4px 0;padding-left:22px}
.good{color:var(--ok);font-weight:600}.fair{color:var(--warn);font-weight:600}.poor{color:var(--bad);font-weight:600}
footer{margin-top:40px;color:var(--muted);font-size:12.5px;border-top:1px solid var(--line);padding-top:10px}
@media print{nav{display:none}body{max-width:none}}
`

// reportJS enhances the page when JavaScript runs: sortable tables. The page
// is complete without it.
const reportJS = `// Progressive enhancement: the report is complete without this script.
// With it, clicking a column header of a sortable table sorts its rows.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return v !== null ? v : cell.textContent.trim();
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === String(parseFloat(a)) && String(y) === String(parseFloat(b))) {
      return x - y;
    }
    return a.localeCompare(b);
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "Sort by this column");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(cellValue(r1, i), cellValue(r2, i));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
})();
`

// reportTemplate is the page (html/template): every style, script and
// picture inline, a Content-Security-Policy that forbids any fetch.
const reportTemplate = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="simulate {{.R.Version}}">
<title>{{.Sc.Name}} — {{.Title}}</title>
<link rel="icon" href="data:,">
<style>{{css .CSS}}</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<div class="meta">{{$.T "Scenario"}} <strong>{{.Sc.Name}}</strong> · {{.UnitCount}}{{$.T ", "}}{{printf ($.T "%d seats") .R.Seats}} · {{printf ($.T "%d trials, seed %d") .R.Trials .R.Seed}} · scenario sha256 <code title="{{.R.Hash}}">{{.Short}}</code> · simulate {{.R.Version}}</div>
<nav aria-label="{{$.T "Sections"}}">{{if .R.Facts}}<a href="#facts">{{$.T "Published facts"}}</a>{{end}}<a href="#scenario">{{$.T "Scenario"}}</a><a href="#targets-section">{{$.T "Targets"}}</a><a href="#funnel">{{$.T "Funnel"}}</a><a href="#shares">{{$.T "Shares"}}</a><a href="#diagrams">{{$.T "State machines"}}</a><a href="#units">{{$.T "Units"}}</a></nav>
</header>
<main>
<p class="note">{{$.T "A self-contained report: every chart and diagram is drawn in the page (SVG), nothing is loaded from a network, and it reads in full with JavaScript disabled. With JavaScript the tables sort by a click on a column."}}</p>

{{with .R.Facts}}
<section id="facts">
<h2>{{$.T "Published facts: does the model reproduce them?"}}</h2>
<p><span class="{{if eq .Reproduced .Total}}good{{else}}poor{{end}}">{{printf ($.T "%d of %d") .Reproduced .Total}}</span> {{$.T "published facts reproduced. A published share is reproduced when it lies in the model's 90% predictive interval [p05, p95] across trials; a target published as met when the model meets it in at least half of the trials (P(met) ≥ 0.5), one published as missed when it meets it in at most half."}}</p>
<div class="scroll"><table id="facts-table" class="sortable">
<thead><tr><th>{{$.T "fact"}}</th><th>{{$.T "kind"}}</th><th class="num">{{$.T "published"}}</th><th class="num">{{$.T "model"}}</th><th class="num">{{$.T "interval"}}</th><th>{{$.T "reproduced"}}</th></tr></thead>
<tbody>
{{range .Items}}<tr><td{{with .Label}} title="{{.}}"{{end}}>{{wbr .Name}}{{with .Source}}<br><small class="meta">{{.}}</small>{{end}}</td><td>{{.Kind}}</td>{{if eq .Kind "share"}}<td class="num" data-sort="{{attr .Published.Share}}">{{pct .Published.Share}}</td><td class="num" data-sort="{{attr .Model}}">{{$.T "mean"}} {{pct .Model}}</td><td class="num" data-sort="{{attr .Low}}" title="{{$.T "90% predictive interval [p05, p95]"}}">[{{pct .Low}}, {{pct .High}}]</td>{{else}}<td class="num">{{.Published.Outcome}}</td><td class="num" data-sort="{{attr .Model}}">P(met) {{p3 .Model}}</td><td class="num" data-sort="{{attr .Low}}" title="{{$.T "95% Wilson interval of P(met)"}}">[{{p3 .Low}}, {{p3 .High}}]</td>{{end}}<td class="{{if .Reproduced}}good{{else}}poor{{end}}">{{if .Reproduced}}{{$.T "yes"}}{{else}}{{$.T "no"}} <small>({{$.T .Verdict}})</small>{{end}}</td></tr>
{{end}}</tbody></table></div>
<p class="meta">{{$.T "Intervals: a share's 90% predictive interval [p05, p95] across trials; a target's 95% Wilson interval of P(met)."}}</p>
</section>
{{end}}

<section id="scenario" class="words">
<h2>{{$.T "The scenario in words"}}</h2>
{{with .Sc.Description}}<p>{{if $.Lang.Zh}}（场景文件中的说明，原文）{{end}}{{.}}</p>{{end}}
{{range .Words}}<h3>{{.Heading}}</h3>{{if .Ordered}}<ol>{{range .Lines}}<li>{{.}}</li>{{end}}</ol>{{else}}{{range .Lines}}<p>{{.}}</p>{{end}}{{end}}
{{end}}
</section>

<section id="targets-section">
<h2>{{$.T "Targets: how likely is each to be met?"}}</h2>
{{if .Targets}}
{{raw .TargetsSVG}}
<div class="scroll"><table id="targets" class="sortable">
<thead><tr><th>{{$.T "target"}}</th><th>{{$.T "description"}}</th><th class="num">{{$.T "P(met)"}}</th><th class="num">{{$.T "95% interval"}}</th><th class="num">{{$.T "trials met"}}</th><th>{{$.T "lost for good at (most often)"}}</th></tr></thead>
<tbody>
{{range .Targets}}<tr><td>{{wbr .Name}}</td><td>{{.Label}}</td><td class="num {{if ge .Probability 0.95}}good{{else if ge .Probability 0.5}}fair{{else}}poor{{end}}" data-sort="{{attr .Probability}}">{{p3 .Probability}}</td><td class="num" data-sort="{{attr .CILow}}">[{{p3 .CILow}}, {{p3 .CIHigh}}]</td><td class="num">{{.Met}}</td><td>{{.Lost}}</td></tr>
{{end}}</tbody></table></div>
{{else}}<p>{{$.T "The scenario declares no targets."}}</p>{{end}}
</section>

<section id="funnel">
<h2>{{$.T "Stage funnel: where the lists shrink"}}</h2>
{{raw .FunnelSVG}}
<div class="scroll"><table id="funnel-table">
<thead><tr><th>{{$.T "stage"}}</th><th>{{$.T "kind"}}</th><th class="num">{{$.T "entered"}}</th><th class="num">{{$.T "left"}}</th><th class="num">{{$.T "dropped"}}</th><th class="num">{{$.T "unfilled"}}</th><th>{{$.T "why dropped (mean per trial)"}}</th></tr></thead>
<tbody>
{{range .Funnel}}<tr><td>{{.Stage}}{{with .LabelZh}}<small class="zh" lang="zh">{{.}}</small>{{end}}</td><td>{{.Kind}}</td><td class="num">{{f1 .Entered}}</td><td class="num">{{f1 .Left}}</td><td class="num">{{f1 .Dropped}}</td><td class="num">{{f2 .Shortfall}}</td><td>{{range $i, $r := .Reasons}}{{if $i}}, {{end}}{{$.Reason $r.Reason}} {{f2 $r.Mean}}{{else}}{{if gt .Dropped 0.0}}{{if eq .Kind "select"}}{{$.T "not selected"}}{{else if eq .Kind "elect"}}{{$.T "defeated"}}{{end}}{{end}}{{end}}</td></tr>
{{end}}</tbody></table></div>
{{with .Election}}<p>{{printf ($.T "%s votes, per trial: %.0f ballots, %s invalid, turnout %s; %.2f further rounds (另行选举), %.2f vacant seats, %.3f %s without a quorum.") $.CongressWord .Ballots (pct .InvalidShare) (pct .Turnout) .FurtherRounds .Vacancies .FailedUnits $.UnitsWord}}</p>{{end}}
</section>

<section id="shares">
<h2>{{$.T "Achieved shares against published values"}}</h2>
{{if .R.Shares}}
{{raw .SharesSVG}}
<div class="scroll"><table id="shares-table" class="sortable">
<thead><tr><th>{{$.T "share"}}</th><th class="num">{{$.T "mean"}}</th><th class="num">p05</th><th class="num">p50</th><th class="num">p95</th><th class="num">{{$.T "published"}}</th><th class="num">{{$.T "mean − published"}}</th></tr></thead>
<tbody>
{{range .R.Shares}}<tr><td>{{wbr ($.ShareName .Name)}}</td><td class="num" data-sort="{{attr .Mean}}">{{pct .Mean}}</td><td class="num" data-sort="{{attr .P05}}">{{pct .P05}}</td><td class="num" data-sort="{{attr .P50}}">{{pct .P50}}</td><td class="num" data-sort="{{attr .P95}}">{{pct .P95}}</td>{{if .Published}}<td class="num{{if not (inside .)}} poor{{end}}" data-sort="{{attr (deref .Published)}}"{{if not (inside .)}} title="{{$.T "outside the model's 90% interval [p05, p95]"}}"{{end}}>{{pct (deref .Published)}}</td><td class="num" data-sort="{{attr (diff .Mean .Published)}}">{{printf "%+.1f" (pts (diff .Mean .Published))}} {{$.T "pts"}}</td>{{else}}<td class="num" data-sort="-1">—</td><td class="num" data-sort="-1">—</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{else}}<p>{{$.T "The scenario tracks no shares."}}</p>{{end}}
</section>

<section id="diagrams">
<h2>{{$.T "State machines"}}</h2>
<p>{{$.T "Every simulated step is a transition of these machines, built from the stage list; a transition they do not allow is an error. Terminal states have a double border (green: reached by passing, red: by a drop or failure); dashed arrows span several layers."}}</p>
<div class="diagrams">
<figure id="unit-diagram"><figcaption>{{printf ($.T "%s pipeline (unit machine)") $.UnitWord}}</figcaption>{{raw .UnitSVG}}</figure>
<figure id="candidate-diagram"><figcaption>{{$.T "Candidate lifecycle (candidate machine)"}}</figcaption>{{raw .CandSVG}}</figure>
</div>
</section>

<section id="units">
<h2>{{$.T "Units"}}</h2>
<p>{{if .EachCols}}{{$.T "How often each unit missed the per-unit targets, and its unfilled seats per trial (mean); then the mean list each stage passes on."}}{{else}}{{$.T "Each unit's unfilled seats per trial; then the mean list each stage passes on."}}{{end}}</p>
<div class="scroll"><table id="unit-table" class="sortable">
<thead><tr><th>{{$.T "unit"}}</th>{{range .EachCols}}<th class="num">{{printf ($.T "missed %s") .}}</th>{{end}}<th class="num">{{$.T "unfilled seats"}}</th><th>{{$.T "group"}}</th><th class="num">{{$.T "seats"}}</th>{{if $.HasCentral}}<th class="num">{{$.T "central"}}</th>{{end}}<th class="num">{{$.VotersWord}}</th></tr></thead>
<tbody>
{{range .Units}}<tr><td>{{$.UnitName .Name .NameZh}}{{if .Uncontested}} <small title="{{$.T "uncontested vote"}}">(等额)</small>{{end}}{{if not $.Lang.Zh}}{{with .NameZh}} <small class="zhi" lang="zh">{{.}}</small>{{end}}{{end}}</td>{{range .Misses}}<td class="num" data-sort="{{attr .}}">{{pct .}}</td>{{end}}<td class="num" data-sort="{{attr .Unfilled}}">{{f2 .Unfilled}}</td><td>{{.Group}}</td><td class="num">{{.Seats}}</td>{{if $.HasCentral}}<td class="num">{{.Central}}</td>{{end}}<td class="num">{{.Voters}}</td></tr>
{{end}}</tbody></table></div>
<h3>{{$.T "Mean list passed on by each stage"}}</h3>
<div class="scroll"><table id="unit-stages" class="sortable compact">
<thead><tr><th>{{$.T "unit"}}</th>{{range .UnitCols}}<th class="num">{{wbr .}}</th>{{end}}</tr></thead>
<tbody>
{{range .Units}}<tr><td>{{$.UnitName .Name .NameZh}}</td>{{range .Stages}}<td class="num" data-sort="{{attr .}}">{{f1 .}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
</section>
</main>
<footer>
{{with .Command}}{{$.T "Reproduce:"}} <code>{{.}}</code> · {{end}}{{printf ($.T "Generated by simulate %s.") .R.Version}} {{$.T "Trial i of a run with seed s draws only from its own random stream: the same scenario, seed and trials give the same report; simulate trace narrates any single trial."}}{{with $.Footnote}}<br>{{.}}{{end}}
</footer>
<script>{{js .JS}}</script>
</body>
</html>
`

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) },
	"p3":    func(v float64) string { return fmt.Sprintf("%.3f", v) },
	"f1":    func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"f2":    func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"raw":   func(s string) template.HTML { return template.HTML(s) }, // #nosec: built by this package with every text escaped
	"css":   func(s string) template.CSS { return template.CSS(s) },
	"js":    func(s string) template.JS { return template.JS(s) },
	"attr":  func(v float64) string { return fmt.Sprintf("%.6g", v) },
	"deref": func(p *float64) float64 { return *p },
	"diff":  func(a float64, b *float64) float64 { return a - *b },
	"pts":   func(v float64) float64 { return 100 * v },
	// inside: the share's published value lies in its 90% interval [p05, p95].
	"inside": func(s sim.ShareResult) bool { f, _ := sim.ShareFact(s); return f.Reproduced },
	// wbr lets a long identifier (women_above_members) break after its
	// underscores and dots when a column is narrow.
	"wbr": wbr,
}).Parse(reportTemplate))

// wbr escapes s and marks a break opportunity after each underscore and dot.
func wbr(s string) template.HTML {
	e := template.HTMLEscapeString(s)
	e = strings.ReplaceAll(e, "_", "_<wbr>")
	return template.HTML(strings.ReplaceAll(e, ".", ".<wbr>")) // #nosec: escaped above
}

// htmlPage is what the template renders.
type htmlPage struct {
	Title      string
	Sc         *scenario.Scenario
	R          *sim.Result
	Short      string
	Words      []DescribedSection
	Targets    []htmlTarget
	TargetsSVG string
	FunnelSVG  string
	SharesSVG  string
	UnitSVG    string
	CandSVG    string
	Funnel     []sim.StageResult
	Units      []htmlUnit
	UnitCols   []string
	EachCols   []string
	Election   *sim.ElectionSummary
	Command    string
	CSS, JS    string
	// CongressWord ("Congress") and UnitsWord ("electoral units") are the
	// scenario's vocabulary.
	CongressWord, UnitsWord string
	// Lang is the page's language; names gives the scenario's names in it.
	Lang  i18n.Lang
	names *i18n.Names
	// UnitCount is "38 electoral units" in the scenario's words; UnitWord
	// ("Electoral unit") and VotersWord ("voters") too.
	UnitCount, UnitWord, VotersWord string
	// HasCentral says whether a unit has centrally nominated seats.
	HasCentral bool
}

// T is the fixed text en in the page's language.
func (p *htmlPage) T(en string) string { return p.Lang.T(en) }

// Reason is a veto reason as the page's language shows it.
func (p *htmlPage) Reason(r string) string {
	if p.Lang.Zh() {
		return p.names.Reason(r)
	}
	return r
}

// ShareName is a tracked share's name: its identifier in English, its
// Chinese label in Chinese.
func (p *htmlPage) ShareName(name string) string {
	if p.Lang.Zh() {
		return p.names.ShareLabel(name)
	}
	return name
}

// UnitName is a unit's name in the page's language: its name_zh in
// Chinese (the English name when it has none, footnoted).
func (p *htmlPage) UnitName(name, nameZh string) string {
	if p.Lang.Zh() {
		return p.names.UnitNamed(name)
	}
	return name
}

// Footnote lists, in Chinese, the names shown without a Chinese form.
func (p *htmlPage) Footnote() string { return p.names.Footnote() }

// DescribedSection is one part of a scenario put into words: a heading and
// its sentences.
type DescribedSection struct {
	Heading string
	Lines   []string
}

// Ordered says whether the section's lines are steps in order (the
// stages), shown as a numbered list.
func (d DescribedSection) Ordered() bool {
	return d.Heading == "Stages, in order" || d.Heading == stagesHeadingZh
}

type htmlTarget struct {
	sim.TargetResult
	Lost string
}

type htmlUnit struct {
	Name, NameZh, Group string
	Seats, Central      int
	Voters              int
	Uncontested         bool
	Stages              []float64
	Unfilled            float64
	Misses              []float64
}

// HTMLOptions adjust the HTML report.
type HTMLOptions struct {
	// Command is the command line that reproduces the report, shown at its foot.
	Command string
	// Lang is the report's language (English when empty).
	Lang i18n.Lang
}

// HTML writes a self-contained HTML report of a run: every style, script and
// picture is inline (the charts and state diagrams are SVG), so it opens from
// disk without a network, and reads fully with JavaScript disabled; with
// JavaScript the tables can be sorted by clicking a column.
func HTML(w io.Writer, sc *scenario.Scenario, r *sim.Result, opts HTMLOptions) error {
	// The diagrams are of the machines the run fires on: the compiled model's.
	m, err := sim.Compile(sc)
	if err != nil {
		return err
	}
	wf := m.Workflow
	lang := opts.Lang
	if lang == "" {
		lang = i18n.En
	}
	nm := i18n.NewNames(sc, lang)
	title := nm.Title()
	zh := ChineseStateNames(sc)
	p := &htmlPage{
		Title: title, Sc: sc, R: r, Short: short(r.Hash), Words: describeIn(sc, nm),
		TargetsSVG: TargetsChart(r, lang), FunnelSVG: FunnelChart(r, lang), SharesSVG: SharesChart(r, lang),
		UnitSVG:  MachineSVG(wf.Unit, DiagramOptions{ID: "unit-machine", Sublabel: zh}),
		CandSVG:  MachineSVG(wf.Candidate, DiagramOptions{ID: "candidate-machine", Sublabel: zh}),
		Funnel:   r.Funnel,
		Election: r.Election,
		Command:  opts.Command,
		CSS:      reportCSS, JS: reportJS,
		CongressWord: capitalise(sc.Vocabulary.Word(scenario.WordCongress, false, false)),
		UnitsWord:    sc.Vocabulary.Word(scenario.WordUnit, false, true),
		Lang:         lang,
		names:        nm,
		UnitCount:    fmt.Sprintf(lang.T("%d %s"), len(sc.Units), nm.Word(scenario.WordUnit, len(sc.Units) != 1)),
		UnitWord:     capitalise(nm.Word(scenario.WordUnit, false)),
		VotersWord:   nm.Word(scenario.WordVoter, true),
	}
	for _, u := range sc.Units {
		p.HasCentral = p.HasCentral || u.Central > 0
	}
	if lang.Zh() {
		p.CongressWord = nm.Word(scenario.WordCongress, false)
		p.UnitsWord = nm.Word(scenario.WordUnit, true)
	}
	for _, t := range r.Targets {
		ht := htmlTarget{TargetResult: t}
		if lang.Zh() {
			ht.Label = nm.TargetLabel(t.Name)
		}
		missed := int64(r.Trials) - t.Met
		if missed > 0 {
			best := slices.MaxFunc(t.MissedAt, func(a, b sim.StageCount) int { return int(a.Count - b.Count) })
			ht.Lost = fmt.Sprintf(lang.T("%s (%.0f%% of misses)"), stageName(nm, best.Stage), 100*float64(best.Count)/float64(missed))
		}
		p.Targets = append(p.Targets, ht)
	}
	for _, f := range r.Funnel {
		p.UnitCols = append(p.UnitCols, stageName(nm, f.Stage))
	}
	var each []int
	for i := range sc.Targets {
		if sc.Targets[i].Scope == scenario.ScopeEach {
			each = append(each, i)
			p.EachCols = append(p.EachCols, sc.Targets[i].Name)
		}
	}
	for u, un := range sc.Units {
		hu := htmlUnit{Name: un.Name, NameZh: un.NameZh, Group: un.Group, Seats: un.Seats, Central: un.Central,
			Voters: un.EntitledVoters, Uncontested: un.Uncontested}
		for _, f := range r.Funnel {
			if u < len(f.Units) {
				hu.Stages = append(hu.Stages, f.Units[u].Left)
				if f.Kind == scenario.KindElect {
					hu.Unfilled += f.Units[u].Shortfall
				}
			}
		}
		for _, i := range each {
			miss := 0.0
			for _, um := range r.Targets[i].UnitMisses {
				if um.Unit == un.Name {
					miss = float64(um.Count) / float64(r.Trials)
				}
			}
			hu.Misses = append(hu.Misses, miss)
		}
		p.Units = append(p.Units, hu)
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// Describe puts a scenario into words: its units, members, stages, targets
// and tracked shares, one section each.
func Describe(sc *scenario.Scenario) []DescribedSection {
	var out []DescribedSection
	var units []string
	seats := 0
	for _, u := range sc.Units {
		seats += u.Seats
	}
	verb := "elect"
	if len(sc.Units) == 1 {
		verb = "elects"
	}
	units = append(units, fmt.Sprintf("%d %s %s %d %s in all.", len(sc.Units), sc.Vocabulary.Word(scenario.WordUnit, false, len(sc.Units) != 1),
		verb, seats, sc.Vocabulary.Word(scenario.WordDeputy, false, true)))
	list := sc.Units
	if len(list) > 6 {
		sorted := slices.Clone(list)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Seats > sorted[j].Seats })
		units = append(units, fmt.Sprintf("The largest are %s; the smallest %s. Every unit is listed in the table at the end.",
			unitWords(sorted[:3]), unitWords(sorted[len(sorted)-2:])))
		central, uncontested := 0, []string{}
		for _, u := range sc.Units {
			central += u.Central
			if u.Uncontested {
				uncontested = append(uncontested, u.Name)
			}
		}
		if central > 0 {
			units = append(units, fmt.Sprintf("%d centrally nominated candidates join the ballots of their units, outside the surplus ratio.", central))
		}
		if len(uncontested) > 0 {
			units = append(units, fmt.Sprintf("Uncontested (equal-number) votes: %s.", strings.Join(uncontested, ", ")))
		}
	} else {
		for _, u := range list {
			units = append(units, unitSentence(sc, &u))
		}
	}
	out = append(out, DescribedSection{"Units and seats", units})

	var members []string
	for _, ts := range sc.Pool {
		members = append(members, poolWords(ts))
	}
	members = append(members, "Units may override these shares with their own.")
	out = append(out, DescribedSection{capitalise(sc.Vocabulary.Word(scenario.WordMember, false, true)) + " (the pool nominees are drawn from)", members})

	var stages []string
	for i := range sc.Stages {
		stages = append(stages, stageWords(sc, i))
	}
	out = append(out, DescribedSection{"Stages, in order", stages})

	if len(sc.Targets) > 0 {
		var ts []string
		for i := range sc.Targets {
			ts = append(ts, targetWords(sc, &sc.Targets[i]))
		}
		out = append(out, DescribedSection{"Targets (structure requirements)", ts})
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func unitWords(us []scenario.Unit) string {
	var parts []string
	for _, u := range us {
		parts = append(parts, fmt.Sprintf("%s (%d seats)", u.Name, u.Seats))
	}
	return strings.Join(parts, ", ")
}

func unitSentence(sc *scenario.Scenario, u *scenario.Unit) string {
	name := u.Name
	if u.NameZh != "" {
		name += " (" + u.NameZh + ")"
	}
	s := fmt.Sprintf("%s: %d seats", name, u.Seats)
	if u.Central > 0 {
		s += fmt.Sprintf(", %d of them for centrally nominated candidates", u.Central)
	}
	if u.EntitledVoters > 0 {
		s += fmt.Sprintf("; %d entitled %s", u.EntitledVoters, sc.Vocabulary.Word(scenario.WordVoter, false, true))
		if u.Turnout > 0 {
			s += fmt.Sprintf(", each attending with probability %.0f%%", 100*u.Turnout)
		}
	}
	if u.Uncontested {
		s += "; an uncontested (equal-number) vote"
	}
	return s + "."
}

func sharesWords(m map[string]float64, order []string) string {
	var parts []string
	for _, v := range order {
		if x, ok := m[v]; ok {
			parts = append(parts, fmt.Sprintf("%s %.4g%%", v, 100*x))
		}
	}
	return strings.Join(parts, ", ")
}

func poolWords(ts scenario.TraitShares) string {
	if ts.Given == "" {
		return fmt.Sprintf("%s: %s.", ts.Trait, sharesWords(ts.Shares, sortedByShare(ts.Shares)))
	}
	var parts []string
	for _, g := range scenario.SortedKeys(ts.Conditional) {
		parts = append(parts, fmt.Sprintf("for %s %s: %s", ts.Given, g, sharesWords(ts.Conditional[g], sortedByShare(ts.Conditional[g]))))
	}
	return fmt.Sprintf("%s, depending on %s: %s.", ts.Trait, ts.Given, strings.Join(parts, "; "))
}

func sortedByShare(m map[string]float64) []string {
	keys := scenario.SortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	return keys
}

func weightsWords(ws []scenario.TraitWeights, sign bool) string {
	var parts []string
	for _, w := range ws {
		for _, v := range scenario.SortedKeys(w.Values) {
			if sign {
				parts = append(parts, fmt.Sprintf("%s %+g", v, w.Values[v]))
			} else {
				parts = append(parts, fmt.Sprintf("%s ×%g", v, w.Values[v]))
			}
		}
	}
	return strings.Join(parts, ", ")
}

func stageWords(sc *scenario.Scenario, i int) string {
	st := &sc.Stages[i]
	name := st.Name
	if st.Label != "" {
		name = st.Label
	}
	if st.LabelZh != "" {
		name += " (" + st.LabelZh + ")"
	}
	var what string
	switch {
	case st.Nominate != nil:
		n := st.Nominate
		switch n.Mode {
		case scenario.ModeExpanded:
			what = fmt.Sprintf("%s recommend the unit's local seats plus %g%% (expanded nomination)", sc.Vocabulary.Word(scenario.WordMember, false, true), 100*n.Ratio)
		case scenario.ModeCombined:
			what = fmt.Sprintf("%g%% of the seats are nominated with a %g%% expansion, the rest in full", 100*n.ExpandedShare, 100*n.Ratio)
		default:
			what = sc.Vocabulary.Word(scenario.WordMember, false, true) + " recommend exactly as many people as seats (full nomination)"
		}
		if len(n.Weights) > 0 {
			what += "; nomination weights " + weightsWords(n.Weights, false)
		}
	case st.Filter != nil:
		var vs []string
		for _, v := range st.Filter.Vetoes {
			s := fmt.Sprintf("%s %g%%", v.Reason, 100*v.Rate)
			if len(v.When) > 0 {
				s += " (" + v.When.String() + ")"
			}
			vs = append(vs, s)
		}
		what = "each person is removed at random: " + strings.Join(vs, ", ")
	case st.Select != nil:
		s := st.Select
		switch {
		case s.Size.Ballot:
			what = "the committee keeps a list sized for the ballot"
		case s.Size.Count != nil:
			what = fmt.Sprintf("the committee keeps %d people", *s.Size.Count)
		case s.Size.Surplus != nil:
			what = fmt.Sprintf("the committee keeps the seats plus %g%%", 100**s.Size.Surplus)
		}
		what += ", best assessed first"
		if s.FromTargets {
			what += ", applying the targets as quotas"
			if s.TargetMargin > 0 {
				what += fmt.Sprintf(" (minimum shares raised by %g points)", 100*s.TargetMargin)
			}
		}
		for _, q := range s.Quotas {
			what += fmt.Sprintf("; quota %s on %s", q.Name, q.When.String())
		}
		if len(s.ScoreBias) > 0 {
			what += "; preference " + weightsWords(s.ScoreBias, true)
		}
	case st.Elect != nil:
		e := st.Elect
		rule := "at least"
		if e.Strict {
			rule = "more than"
		}
		what = fmt.Sprintf("the %s votes on a ballot with %s %g%% more names than seats; a name needs more than half of the %s %s; quorum more than %g%% of those entitled",
			sc.Vocabulary.Word(scenario.WordCongress, false, false), rule, 100*e.Surplus, e.MajorityOf, sc.Vocabulary.Word(scenario.WordVoter, false, true), 100*e.Quorum)
		what += fmt.Sprintf("; each %s votes for a name with probability about %g%%", sc.Vocabulary.Word(scenario.WordVoter, false, false), 100*e.Voters.Approval)
		if len(e.Voters.Bias) > 0 {
			what += " shifted by " + weightsWords(e.Voters.Bias, true) + " (logit)"
		}
		if e.FurtherRounds > 0 {
			what += fmt.Sprintf("; up to %d further round%s (另行选举) for unfilled seats", e.FurtherRounds, plural(e.FurtherRounds))
		}
	}
	return fmt.Sprintf("%s: %s.", name, what)
}

func targetWords(sc *scenario.Scenario, t *scenario.Target) string {
	var bounds []string
	strict := t.Strict
	if t.MinShare != nil {
		bounds = append(bounds, fmt.Sprintf("%s %.4g%%", ifs(strict, "more than", "at least"), 100**t.MinShare))
	}
	if t.MaxShare != nil {
		bounds = append(bounds, fmt.Sprintf("%s %.4g%%", ifs(strict, "less than", "at most"), 100**t.MaxShare))
	}
	if t.MinCount != nil {
		bounds = append(bounds, fmt.Sprintf("%s %d people", ifs(strict, "more than", "at least"), *t.MinCount))
	}
	if t.MaxCount != nil {
		bounds = append(bounds, fmt.Sprintf("%s %d people", ifs(strict, "fewer than", "at most"), *t.MaxCount))
	}
	if t.AboveMemberShare {
		members := sc.Vocabulary.Word(scenario.WordMember, false, true)
		bounds = append(bounds, ifs(strict, "a share above the "+members+"' share", "a share at least the "+members+"' share"))
	}
	scope := "over all units in scope together"
	if t.Scope == scenario.ScopeEach {
		scope = "in each unit in scope"
	}
	if len(t.Units)+len(t.Groups) > 0 {
		scope += " (" + strings.Join(append(append([]string{}, t.Units...), t.Groups...), ", ") + ")"
	}
	label := t.Name
	if t.Label != "" {
		label = t.Name + " — " + t.Label
	}
	return fmt.Sprintf("%s: %s: %s of the %s, %s.", label, t.When.String(), strings.Join(bounds, " and "), sc.Vocabulary.Word(scenario.WordDeputy, false, true), scope)
}

func ifs(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
