package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ExploreParam is a parameter the interactive page (`simulate serve`)
// offers as a slider: a scenario path written as for --set, and the grid
// of values it takes in the syntax of a sweep's --vary grid,
// start:stop:step. It changes nothing in a run.
type ExploreParam struct {
	Path string `yaml:"path" mapstructure:"path"`
	// Values is the grid start:stop:step, e.g. 0.05:0.5:0.05.
	Values string `yaml:"values" mapstructure:"values"`
	// Label and LabelZh name the slider.
	Label   string `yaml:"label" mapstructure:"label"`
	LabelZh string `yaml:"label_zh" mapstructure:"label_zh"`
}

// MaxExploreParams bounds the sliders of a scenario, MaxExplorePoints the
// values of one.
const (
	MaxExploreParams = 12
	MaxExplorePoints = 1001
)

// ExploreGrid parses a grid start:stop:step into its bounds and the number
// of values start, start+step, … ≤ stop.
func ExploreGrid(spec string) (start, stop, step float64, points int, err error) {
	if strings.ContainsAny(spec, "\n\r") {
		// As a sweep's --vary, which the page's values come from.
		return 0, 0, 0, 0, fmt.Errorf("%q: a grid must be on one line", spec)
	}
	parts := strings.Split(spec, ":")
	if len(parts) != 3 {
		return 0, 0, 0, 0, fmt.Errorf("%q: want a grid start:stop:step, e.g. 0.05:0.5:0.05", spec)
	}
	var v [3]float64
	for i, p := range parts {
		if v[i], err = strconv.ParseFloat(strings.TrimSpace(p), 64); err != nil || !finite(v[i]) {
			return 0, 0, 0, 0, fmt.Errorf("%q: %q is not a number", spec, strings.TrimSpace(p))
		}
	}
	start, stop, step = v[0], v[1], v[2]
	if step <= 0 || stop <= start {
		return 0, 0, 0, 0, fmt.Errorf("%q: want start < stop and step > 0", spec)
	}
	n := math.Floor((stop-start)/step+1e-9) + 1
	if n > MaxExplorePoints {
		return 0, 0, 0, 0, fmt.Errorf("%q: %v values; a slider takes at most %d", spec, n, MaxExplorePoints)
	}
	return start, stop, step, int(n), nil
}

func (sc *Scenario) validateExplore(ps *problems) {
	if len(sc.Explore) > MaxExploreParams {
		ps.add("explore", "at most %d parameters, got %d", MaxExploreParams, len(sc.Explore))
	}
	seen := map[string]bool{}
	for i, q := range sc.Explore {
		p := fmt.Sprintf("explore[%d]", i)
		if strings.TrimSpace(q.Path) == "" {
			ps.add(p+".path", "is required, e.g. stages[name=election].elect.surplus")
		} else {
			checkParamPath(ps, p+".path", q.Path, seen)
		}
		if _, _, _, _, err := ExploreGrid(q.Values); err != nil {
			ps.add(p+".values", "%v", err)
		}
	}
}
