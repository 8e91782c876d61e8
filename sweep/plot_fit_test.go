package sweep

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVaryLabel(t *testing.T) {
	tests := []struct {
		arg, label, key, spec string
	}{
		{"women_bias=stages[name=election].elect.voters.bias[0].values.female=-1:0:0.25", "women_bias", "stages[name=election].elect.voters.bias[0].values.female", "-1:0:0.25"},
		{"surplus=stages[name=election].elect.surplus=0.1,0.2", "surplus", "stages[name=election].elect.surplus", "0.1,0.2"},
		{"seats-tibet=units[name=Tibet].seats=20,30", "seats-tibet", "units[name=Tibet].seats", "20,30"},
		// Without a label: read as always.
		{"stages[name=election].elect.surplus=0.1:0.3:0.1", "", "stages[name=election].elect.surplus", "0.1:0.3:0.1"},
		{"units[0].seats=20,30", "", "units[0].seats", "20,30"},
		// The part after the first = is not KEY=SPEC with a path KEY.
		{"title=a=b", "", "title", "a=b"},
		{"description=x,y=z", "", "description", "x,y=z"},
		// Not a label: it is a path itself.
		{"units[0].name=a.b=c", "", "units[0].name", "a.b=c"},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			p, err := ParseVary(tc.arg)
			require.NoError(t, err)
			assert.Equal(t, tc.label, p.Label)
			assert.Equal(t, tc.key, p.Key)
			assert.Equal(t, tc.spec, p.Spec)
		})
	}
	_, err := ParseVary("bias=run.seed=1,2")
	assert.ErrorContains(t, err, "run settings cannot be swept")
}

func TestShortKey(t *testing.T) {
	tests := []struct{ key, want string }{
		{"units[0].seats", "units[0].seats"},
		{"stages[name=election].elect.surplus", "election: elect.surplus"},
		{"stages[name=election].elect.voters.bias[0].values.woman", "election: values.woman"},
		{"units[name=Inner Mongolia].seats", "Inner Mongolia: seats"},
		{"targets[name=women].min_share", "women: min_share"},
		{"a_very_long_top_level_key_without_dots", "a_very_long_top_level_key_without_dots"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ShortKey(tc.key), tc.key)
	}
}

// luminance is the relative luminance of c (WCAG).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// Viridis is sequential: from dark purple at 0 to yellow at 1, lighter at
// every step, so that a higher probability always reads lighter.
func TestViridisSequential(t *testing.T) {
	assert.Equal(t, color.NRGBA{0x44, 0x01, 0x54, 0xff}, viridis(0))
	assert.Equal(t, color.NRGBA{0xfd, 0xe7, 0x25, 0xff}, viridis(1))
	assert.Equal(t, viridis(0), viridis(-0.5), "clamped")
	assert.Equal(t, viridis(1), viridis(2), "clamped")
	prev := -1.0
	for i := 0; i <= 100; i++ {
		l := luminance(viridis(float64(i) / 100))
		assert.Greater(t, l, prev, "lighter at %d%%", i)
		prev = l
	}
}

// The SVG and the PNG of a heat map show the same picture: the colour bar
// is vector shapes in both (an SVG <image> collapses to a hairline in a
// browser), and the PNG holds both ends of the colour map.
func TestPlotHeatMapContent(t *testing.T) {
	dir := t.TempDir()
	var pts [][]string
	for _, x := range []string{"0.1", "0.2", "0.3"} {
		for _, y := range []string{"10", "20"} {
			pts = append(pts, []string{x, y})
		}
	}
	keys := []string{"stages[name=election].elect.surplus", "units[0].seats"}
	rows := fakeRows(keys, pts)
	rows[0].Targets[0].Probability, rows[5].Targets[0].Probability = 0, 1
	opts := PlotOptions{Labels: map[string]string{keys[0]: "surplus"}}
	svgPath, pngPath := filepath.Join(dir, "h.svg"), filepath.Join(dir, "h.png")
	require.NoError(t, PlotWith(svgPath, rows, opts))
	require.NoError(t, PlotWith(pngPath, rows, opts))

	svg, err := os.ReadFile(svgPath)
	require.NoError(t, err)
	assert.NotContains(t, string(svg), "<image", "no raster image in the SVG")
	texts := map[string]bool{}
	for _, m := range regexp.MustCompile(`>([^<>]+)</text>`).FindAllSubmatch(svg, -1) {
		texts[string(bytes.TrimSpace(m[1]))] = true
	}
	for _, want := range []string{"surplus", "units[0].seats", "0.1", "0.2", "0.3", "10", "20", "probability",
		"surplus = stages[name=election].elect.surplus"} {
		assert.True(t, texts[want], "the SVG writes %q", want)
	}
	for _, edge := range []string{"0.15", "0.25", "15"} {
		assert.False(t, texts[edge], "a tick at a cell edge: %q", edge)
	}

	f, err := os.Open(pngPath)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	near := func(want color.NRGBA) int {
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				d := func(a uint32, b uint8) int { return int(a>>8) - int(b) }
				if iabs(d(r, want.R))+iabs(d(g, want.G))+iabs(d(bl, want.B)) < 24 {
					n++
				}
			}
		}
		return n
	}
	assert.Greater(t, near(color.NRGBA{0x44, 0x01, 0x54, 0xff}), 500, "dark purple (0) in the PNG")
	assert.Greater(t, near(color.NRGBA{0xfd, 0xe7, 0x25, 0xff}), 500, "yellow (1) in the PNG")
}

func iabs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestPlotKeys(t *testing.T) {
	for n, ok := range map[int]bool{0: false, 1: true, 2: true, 3: false} {
		if ok {
			assert.NoError(t, PlotKeys(n))
		} else {
			assert.ErrorContains(t, PlotKeys(n), "one or two swept keys")
		}
	}
}

// ParseVary reads any argument without panicking; a label it accepts is an
// identifier and names a path key, and the key and values are exactly the
// rest of the argument.
func FuzzParseVary(f *testing.F) {
	for _, s := range []string{"women_bias=stages[name=election].elect.voters.bias[0].values.female=-1:0:0.25",
		"units[0].seats=20,30", "title=a=b", "a=b.c=", "=x.y=1", "x=[a.b=c]", "k=units[name==].seats=1:2:0.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		p, err := ParseVary(arg)
		if err != nil {
			return
		}
		require.NotEmpty(t, p.Key)
		if p.Label != "" {
			require.True(t, isLabel(p.Label), p.Label)
			require.True(t, strings.ContainsAny(p.Key, ".["), p.Key)
			require.Contains(t, arg, p.Label)
		}
		require.Contains(t, arg, p.Key)
		_ = ShortKey(p.Key)
	})
}
