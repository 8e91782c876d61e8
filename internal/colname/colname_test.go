package colname

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIdent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"women", "women"},
		{"women>=0.27", "women_ge_0_27"},
		{"front_line<1/3", "front_line_lt_1_3"},
		{"stages[name=election].elect.surplus", "stages_name_election_elect_surplus"},
		{"units[name=西藏].seats", "units_name_u897f_u85cf_seats"},
		{"0.5", "x0_5"},
		{"if", "if_"},
		{"True", "True_"},
		{"", "x"},
		{"___", "x"},
		{"_a", "a"},
	} {
		got := Ident(tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.True(t, Valid(got) && ValidR(got), got)
	}
	assert.Equal(t, "target_women_ge_0_27_probability", Join("target", "women>=0.27", "probability"))
}

func TestUnique(t *testing.T) {
	assert.Equal(t, []string{"a", "b", "a_2", "a_3", "a_2_2"}, Unique([]string{"a", "b", "a", "a", "a_2"}))
}

// TestValidR checks the rule against what R's make.names does: these are
// names make.names changes (left) or keeps (right).
func TestValidR(t *testing.T) {
	for _, bad := range []string{"", "1a", "_a", ".1a", "a-b", "a b", "a>b", "target.women>=0.27.probability", "if", "TRUE", "NA_real_", "...", "..2"} {
		assert.False(t, ValidR(bad), bad)
	}
	for _, good := range []string{"a", ".a", "a.b", "a_b", "A1", "..a", "target.women.met", "x0_5"} {
		assert.True(t, ValidR(good), good)
	}
	// Python identifiers: no dots, no leading underscore (R) or digit.
	for _, bad := range []string{"a.b", ".a", "_a", "class", "None"} {
		assert.False(t, Valid(bad), bad)
	}
}

func FuzzIdent(f *testing.F) {
	for _, s := range []string{"women>=0.27", "stages[name=election].elect.surplus", "if", "", "9", "西藏"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := Ident(s)
		if !Valid(id) || !ValidR(id) {
			t.Fatalf("Ident(%q) = %q is not a valid name", s, id)
		}
	})
}
