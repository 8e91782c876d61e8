package report

import (
	"fmt"
	"math"
	"strings"

	"simulate/internal/i18n"
	"simulate/sim"
)

// Charts of a run as inline SVG: they need no script and no network, and
// scale with the page (width 100%, fixed aspect).

const (
	chartW     = 760.0
	chartRight = 24.0
	chartRowH  = 30.0
	chartTop   = 34.0
)

func svgOpen(b *strings.Builder, class, label string, height float64) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" preserveAspectRatio="xMinYMin meet">`+"\n",
		class, chartW, height, esc(label))
	fmt.Fprintf(b, "<title>%s</title>\n", esc(label))
}

// axis draws vertical grid lines and labels for x values in [lo, hi].
func (p plot) axis(b *strings.Builder, lo, hi, top, bottom float64, ticks []float64, format func(float64) string) {
	for _, t := range ticks {
		x := p.x(t, lo, hi)
		fmt.Fprintf(b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x, top-6, x, bottom)
		fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%.1f">%s</text>`+"\n", x, top-10, esc(format(t)))
	}
}

// plot is the horizontal scale of a chart whose plotting area runs from
// left, after the row labels, to right before the chart's right edge.
type plot struct{ left, right float64 }

// Estimated widths of a character in the row labels (12.5 px) and the value
// labels (11.5 px) of the proportional font: generous, so that a label is
// never clipped at the edge of the picture.
const (
	rowNarrow, rowWide     = 7.8, 13
	valueNarrow, valueWide = 6.9, 12
)

// maxLeft is the most room row labels take; longer labels are abbreviated.
const maxLeft = 320.0

// newPlot leaves room on the left for the longest row label.
func newPlot(labels []string) plot {
	left := 90.0
	for _, l := range labels {
		left = max(left, textSpan(l, rowNarrow, rowWide)+20)
	}
	return plot{left: min(left, maxLeft), right: chartRight}
}

// rowLabel writes a row's label ending 10 units before the plotting area.
// A label too long for the room is cut with an ellipsis, the whole label
// in its tooltip (<title>), so that it is never clipped at the picture's
// edge.
func (p plot) rowLabel(b *strings.Builder, y float64, label string) {
	shown := abbreviate(label, p.left-20)
	tip := ""
	if shown != label {
		tip = "<title>" + esc(label) + "</title>"
	}
	fmt.Fprintf(b, `<text class="rowlabel" x="%.1f" y="%.1f">%s%s</text>`, p.left-10, y, esc(shown), tip)
}

// abbreviate cuts s to fit room (estimated as row-label text), ending it
// with an ellipsis.
func abbreviate(s string, room float64) string {
	if textSpan(s, rowNarrow, rowWide) <= room {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && textSpan(string(r)+"…", rowNarrow, rowWide) > room {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " _·") + "…"
}

// reserveRight leaves room at the right for value labels written after the
// longest bar.
func (p plot) reserveRight(labels []string) plot {
	for _, l := range labels {
		p.right = max(p.right, textSpan(l, valueNarrow, valueWide)+12)
	}
	p.right = min(p.right, (chartW-p.left)/2)
	return p
}

func (p plot) x(v, lo, hi float64) float64 {
	if hi <= lo {
		return p.left
	}
	return p.left + (v-lo)/(hi-lo)*(chartW-p.left-p.right)
}

func pctLabel(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }

// TargetsChart draws each target's probability of being met with its 95%
// Wilson interval on a 0–100% axis.
func TargetsChart(r *sim.Result, L i18n.Lang) string {
	var b strings.Builder
	h := chartTop + chartRowH*float64(len(r.Targets)) + 12
	var names []string
	for _, t := range r.Targets {
		names = append(names, t.Name)
	}
	p := newPlot(names)
	svgOpen(&b, "targets-chart", L.T("Probability that each target is met, with 95% intervals"), h)
	p.axis(&b, 0, 1, chartTop, h-8, []float64{0, 0.25, 0.5, 0.75, 1}, pctLabel)
	for i, t := range r.Targets {
		y := chartTop + chartRowH*float64(i) + chartRowH/2
		cls := "ok"
		switch {
		case t.Probability < 0.5:
			cls = "bad"
		case t.Probability < 0.95:
			cls = "warn"
		}
		fmt.Fprintf(&b, `<g class="row %s"><title>%s</title>`, cls, esc(fmt.Sprintf(L.T("%s: P(met) %.3f, 95%% interval [%.3f, %.3f]"), t.Name, t.Probability, t.CILow, t.CIHigh)))
		p.rowLabel(&b, y+4, t.Name)
		fmt.Fprintf(&b, `<line class="ci" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, p.x(t.CILow, 0, 1), y, p.x(t.CIHigh, 0, 1), y)
		fmt.Fprintf(&b, `<circle class="point" cx="%.1f" cy="%.1f" r="5.5"/>`, p.x(t.Probability, 0, 1), y)
		lx, anchor := p.x(t.Probability, 0, 1)+10, "start"
		if t.Probability > 0.85 {
			lx, anchor = p.x(t.CILow, 0, 1)-8, "end"
		}
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" text-anchor="%s">%.1f%%</text></g>`+"\n", lx, y-7, anchor, 100*t.Probability)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// FunnelChart draws the mean list size entering and leaving each stage.
func FunnelChart(r *sim.Result, L i18n.Lang) string {
	var b strings.Builder
	rowH := 38.0
	h := chartTop + rowH*float64(len(r.Funnel)) + 30
	var names []string
	for _, f := range r.Funnel {
		names = append(names, funnelLabel(f))
	}
	var values []string
	for _, f := range r.Funnel {
		values = append(values, funnelValue(f, L))
	}
	p := newPlot(names).reserveRight(values)
	svgOpen(&b, "funnel-chart", L.T("Stage funnel: mean people entering and leaving each stage per trial"), h)
	most := 1.0
	for _, f := range r.Funnel {
		most = max(most, f.Entered, f.Left)
	}
	hi := niceCeil(most)
	var ticks []float64
	for i := 0; i <= 4; i++ {
		ticks = append(ticks, hi*float64(i)/4)
	}
	p.axis(&b, 0, hi, chartTop, h-30, ticks, func(v float64) string { return trimNum(v) })
	for i, f := range r.Funnel {
		y := chartTop + rowH*float64(i) + 4
		label := funnelLabel(f)
		why := reasonsText(f)
		fmt.Fprintf(&b, `<g class="stage"><title>%s</title>`, esc(fmt.Sprintf(L.T("%s: %.1f entered, %.1f left, %.1f dropped%s"), f.Stage, f.Entered, f.Left, f.Dropped, why)))
		p.rowLabel(&b, y+15, label)
		fmt.Fprintf(&b, `<rect class="entered" x="%.1f" y="%.1f" width="%.1f" height="13"/>`, p.left, y, p.x(f.Entered, 0, hi)-p.left)
		fmt.Fprintf(&b, `<rect class="left" x="%.1f" y="%.1f" width="%.1f" height="13"/>`, p.left, y+14, p.x(f.Left, 0, hi)-p.left)
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f">%s</text></g>`+"\n",
			p.x(max(f.Entered, f.Left), 0, hi)+6, y+18, esc(funnelValue(f, L)))
	}
	ly := h - 12
	fmt.Fprintf(&b, `<rect class="entered" x="%.1f" y="%.1f" width="14" height="10"/><text class="legend" x="%.1f" y="%.1f">%s</text>`, p.left, ly-9, p.left+20, ly, esc(L.T("entered")))
	fmt.Fprintf(&b, `<rect class="left" x="%.1f" y="%.1f" width="14" height="10"/><text class="legend" x="%.1f" y="%.1f">%s</text>`+"\n", p.left+90, ly-9, p.left+110, ly, esc(L.T("left (passed on)")))
	b.WriteString("</svg>\n")
	return b.String()
}

// funnelValue is the label written after a stage's bars.
func funnelValue(f sim.StageResult, L i18n.Lang) string {
	return fmt.Sprintf("%.1f → %.1f%s", f.Entered, f.Left, shortWhy(f, L))
}

func funnelLabel(f sim.StageResult) string {
	if f.LabelZh != "" {
		return f.Stage + " · " + f.LabelZh
	}
	return f.Stage
}

func reasonsText(f sim.StageResult) string {
	var parts []string
	for _, r := range f.Reasons {
		parts = append(parts, fmt.Sprintf("%s %.2f", r.Reason, r.Mean))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

func shortWhy(f sim.StageResult, L i18n.Lang) string {
	switch {
	case f.Shortfall > 0.005:
		return fmt.Sprintf(L.T("  (%.2f unfilled)"), f.Shortfall)
	}
	return ""
}

// SharesChart draws each tracked share's distribution across trials: the
// range (whisker), the 5th–95th percentiles (box), the median (bar), the
// mean (dot) and the published value (diamond).
func SharesChart(r *sim.Result, L i18n.Lang) string {
	var b strings.Builder
	h := chartTop + chartRowH*float64(len(r.Shares)) + 30
	var names []string
	for _, s := range r.Shares {
		names = append(names, s.Name)
	}
	p := newPlot(names)
	svgOpen(&b, "shares-chart", L.T("Distribution of the elected shares across trials, against published values"), h)
	lo, hi := 1.0, 0.0
	for _, s := range r.Shares {
		if s.Samples == 0 {
			continue
		}
		lo, hi = min(lo, s.Min), max(hi, s.Max)
		if s.Published != nil {
			lo, hi = min(lo, *s.Published), max(hi, *s.Published)
		}
	}
	if hi <= lo {
		lo, hi = 0, 1
	}
	lo = math.Max(0, math.Floor(lo*10-0.5)/10)
	hi = math.Min(1, math.Ceil(hi*10+0.5)/10)
	var ticks []float64
	step := 0.1
	if hi-lo > 0.6 {
		step = 0.2
	}
	for t := lo; t <= hi+1e-9; t += step {
		ticks = append(ticks, math.Round(t*100)/100)
	}
	p.axis(&b, lo, hi, chartTop, h-30, ticks, pctLabel)
	for i, s := range r.Shares {
		y := chartTop + chartRowH*float64(i) + chartRowH/2
		pub := ""
		if s.Published != nil {
			pub = fmt.Sprintf(L.T(", published %.1f%%"), 100**s.Published)
		}
		fmt.Fprintf(&b, `<g class="share"><title>%s</title>`,
			esc(fmt.Sprintf(L.T("%s: mean %.1f%%, 5th–95th percentile %.1f–%.1f%%, median %.1f%%, range %.1f–%.1f%%%s"),
				s.Name, 100*s.Mean, 100*s.P05, 100*s.P95, 100*s.P50, 100*s.Min, 100*s.Max, pub)))
		p.rowLabel(&b, y+4, s.Name)
		if s.Samples > 0 {
			x := func(v float64) float64 { return p.x(v, lo, hi) }
			fmt.Fprintf(&b, `<line class="whisker" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(s.Min), y, x(s.Max), y)
			fmt.Fprintf(&b, `<rect class="box" x="%.1f" y="%.1f" width="%.1f" height="14" rx="2"/>`, x(s.P05), y-7, math.Max(1, x(s.P95)-x(s.P05)))
			fmt.Fprintf(&b, `<line class="median" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(s.P50), y-7, x(s.P50), y+7)
			fmt.Fprintf(&b, `<circle class="mean" cx="%.1f" cy="%.1f" r="3.5"/>`, x(s.Mean), y)
			if s.Published != nil {
				px := x(*s.Published)
				fmt.Fprintf(&b, `<path class="published" d="M%.1f %.1f l6 6 l-6 6 l-6 -6 z"/>`, px, y-6)
			}
		}
		b.WriteString("</g>\n")
	}
	ly := h - 12
	x0 := p.left
	fmt.Fprintf(&b, `<rect class="box" x="%.1f" y="%.1f" width="18" height="10"/><text class="legend" x="%.1f" y="%.1f">%s</text>`, x0, ly-9, x0+24, ly, esc(L.T("5th–95th percentile")))
	fmt.Fprintf(&b, `<circle class="mean" cx="%.1f" cy="%.1f" r="3.5"/><text class="legend" x="%.1f" y="%.1f">%s</text>`, x0+170, ly-4, x0+180, ly, esc(L.T("mean")))
	fmt.Fprintf(&b, `<path class="published" d="M%.1f %.1f l6 6 l-6 6 l-6 -6 z"/><text class="legend" x="%.1f" y="%.1f">%s</text>`+"\n", x0+240, ly-10, x0+252, ly, esc(L.T("published")))
	b.WriteString("</svg>\n")
	return b.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func trimNum(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
