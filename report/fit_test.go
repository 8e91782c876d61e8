package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"women", 5},
		{"推荐提名", 8},
		{"a—b → c…", 8},
		{"代表候选人初步人选", 18},
		{"e\u0301", 1}, // e + combining acute
		{"Ｆｕｌｌ", 8},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, DisplayWidth(tc.s), tc.s)
	}
}

func TestFitText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"no limit", strings.Repeat("word ", 30), 0, strings.Repeat("word ", 30)},
		{"fits", "short line\n  another", 20, "short line\n  another"},
		{"hanging indent of an unindented line", "alpha beta gamma delta", 12, "alpha beta\n  gamma\n  delta"},
		{"four deeper when indented", "  alpha beta gamma delta", 14, "  alpha beta\n      gamma\n      delta"},
		{"prefers a separator", "  aaaaaaa | bb ccc dd", 18, "  aaaaaaa |\n      bb ccc dd"},
		{"after ; when far enough", "xxxxxxxxxx; yy zz ww", 18, "xxxxxxxxxx;\n  yy zz ww"},
		{"not after an early ;", "xx; yyyyy zzzzz wwww", 16, "xx; yyyyy zzzzz\n  wwww"},
		{"no space: left as it is", strings.Repeat("x", 30), 10, strings.Repeat("x", 30)},
		{"between Chinese characters", "试验从零开始编号试验从零开始编号", 20, "试验从零开始编号试验\n  从零开始编号"},
		{"not before closing punctuation", "一二三四五六七八九，十", 18, "一二三四五六七八\n  九，十"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FitText(tc.in, tc.width)
			assert.Equal(t, tc.want, got)
			if tc.width > 0 && tc.name != "no space: left as it is" {
				for _, l := range strings.Split(got, "\n") {
					assert.LessOrEqual(t, DisplayWidth(l), tc.width, l)
				}
			}
		})
	}
}

func TestRewrap(t *testing.T) {
	// A paragraph wrapped at 30 columns, with a continuation indent, then a
	// table whose rows must not be joined.
	src := "  name — one two three four\n      five six seven\n  row  1\n  row  2"
	got := Rewrap(src, 30, 20)
	assert.Equal(t, "  name — one two\n      three four\n      five six seven\n  row  1\n  row  2", got)
	assert.Equal(t, src, Rewrap(src, 30, 0), "no limit")
	assert.Equal(t, src, Rewrap(src, 30, 40), "wider than the source")
}

func TestTextTable(t *testing.T) {
	tt := &textTable{indent: "  ", head: []string{"stage", "n", "why"}, flex: 2, trailingHead: "中文",
		rows:     [][]string{{"nomination", "32.0", ""}, {"inspection", "29.8", "political 0.3, integrity 1.0, identity 0.9"}},
		trailing: []string{"推荐提名", "组织考察"}}
	var full strings.Builder
	tt.write(&full, 0)
	assert.Equal(t, "  stage       n     why                                         \n"+
		"  nomination  32.0                                              推荐提名\n"+
		"  inspection  29.8  political 0.3, integrity 1.0, identity 0.9  组织考察\n", full.String(), "the full layout: tabwriter's")
	tests := []struct {
		width int
		want  string
	}{
		{44, "  stage       中文         n\n" +
			"  nomination  推荐提名  32.0\n" +
			"  inspection  组织考察  29.8\n" +
			"      why: political 0.3, integrity 1.0,\n" +
			"           identity 0.9\n"},
		{60, "  stage       中文         n  why\n" +
			"  nomination  推荐提名  32.0\n" +
			"  inspection  组织考察  29.8  political 0.3, integrity 1.0,\n" +
			"                              identity 0.9\n"},
	}
	for _, tc := range tests {
		var b strings.Builder
		tt.write(&b, tc.width)
		assert.Equal(t, tc.want, b.String(), "width %d", tc.width)
		for _, l := range strings.Split(b.String(), "\n") {
			assert.LessOrEqual(t, DisplayWidth(l), tc.width, l)
		}
	}
	// Too many columns: blocks that repeat the first column.
	wide := &textTable{indent: "  ", head: []string{"stage", "aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"}, right: true, flex: -1,
		rows: [][]string{{"x", "1.0%", "2.0%", "3.0%"}}}
	var b strings.Builder
	wide.write(&b, 31)
	require.Equal(t, "  stage  aaaaaaaaaa  bbbbbbbbbb\n  x            1.0%        2.0%\n\n  stage  cccccccccc\n  x            3.0%\n", b.String())
}

// Fitting text only moves line breaks and indentation: the words are the
// same, in the same order, and a line is only longer than the width when it
// has no place to break.
func FuzzFitText(f *testing.F) {
	for _, s := range []string{"alpha beta gamma delta", "  a | b ; c , d e f g h", "试验从零开始编号试验从零开始编号",
		"line one\n  line two is longer than the rest of them\n", "一二三四五六七八九，十", "x\u0301 y\u0301"} {
		f.Add(s, 12)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		if width < 1 || width > 200 || len(s) > 2000 {
			return
		}
		got := FitText(s, width)
		require.Equal(t, strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), ""),
			strings.Join(strings.Fields(strings.ReplaceAll(got, "\n", " ")), ""), "the same characters, in order")
		for _, l := range strings.Split(got, "\n") {
			if DisplayWidth(l) > width {
				rest := strings.TrimLeft(l, " ")
				if i := strings.Index(rest, " "); i >= 0 && DisplayWidth(l[:len(l)-len(rest)+i]) <= width {
					t.Fatalf("line %q is wider than %d but breaks at a space within it", l, width)
				}
			}
		}
	})
}
