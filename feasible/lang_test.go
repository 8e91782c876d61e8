package feasible

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/internal/i18n"
)

// TestAssumptionsAreInTheCatalogue: the assumptions are fixed sentences
// that the Chinese report shows translated; every one the checker can
// write (central candidates, quotas, finite pools, with and without a
// vote) must have its Chinese.
func TestAssumptionsAreInTheCatalogue(t *testing.T) {
	for name, sc := range map[string]func(t *testing.T) *Report{
		"cpc20": func(t *testing.T) *Report {
			r, err := CheckContext(context.Background(), embedded(t, "cpc20"), Options{})
			require.NoError(t, err)
			return r
		},
		"finite pool": func(t *testing.T) *Report {
			r, err := CheckContext(context.Background(), finiteCase(t, "", `[{trait: role, values: {other: 0}}]`, "", `  - {name: women, when: {gender: [female]}, min_share: 0.4}`, true), Options{})
			require.NoError(t, err)
			return r
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := sc(t)
			require.NotEmpty(t, r.Assumptions)
			for _, a := range r.Assumptions {
				assert.True(t, i18n.Has(a), "no Chinese for %q", a)
			}
		})
	}
}

func TestWrapChinese(t *testing.T) {
	var b bytes.Buffer
	text := strings.Repeat("每个名额都有人当选，", 15)
	writeWrapped(&b, "  - ", "    ", text)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Greater(t, len(lines), 1)
	for _, l := range lines {
		assert.LessOrEqual(t, i18n.Width(l), 100, l)
		assert.False(t, strings.HasPrefix(strings.TrimSpace(l), "，"), "a line never starts with a comma")
	}
	assert.Equal(t, text, strings.TrimPrefix(strings.ReplaceAll(b.String(), "\n    ", ""), "  - ")[:len(text)])

	b.Reset()
	writeWrapped(&b, "  ", "  ", "an English sentence stays broken at its spaces")
	assert.Equal(t, "  an English sentence stays broken at its spaces\n", b.String())
}

// TestGuaranteeSentencesAreInTheCatalogue: the worst case's fixed
// sentences (string constants in check.go that begin a verdict) are shown
// translated in Chinese; a new one needs its Chinese.
func TestGuaranteeSentencesAreInTheCatalogue(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "check.go", nil, 0)
	require.NoError(t, err)
	found := 0
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		require.NoError(t, err)
		for _, start := range []string{"Not assessed", "There is no vote", "National targets", "Unit-level targets"} {
			if strings.HasPrefix(s, start) && !strings.Contains(s, "%") {
				found++
				assert.True(t, i18n.Has(s), "%s: no Chinese for %q", fset.Position(lit.Pos()), s)
			}
		}
		return true
	})
	assert.GreaterOrEqual(t, found, 7)
}
