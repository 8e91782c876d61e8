package report

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"simulate/internal/i18n"
)

// Terminal output that fits: a text's lines and tables are laid out for a
// given number of columns (the terminal's width). Width 0 means no limit:
// the output is then exactly the full layout, whatever its width, so that
// scripts reading it see no change.

// DisplayWidth is the number of terminal columns s takes: East Asian wide
// and fullwidth characters (Chinese) take two, combining marks none,
// everything else one. Ambiguous characters (—, →, …) count one whatever the
// locale, so that output does not depend on the environment.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200B:
		return 0
	case r >= 0x1100 && r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0x303E, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33FF, // kana, CJK symbols
		r >= 0x3400 && r <= 0x4DBF, // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0xA000 && r <= 0xA4CF, // Yi
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // fullwidth forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F, // pictographs, emoji
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions B–
		return 2
	}
	return 1
}

// FitText wraps every line of s wider than width columns at a space,
// continuing it on indented lines (two columns deeper than an unindented
// line, four deeper than an indented one). It prefers to break after a
// " | ", "; " or ", " separator. A line without a space to break at is left
// as it is. Width 0 or less returns s unchanged.
func FitText(s string, width int) string {
	if width <= 0 {
		return s
	}
	var b strings.Builder
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		for j, l := range wrapLine(line, width) {
			if j > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l)
		}
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// wrapLine breaks one line into lines of at most width columns.
func wrapLine(line string, width int) []string {
	if DisplayWidth(line) <= width {
		return []string{line}
	}
	lead := len(line) - len(strings.TrimLeft(line, " "))
	hang := lead + 4
	if lead == 0 {
		hang = 2
	}
	if hang > width/2 {
		hang = min(lead, width/2)
	}
	var out []string
	rest, prefix := line, ""
	for DisplayWidth(prefix+rest) > width {
		cut := breakAt(rest, width-DisplayWidth(prefix), prefix == "" && lead > 0)
		if cut <= 0 {
			break
		}
		out = append(out, strings.TrimRight(prefix+rest[:cut], " "))
		rest = strings.TrimLeft(rest[cut:], " ")
		prefix = strings.Repeat(" ", hang)
	}
	return append(out, prefix+rest)
}

// breakAt returns the byte offset of the best place to break s at (a space,
// or between Chinese characters) so that
// s[:offset] takes at most room columns; 0 when there is none. Separators
// (|, ; and ,) before the space are preferred over a plain space when they
// leave the line at least 60% (80% for a comma) full. Leading indentation is no break point.
func breakAt(s string, room int, indented bool) int {
	start := 0
	if indented {
		start = len(s) - len(strings.TrimLeft(s, " "))
	}
	best := [3]int{} // after "|" or ";", after ",", any space
	col := 0
	prev := rune(0)
	for i, r := range s {
		if col > room {
			break
		}
		if runeWidth(r) == 2 && i > start && !closing(r) && prev != ' ' {
			best[2] = i // between Chinese characters
		}
		if r == ' ' && i > start && prev != ' ' {
			switch prev {
			case '|', ';':
				best[0] = i
			case ',':
				best[1] = i
			}
			best[2] = i
		}
		col += runeWidth(r)
		prev = r
	}
	if col <= room {
		return len(s)
	}
	for k, b := range best[:2] {
		least := room * 6 / 10 // after | or ;
		if k == 1 {
			least = room * 8 / 10 // after ,
		}
		if b > 0 && DisplayWidth(s[:b]) >= least {
			return b
		}
	}
	return best[2]
}

// textTable is a table of the terminal summary. Laid out without a width
// limit, or when it fits, it is written exactly as a tabwriter with padding
// 2 writes it (the full layout). When wider than the width it is fitted:
// the flexible column is wrapped into the room the others leave (or, when
// that room is too small, written under each row), and columns that still
// do not fit go into further blocks that repeat the first column.
type textTable struct {
	indent string
	head   []string
	rows   [][]string
	// right aligns every cell to the right (tabwriter.AlignRight).
	right bool
	// trailing, when set, is text written after the last cell of each row
	// in the full layout (not a column); fitted tables make it a column
	// after the first.
	trailing []string
	// trailingHead heads the trailing column of a fitted table.
	trailingHead string
	// flex is the index of the column wrapped in a fitted table, -1 for
	// none.
	flex int
}

// minFlex is the least room a wrapped column gets beside the others; with
// less its text is written under its row.
const minFlex = 24

func (t *textTable) write(w io.Writer, width int) {
	full := t.full()
	if width <= 0 || fits(full, width) {
		_, _ = io.WriteString(w, full)
		return
	}
	_, _ = io.WriteString(w, t.fitted(width))
}

func fits(s string, width int) bool {
	for _, l := range strings.Split(s, "\n") {
		if DisplayWidth(strings.TrimRight(l, " ")) > width {
			return false
		}
	}
	return true
}

// full is the tabwriter layout the summary has always had.
func (t *textTable) full() string {
	var buf bytes.Buffer
	// i18n.Table is tabwriter measuring terminal columns: Chinese cells
	// line up.
	tw := i18n.NewTable(&buf, 2, t.right)
	line := func(cells []string, trail string) {
		_, _ = io.WriteString(tw, t.indent+strings.Join(cells, "\t")+"\t"+trail+"\n")
	}
	line(t.head, "")
	for i, r := range t.rows {
		trail := ""
		if i < len(t.trailing) {
			trail = t.trailing[i]
		}
		line(r, trail)
	}
	_ = tw.Flush()
	return buf.String()
}

// fitted lays the table out in width columns.
func (t *textTable) fitted(width int) string {
	head := slices.Clone(t.head)
	rows := make([][]string, len(t.rows))
	for i := range t.rows {
		rows[i] = slices.Clone(t.rows[i])
	}
	flex := t.flex
	if t.trailing != nil {
		// The trailing text becomes the second column.
		head = insertAt(head, 1, t.trailingHead)
		for i := range rows {
			trail := ""
			if i < len(t.trailing) {
				trail = t.trailing[i]
			}
			rows[i] = insertAt(rows[i], 1, trail)
		}
		if flex >= 1 {
			flex++
		}
	}
	n := len(head)
	widths := make([]int, n)
	for c := range n {
		widths[c] = DisplayWidth(head[c])
		for _, r := range rows {
			if c < len(r) {
				widths[c] = max(widths[c], DisplayWidth(r[c]))
			}
		}
	}
	right := make([]bool, n)
	for c := 1; c < n; c++ {
		right[c] = t.right || isNumberColumn(rows, c)
	}
	ind := DisplayWidth(t.indent)
	total := func(cols []int) int {
		s := ind
		for i, c := range cols {
			if i > 0 {
				s += 2
			}
			s += widths[c]
		}
		return s
	}
	var b strings.Builder
	var under []string // the flexible column written under each row
	cols := make([]int, 0, n)
	for c := range n {
		if c != flex {
			cols = append(cols, c)
		}
	}
	flexRoom := 0
	if flex >= 0 {
		flexRoom = width - total(cols) - 2
		if flexRoom >= max(minFlex, DisplayWidth(head[flex])) {
			cols = append(cols, flex)
			widths[flex] = min(widths[flex], flexRoom)
		} else {
			for _, r := range rows {
				under = append(under, r[flex])
			}
		}
	}
	// Split the columns into blocks that fit, each repeating the first.
	var blocks [][]int
	block := []int{cols[0]}
	for _, c := range cols[1:] {
		if len(block) > 1 && total(append(slices.Clone(block), c)) > width {
			blocks = append(blocks, block)
			block = []int{cols[0]}
		}
		block = append(block, c)
	}
	blocks = append(blocks, block)
	for k, bl := range blocks {
		if k > 0 {
			b.WriteString("\n")
		}
		writeRow := func(cells []string) {
			// Each cell as lines: the flexible one wrapped.
			cellLines := make([][]string, len(bl))
			height := 1
			for i, c := range bl {
				v := ""
				if c < len(cells) {
					v = cells[c]
				}
				if c == flex {
					cellLines[i] = wrapWords(v, widths[c])
				} else {
					cellLines[i] = []string{v}
				}
				height = max(height, len(cellLines[i]))
			}
			for l := range height {
				var line strings.Builder
				line.WriteString(t.indent)
				for i, c := range bl {
					v := ""
					if l < len(cellLines[i]) {
						v = cellLines[i][l]
					}
					if i > 0 {
						line.WriteString("  ")
					}
					pad := strings.Repeat(" ", max(0, widths[c]-DisplayWidth(v)))
					if right[c] {
						line.WriteString(pad + v)
					} else {
						line.WriteString(v + pad)
					}
				}
				b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
			}
		}
		writeRow(head)
		for i, r := range rows {
			writeRow(r)
			if k == len(blocks)-1 && under != nil && under[i] != "" {
				pre := t.indent + "    " + head[flex] + ": "
				for j, l := range wrapWords(under[i], width-DisplayWidth(pre)) {
					if j > 0 {
						pre = strings.Repeat(" ", DisplayWidth(pre))
					}
					b.WriteString(pre + l + "\n")
				}
			}
		}
	}
	return b.String()
}

// wrapWords breaks s into lines of at most width columns at spaces (a word
// wider than width gets a line of its own).
func wrapWords(s string, width int) []string {
	if DisplayWidth(s) <= width || width <= 0 {
		return []string{s}
	}
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case DisplayWidth(line)+1+DisplayWidth(word) <= width:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	return append(out, line)
}

// isNumberColumn reports whether every non-empty cell of column c starts
// like a number (right-aligned in a fitted table).
func isNumberColumn(rows [][]string, c int) bool {
	seen := false
	for _, r := range rows {
		if c >= len(r) || r[c] == "" {
			continue
		}
		ch := r[c][0]
		if !(ch >= '0' && ch <= '9' || ch == '-' || ch == '+' || ch == '[' || ch == '.') {
			return false
		}
		seen = true
	}
	return seen
}

func insertAt(s []string, i int, v string) []string {
	out := make([]string, 0, len(s)+1)
	out = append(out, s[:i]...)
	out = append(out, v)
	return append(out, s[i:]...)
}

// Rewrap fits text that was wrapped at from columns into width columns: a
// line the source broke (no wider than from, and the next line's first word
// would not have fitted after it, and the next line continues the
// paragraph: the first continuation indented deeper than the paragraph's
// first line or as deep in lower case, the others as deep as the first
// continuation) is joined with its continuation before the
// whole is wrapped again with FitText. Width 0, or not less than from,
// returns s unchanged.
func Rewrap(s string, from, width int) string {
	if width <= 0 || width >= from {
		return s
	}
	lines := strings.Split(s, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		line, last, start := lines[i], lines[i], i
		for i+1 < len(lines) {
			next := strings.TrimLeft(lines[i+1], " ")
			first, _, _ := strings.Cut(next, " ")
			w := DisplayWidth(last)
			if next == "" || first == "" || strings.TrimSpace(last) == "" || (i > start && indent(lines[i+1]) != indent(lines[start+1])) || (i == start && !continues(lines[start], lines[i+1])) ||
				w > from || w+1+DisplayWidth(first) <= from {
				break
			}
			line += " " + next
			last = lines[i+1]
			i++
		}
		out = append(out, line)
	}
	return FitText(strings.Join(out, "\n"), width)
}

func indent(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// continues reports whether next may continue the paragraph begun by first:
// it is indented deeper, or as deep and begins with a lower-case letter.
func continues(first, next string) bool {
	in, ifirst := indent(next), indent(first)
	if in != ifirst {
		return in > ifirst
	}
	r, _ := utf8.DecodeRuneInString(next[in:])
	return unicode.IsLower(r)
}

// closing reports whether a line may not begin with r: CJK closing
// punctuation (，。、；：）」』！？).
func closing(r rune) bool {
	return strings.ContainsRune("，。、；：）」』！？》〉】", r)
}
