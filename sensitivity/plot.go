package sensitivity

import (
	"bytes"
	"fmt"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"simulate/sweep"
)

// plotIndices are the indices drawn as bars: S1 and ST, or μ* and σ.
func plotIndices(method string) []string {
	if method == Morris {
		return []string{MuStar, Sigma}
	}
	return []string{S1, ST}
}

// intervalBars are one index's bars, horizontal, with their intervals as
// whiskers: the plotter.XYer and XErrorer of plotter.XErrorBars.
type intervalBars struct {
	ix []Index
	y  []float64
}

func (b intervalBars) Len() int                    { return len(b.ix) }
func (b intervalBars) XY(i int) (float64, float64) { return b.ix[i].Estimate, b.y[i] }
func (b intervalBars) XError(i int) (float64, float64) {
	return b.ix[i].Estimate - b.ix[i].Low, b.ix[i].High - b.ix[i].Estimate
}

// Plot draws the report into an image file (SVG, PNG or PDF, by extension):
// one panel per output, a pair of horizontal bars per parameter (S1 and ST,
// or μ* and σ) with the bootstrap intervals as whiskers.
func (r *Report) Plot(path string) error {
	format, err := sweep.PlotFormat(path)
	if err != nil {
		return err
	}
	n := len(r.Outputs)
	if n == 0 {
		return fmt.Errorf("no outputs to plot")
	}
	cols := min(n, 2)
	rows := (n + cols - 1) / cols
	longest := 0
	for _, p := range r.Params {
		longest = max(longest, len([]rune(p.Name)))
	}
	panelW := 3.5*vg.Inch + vg.Length(longest)*vg.Points(5)
	panelH := 1.2*vg.Inch + vg.Length(len(r.Params))*0.45*vg.Inch
	c, err := draw.NewFormattedCanvas(vg.Length(cols)*panelW, vg.Length(rows)*panelH, format)
	if err != nil {
		return err
	}
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
	}
	names := make([]string, len(r.Params))
	for i, p := range r.Params {
		names[len(names)-1-i] = p.Name // the first parameter on top
	}
	indices := plotIndices(r.Method)
	for k, out := range r.Outputs {
		p := plot.New()
		p.Title.Text = out.Name
		p.X.Label.Text = "index"
		if r.Method == Morris {
			p.X.Label.Text = "change over the whole range"
		}
		p.Add(plotter.NewGrid())
		if out.Note != "" {
			p.Title.Text += " (constant: no indices)"
		}
		w := vg.Points(10)
		for j, name := range indices {
			bars := intervalBars{}
			vals := plotter.Values{}
			for i := len(out.Params) - 1; i >= 0; i-- {
				ix := out.Params[i].Index(name)
				if math.IsNaN(ix.Estimate) {
					ix = Index{Name: name}
				}
				bars.ix = append(bars.ix, ix)
				bars.y = append(bars.y, float64(len(bars.y)))
				vals = append(vals, ix.Estimate)
			}
			bc, err := plotter.NewBarChart(vals, w)
			if err != nil {
				return err
			}
			bc.Horizontal = true
			bc.Offset = vg.Length(j-len(indices)/2)*w + w/2*vg.Length(1-len(indices)%2)
			bc.Color = plotutil.Color(j)
			bc.LineStyle.Width = 0
			eb, err := plotter.NewXErrorBars(bars)
			if err != nil {
				return err
			}
			// Whiskers at the bar's centre: the error bars are placed on
			// the category line, so shift them like the bar.
			off := bc.Offset
			p.Add(bc, offsetErrorBars{eb, off})
			if k == 0 {
				p.Legend.Add(label(name), bc)
			}
		}
		p.Legend.Top = true
		p.NominalY(names...)
		p.X.Min = math.Min(p.X.Min, 0)
		if r.Method == Sobol {
			p.X.Max = math.Max(p.X.Max, 1)
		}
		if k == 0 {
			// Room on the right for the legend.
			p.X.Max += 0.3 * (p.X.Max - p.X.Min)
		}
		plots[k/cols][k%cols] = p
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(8), PadX: vg.Points(16), PadY: vg.Points(16)}
	canvases := plot.Align(plots, tiles, draw.New(c))
	for i := range plots {
		for j := range plots[i] {
			if plots[i][j] != nil {
				plots[i][j].Draw(canvases[i][j])
			}
		}
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func label(index string) string {
	switch index {
	case MuStar:
		return "μ*"
	case Sigma:
		return "σ"
	}
	return index
}

// offsetErrorBars draws error bars shifted vertically by a fixed length.
type offsetErrorBars struct {
	*plotter.XErrorBars
	off vg.Length
}

func (o offsetErrorBars) Plot(c draw.Canvas, p *plot.Plot) {
	c.Min.Y += o.off
	c.Max.Y += o.off
	o.XErrorBars.Plot(c, p)
}
