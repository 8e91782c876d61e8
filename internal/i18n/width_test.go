package i18n

import (
	"bytes"
	"fmt"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0}, {"abc", 3}, {"推荐提名", 8}, {"县（County）", 12}, {"45岁以上", 8}, {"—…≥", 3}, {"，", 2},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Width(tt.s), tt.s)
	}
}

// TestTableMatchesTabwriter feeds the same ASCII text to Table and to
// text/tabwriter: the output must be identical, ragged lines, trailing
// tabs, empty cells, block breaks and right alignment included.
func TestTableMatchesTabwriter(t *testing.T) {
	inputs := []string{
		"  target\tP(met)\tinterval\tdescription\n  women\t0.640\t[0.59, 0.69]\tWomen at least 30%\n  x\t1.000\t[0.99, 1.00]\tlong description\n",
		"  stage\tentered\tleft\twhy dropped\t\n  nomination\t32.0\t32.0\t\tnom\n  review\t20.0\t19.9\tx 0.1\t资格审查\n",
		"a\tb\n\nccc\td\teee\tf\nno tabs here\nx\ty\n",
		"a\tbb\tccc\n1\t2\n1\t2\t3\t4\n",
		"",
		"trailing without newline\tcell",
	}
	for i, in := range inputs {
		for _, right := range []bool{false, true} {
			t.Run(fmt.Sprint(i, right), func(t *testing.T) {
				var want, got bytes.Buffer
				flags := uint(0)
				if right {
					flags = tabwriter.AlignRight
				}
				tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', flags)
				_, err := tw.Write([]byte(in))
				require.NoError(t, err)
				require.NoError(t, tw.Flush())
				tb := NewTable(&got, 2, right)
				_, err = tb.Write([]byte(in))
				require.NoError(t, err)
				require.NoError(t, tb.Flush())
				assert.Equal(t, want.String(), got.String())
			})
		}
	}
}

func TestTableAlignsChinese(t *testing.T) {
	var b bytes.Buffer
	tb := NewTable(&b, 2, false)
	fmt.Fprint(tb, "阶段\t进入\n推荐提名\t32.0\nreview\t20.0\n")
	require.NoError(t, tb.Flush())
	assert.Equal(t, "阶段      进入\n推荐提名  32.0\nreview    20.0\n", b.String())
}
