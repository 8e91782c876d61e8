package sweep

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	// The image formats of PlotFormats, registered also in builds with the
	// "minimal" tag, which leaves out gonum/plot's other formats.
	_ "gonum.org/v1/plot/vg/vgimg"
	_ "gonum.org/v1/plot/vg/vgpdf"
	_ "gonum.org/v1/plot/vg/vgsvg"
)

// PlotFormats are the image formats Plot writes, chosen by file extension.
var PlotFormats = []string{"svg", "png", "pdf"}

// PlotFormat returns the image format of a plot file from its extension.
func PlotFormat(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if !slices.Contains(PlotFormats, ext) {
		return "", fmt.Errorf("plot %s: unknown image format %q (want a file ending in .%s)", path, ext, strings.Join(PlotFormats, ", ."))
	}
	return ext, nil
}

// PlotOptions adjust a plot.
type PlotOptions struct {
	// Labels are short names of swept keys for the axes (see ParseVary's
	// LABEL=KEY=SPEC); a key without one is abbreviated by ShortKey. When
	// an axis shows less than the whole key, the caption gives it in full.
	Labels map[string]string
}

// Plot draws the rows of a sweep into an image file with default options;
// see PlotWith.
func Plot(path string, rows []*Row) error { return PlotWith(path, rows, PlotOptions{}) }

// PlotWith draws the rows of a sweep into an image file (SVG, PNG or PDF,
// by extension), the same picture in every format:
//
//   - one swept key: every target's probability against the key, one line
//     per target with its 95% Wilson interval as a band;
//   - two swept keys on a grid: a heat map of each target's probability,
//     one panel per target, with a colour bar;
//   - two swept keys at scattered points (a Latin hypercube): the points
//     coloured by probability, one panel per target.
//
// Probabilities are coloured by viridis, a perceptually uniform sequential
// colour map (dark purple 0, yellow 1) that reads the same in grey and to
// colour-blind eyes. Axes are ticked at the swept values and labelled with
// short names; the caption under the plot gives the full keys.
// Non-numeric values are placed at equal steps in order of appearance.
func PlotWith(path string, rows []*Row, opts PlotOptions) error {
	format, err := PlotFormat(path)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("no finished points to plot")
	}
	if err := PlotKeys(len(rows[0].Keys)); err != nil {
		return err
	}
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b *Row) int { return a.Point - b.Point })
	keys := rows[0].Keys
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = axisLabel(k, opts)
	}
	caption := captionText(keys, labels)
	capH := vg.Length(0)
	if caption != "" {
		capH = 0.35 * vg.Inch
	}
	var w, h vg.Length
	var draw1 func(dc draw.Canvas) error
	switch len(keys) {
	case 1:
		p, err := linePlot(rows, labels[0])
		if err != nil {
			return err
		}
		// The legend goes to the right of the axes, where it cannot hide
		// lines that hug 0 or 1.
		longest := 0
		for _, t := range rows[0].Targets {
			longest = max(longest, len([]rune(t.Name)))
		}
		legendW := vg.Length(longest)*p.Legend.TextStyle.Font.Size*0.5 + p.Legend.ThumbnailWidth + 24
		w, h = 8*vg.Inch+legendW, 5*vg.Inch+capH
		legend := p.Legend
		legend.Top, legend.Left = true, true
		p.Legend = plot.NewLegend()
		draw1 = func(dc draw.Canvas) error {
			p.Draw(draw.Crop(dc, 0, -legendW, capH, 0))
			legend.Draw(draw.Crop(dc, dc.Max.X-dc.Min.X-legendW+8, 0, capH, -0.4*vg.Inch))
			return nil
		}
	case 2:
		if len(rows[0].Targets) == 0 {
			return fmt.Errorf("the scenario has no targets to plot")
		}
		n := len(rows[0].Targets)
		cols := int(math.Ceil(math.Sqrt(float64(n))))
		nrows := (n + cols - 1) / cols
		w, h = vg.Length(cols)*4.5*vg.Inch, vg.Length(nrows)*3.8*vg.Inch+0.9*vg.Inch+capH
		draw1 = func(dc draw.Canvas) error { return mapPlots(draw.Crop(dc, 0, 0, capH, 0), rows, cols, nrows, labels) }
	}
	c, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return err
	}
	dc := draw.New(c)
	if err := draw1(dc); err != nil {
		return err
	}
	if caption != "" {
		sty := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, 9), Handler: plot.DefaultTextHandler,
			XAlign: draw.XLeft, YAlign: draw.YBottom}
		dc.FillText(sty, vg.Point{X: dc.Min.X + 0.15*vg.Inch, Y: dc.Min.Y + 0.12*vg.Inch}, caption)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// PlotKeys checks that a sweep of n keys can be plotted (one or two), so
// that a sweep can refuse --plot before it starts rather than after.
func PlotKeys(n int) error {
	if n < 1 || n > 2 {
		return fmt.Errorf("a plot draws one or two swept keys; this sweep varies %d (plot a slice of the CSV with your own tools)", n)
	}
	return nil
}

// axisLabel is the short name of a swept key on an axis.
func axisLabel(key string, opts PlotOptions) string {
	if l := opts.Labels[key]; l != "" {
		return l
	}
	return ShortKey(key)
}

// captionText names in full the keys whose axis shows a short label; empty
// when every axis shows its whole key.
func captionText(keys, labels []string) string {
	var parts []string
	for i, k := range keys {
		if labels[i] != k {
			parts = append(parts, labels[i]+" = "+k)
		}
	}
	return strings.Join(parts, ";  ")
}

// axis maps a key's values to coordinates: the numbers themselves, or, when
// some value is not a number, 0, 1, 2 … in order of first appearance with
// the values as tick labels.
type axis struct {
	pos    map[string]float64
	labels []string // non-nil for a nominal axis
}

func newAxis(values []string) axis {
	a := axis{pos: map[string]float64{}}
	if xs, ok := numbers(values); ok {
		for i, v := range values {
			a.pos[v] = xs[i]
		}
		return a
	}
	for _, v := range values {
		if _, ok := a.pos[v]; !ok {
			a.pos[v] = float64(len(a.labels))
			a.labels = append(a.labels, v)
		}
	}
	return a
}

func column(rows []*Row, j int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Values[j]
	}
	return out
}

func title(rows []*Row) string {
	lo, hi := rows[0].Trials, rows[0].Trials
	for _, r := range rows {
		lo, hi = min(lo, r.Trials), max(hi, r.Trials)
	}
	if lo == hi {
		return fmt.Sprintf("P(target met), %d trials per point, 95%% Wilson intervals", lo)
	}
	// --precision: every point ran until its intervals were narrow enough.
	return fmt.Sprintf("P(target met), %d–%d trials per point, 95%% Wilson intervals", lo, hi)
}

// linePlot draws probability against the single swept key.
func linePlot(rows []*Row, label string) (*plot.Plot, error) {
	ax := newAxis(column(rows, 0))
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b *Row) int {
		return cmpFloat(ax.pos[a.Values[0]], ax.pos[b.Values[0]])
	})
	p := plot.New()
	p.Title.Text = title(rows)
	p.X.Label.Text = label
	p.Y.Label.Text = "probability"
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = probabilityTicks{}
	p.Add(plotter.NewGrid())
	for i, name := range rows[0].targetNames() {
		n := len(sorted)
		mid := make(plotter.XYs, n)
		band := make(plotter.XYs, 2*n)
		for k, r := range sorted {
			t := r.Targets[i]
			x := ax.pos[r.Values[0]]
			mid[k] = plotter.XY{X: x, Y: t.Probability}
			band[k] = plotter.XY{X: x, Y: t.CIHigh}
			band[2*n-1-k] = plotter.XY{X: x, Y: t.CILow}
		}
		col := plotutil.Color(i)
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, err
		}
		r, g, b, _ := col.RGBA()
		poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
		poly.LineStyle.Width = 0
		line, pts, err := plotter.NewLinePoints(mid)
		if err != nil {
			return nil, err
		}
		line.Color, pts.Color = col, col
		line.Width = vg.Points(1.5)
		line.Dashes = plotutil.Dashes(i) // lines lying on each other stay visible
		pts.Shape = draw.CircleGlyph{}
		pts.Radius = vg.Points(2)
		p.Add(poly, line, pts)
		p.Legend.Add(name, line, pts)
	}
	if ax.labels != nil {
		p.NominalX(ax.labels...)
	} else {
		p.X.Tick.Marker = ax.ticks()
	}
	return p, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// grid is a two-key sweep laid out as a GridXYZ of one target's
// probabilities, when every combination of the keys' values appears once.
type grid struct {
	xs, ys []float64
	z      [][]float64 // [column][row]
}

func (g *grid) Dims() (int, int)   { return len(g.xs), len(g.ys) }
func (g *grid) Z(c, r int) float64 { return g.z[c][r] }
func (g *grid) X(c int) float64    { return g.xs[c] }
func (g *grid) Y(r int) float64    { return g.ys[r] }
func (g *grid) Min() float64       { return 0 }
func (g *grid) Max() float64       { return 1 }

// toGrid returns the rows' layout as a full grid, or false when some
// combination of values is missing or repeated (scattered designs).
func toGrid(rows []*Row, ax, ay axis) (xs, ys []float64, at map[[2]float64]*Row, ok bool) {
	at = map[[2]float64]*Row{}
	for _, r := range rows {
		k := [2]float64{ax.pos[r.Values[0]], ay.pos[r.Values[1]]}
		if _, dup := at[k]; dup {
			return nil, nil, nil, false
		}
		at[k] = r
		if !slices.Contains(xs, k[0]) {
			xs = append(xs, k[0])
		}
		if !slices.Contains(ys, k[1]) {
			ys = append(ys, k[1])
		}
	}
	slices.Sort(xs)
	slices.Sort(ys)
	return xs, ys, at, len(xs)*len(ys) == len(rows) && len(xs) > 1 && len(ys) > 1
}

// mapPlots draws one heat map (or coloured scatter) per target in a grid of
// panels above a colour bar.
func mapPlots(dc draw.Canvas, rows []*Row, cols, nrows int, labels []string) error {
	ax, ay := newAxis(column(rows, 0)), newAxis(column(rows, 1))
	xs, ys, at, isGrid := toGrid(rows, ax, ay)
	pal := viridisPalette(101)
	plots := make([][]*plot.Plot, nrows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
	}
	for i, name := range rows[0].targetNames() {
		p := plot.New()
		p.Title.Text = "P(" + name + ")"
		p.X.Label.Text = labels[0]
		p.Y.Label.Text = labels[1]
		if isGrid {
			g := &grid{xs: xs, ys: ys, z: make([][]float64, len(xs))}
			for c, x := range xs {
				g.z[c] = make([]float64, len(ys))
				for r, y := range ys {
					g.z[c][r] = at[[2]float64{x, y}].Targets[i].Probability
				}
			}
			hm := plotter.NewHeatMap(g, pal)
			hm.Min, hm.Max = 0, 1
			p.Add(hm)
			if len(xs) <= 16 && len(ys) <= 24 {
				labels, err := cellLabels(g)
				if err != nil {
					return err
				}
				p.Add(labels)
			}
		} else {
			xys := make(plotter.XYs, len(rows))
			for k, r := range rows {
				xys[k] = plotter.XY{X: ax.pos[r.Values[0]], Y: ay.pos[r.Values[1]]}
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return err
			}
			sc.GlyphStyleFunc = func(k int) draw.GlyphStyle {
				return draw.GlyphStyle{Color: viridis(rows[k].Targets[i].Probability), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			}
			p.Add(plotter.NewGrid(), sc)
		}
		if ax.labels != nil {
			p.NominalX(ax.labels...)
		} else {
			p.X.Tick.Marker = ax.ticks()
		}
		if ay.labels != nil {
			nominalY(p, ay.labels)
		} else {
			p.Y.Tick.Marker = ay.ticks()
		}
		plots[i/cols][i%cols] = p
	}
	top := draw.Crop(dc, 0, 0, 0.9*vg.Inch, 0)
	tiles := draw.Tiles{Rows: nrows, Cols: cols, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(8), PadX: vg.Points(12), PadY: vg.Points(12)}
	canvases := plot.Align(plots, tiles, top)
	for r := range plots {
		for c := range plots[r] {
			if plots[r][c] != nil {
				plots[r][c].Draw(canvases[r][c])
			}
		}
	}
	// The colour bar is drawn as filled rectangles, not as an image: an
	// SVG image one pixel high keeps its aspect ratio in a browser and
	// collapses to a hairline.
	bar := plot.New()
	bar.Title.Text = "probability"
	bar.HideY()
	bar.X.Padding = 0
	bar.X.Min, bar.X.Max = 0, 1
	bar.X.Tick.Marker = probabilityTicks{}
	bar.Add(colourStrip{steps: 100})
	bottom := draw.Crop(dc, vg.Inch, -vg.Inch, 0, -(dc.Max.Y - dc.Min.Y - 0.9*vg.Inch))
	bar.Draw(bottom)
	return nil
}

// cellLabels writes each cell's probability at its centre, white on the
// palette's dark (low) half.
func cellLabels(g *grid) (*plotter.Labels, error) {
	var d plotter.XYLabels
	for c, x := range g.xs {
		for r, y := range g.ys {
			d.XYs = append(d.XYs, plotter.XY{X: x, Y: y})
			d.Labels = append(d.Labels, strconv.FormatFloat(g.z[c][r], 'f', 2, 64))
		}
	}
	l, err := plotter.NewLabels(d)
	if err != nil {
		return nil, err
	}
	k := 0
	for c := range g.xs {
		for r := range g.ys {
			st := &l.TextStyle[k]
			st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
			st.Font.Size = vg.Points(7)
			if g.z[c][r] < 0.55 {
				st.Color = color.White
			}
			k++
		}
	}
	return l, nil
}

// nominalY labels the y axis with names at 0, 1, 2 ….
func nominalY(p *plot.Plot, names []string) {
	p.Y.Tick.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Width = 0
	p.Y.Padding = 0
	ticks := make([]plot.Tick, len(names))
	for i, name := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: name}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
}

// probabilityTicks marks [0, 1] every 0.1, labelled every 0.2.
type probabilityTicks struct{}

// Ticks implements plot.Ticker.
func (probabilityTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for i := 0; i <= 10; i++ {
		t := plot.Tick{Value: float64(i) / 10}
		if i%2 == 0 {
			t.Label = strconv.FormatFloat(t.Value, 'f', 1, 64)
		}
		ts = append(ts, t)
	}
	return ts
}

// ticks marks a numeric axis at the swept values (not at the cells' edges),
// labelling at most about ten of them, evenly spaced.
func (a axis) ticks() plot.Ticker {
	var vs []float64
	text := map[float64]string{}
	for v, x := range a.pos {
		if _, ok := text[x]; !ok {
			vs = append(vs, x)
			text[x] = v
		}
	}
	slices.Sort(vs)
	every := (len(vs) + 9) / 10
	ts := make([]plot.Tick, len(vs))
	for i, x := range vs {
		ts[i] = plot.Tick{Value: x}
		if i%every == 0 {
			ts[i].Label = strconv.FormatFloat(x, 'g', -1, 64)
		}
	}
	return plot.ConstantTicks(ts)
}

// viridisStops are matplotlib's viridis at 0, 0.1, … 1.
var viridisStops = [11]color.NRGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x48, 0x24, 0x75, 0xff}, {0x41, 0x44, 0x87, 0xff}, {0x35, 0x5f, 0x8d, 0xff},
	{0x2a, 0x78, 0x8e, 0xff}, {0x21, 0x91, 0x8c, 0xff}, {0x22, 0xa8, 0x84, 0xff}, {0x44, 0xbf, 0x70, 0xff},
	{0x7a, 0xd1, 0x51, 0xff}, {0xbd, 0xdf, 0x26, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

// viridis is the colour of probability v (clamped to [0, 1]) on the
// viridis map, interpolated linearly between its stops.
func viridis(v float64) color.Color {
	if math.IsNaN(v) {
		return color.Black
	}
	v = min(max(v, 0), 1) * 10
	i := min(int(v), 9)
	f := v - float64(i)
	a, b := viridisStops[i], viridisStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

type colours []color.Color

func (c colours) Colors() []color.Color { return c }

// viridisPalette is n colours evenly spaced on viridis from 0 to 1.
func viridisPalette(n int) palette.Palette {
	out := make(colours, n)
	for i := range out {
		out[i] = viridis(float64(i) / float64(n-1))
	}
	return out
}

// colourStrip draws viridis over [0, 1] as steps filled rectangles: vector
// shapes, the same in SVG, PNG and PDF.
type colourStrip struct{ steps int }

// Plot implements plot.Plotter.
func (s colourStrip) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for i := range s.steps {
		lo, hi := float64(i)/float64(s.steps), float64(i+1)/float64(s.steps)
		x0, x1 := trX(lo), trX(hi)
		if i < s.steps-1 {
			x1 += vg.Points(1) // overlap the next step: no seams between them
		}
		c.FillPolygon(viridis((lo+hi)/2), []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
	}
}

// DataRange implements plot.DataRanger.
func (colourStrip) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, 0, 1 }
