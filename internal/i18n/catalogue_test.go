package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lookupPackages are the packages that print through the catalogue.
var lookupPackages = []string{"report", "feasible", "cmd/simulate", "exercise"}

// TestCatalogueComplete finds every lookup of fixed text in the program —
// a call .T("…") or .F("…") whose argument is a string constant — and
// requires a Chinese entry for it: text added in English without its
// Chinese fails here, before any output shows it.
func TestCatalogueComplete(t *testing.T) {
	root := filepath.Join("..", "..")
	found := 0
	for _, pkg := range lookupPackages {
		files, err := filepath.Glob(filepath.Join(root, pkg, "*.go"))
		require.NoError(t, err)
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			for _, lit := range lookups(t, path) {
				found++
				assert.True(t, Has(lit.text), "%s: no Chinese for %q", lit.pos, lit.text)
			}
		}
	}
	assert.Greater(t, found, 80, "the scan finds the program's lookups")
}

type lookup struct {
	pos  string
	text string
}

// lookups returns the constant arguments of the .T and .F calls in a file.
func lookups(t *testing.T, path string) []lookup {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	require.NoError(t, err)
	var out []lookup
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "T" && sel.Sel.Name != "F" {
			return true
		}
		if s, ok := constString(call.Args[0]); ok {
			out = append(out, lookup{fset.Position(call.Pos()).String(), s})
		}
		return true
	})
	return out
}

// constString evaluates a string literal or a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(x.X)
		b, ok2 := constString(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}

// TestCatalogueVerbs: a Chinese entry takes the same arguments as its
// English key, so that it never prints %!d(MISSING) or %!(EXTRA).
func TestCatalogueVerbs(t *testing.T) {
	for en, zh := range zh {
		assert.Equal(t, verbs(en), verbs(zh), "%q → %q", en, zh)
	}
}

// verbs counts the arguments a format consumes, by verb letter, ignoring
// order (Chinese may reorder them with %[n]).
func verbs(format string) map[byte]int {
	out := map[byte]int{}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-#0123456789.[]", format[j]) >= 0 {
			j++
		}
		if j < len(format) && (format[j] >= 'a' && format[j] <= 'z' || format[j] >= 'A' && format[j] <= 'Z') {
			out[format[j]]++
		}
		i = j
	}
	return out
}
