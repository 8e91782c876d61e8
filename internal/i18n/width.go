package i18n

import (
	"bytes"
	"io"
	"strings"
)

// Width is the number of terminal columns s takes: two for an East Asian
// wide or full-width character (汉字, full-width punctuation such as ，and
// （）), one for any other.
func Width(s string) int {
	w := 0
	for _, r := range s {
		w++
		if wide(r) {
			w++
		}
	}
	return w
}

func wide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115f, // Hangul Jamo
		r >= 0x2e80 && r <= 0x303e, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33ff, // kana, CJK compatibility
		r >= 0x3400 && r <= 0x4dbf, // CJK extension A
		r >= 0x4e00 && r <= 0x9fff, // CJK unified ideographs
		r >= 0xa000 && r <= 0xa4cf, // Yi
		r >= 0xac00 && r <= 0xd7a3, // Hangul syllables
		r >= 0xf900 && r <= 0xfaff, // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f, // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60, // full-width forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x20000 && r <= 0x3fffd:
		return true
	}
	return false
}

// PadRight pads s with spaces to n terminal columns.
func PadRight(s string, n int) string {
	if w := Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// PadLeft pads s with spaces on the left to n terminal columns.
func PadLeft(s string, n int) string {
	if w := Width(s); w < n {
		return strings.Repeat(" ", n-w) + s
	}
	return s
}

// Table aligns tab-terminated cells in columns like text/tabwriter with
// minwidth 0 and the padding character ' ', but measures cells in terminal
// columns (Width), so that a column of Chinese lines up. Cells are
// separated by '\t'; the text after a line's last tab is not aligned; a
// line without a tab ends a block of aligned lines, as in tabwriter. For
// text without wide characters its output is byte for byte tabwriter's.
type Table struct {
	w          io.Writer
	padding    int
	alignRight bool
	buf        bytes.Buffer
}

// NewTable returns a Table writing to w, padding every column by padding
// columns; alignRight right-aligns the cells.
func NewTable(w io.Writer, padding int, alignRight bool) *Table {
	return &Table{w: w, padding: padding, alignRight: alignRight}
}

// Write buffers p until Flush.
func (t *Table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush aligns and writes everything written since the last Flush.
func (t *Table) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	var out strings.Builder
	var block [][]string
	lines := strings.SplitAfter(text, "\n")
	for _, l := range lines {
		if l == "" {
			continue
		}
		nl := strings.HasSuffix(l, "\n")
		cells := strings.Split(strings.TrimSuffix(l, "\n"), "\t")
		if nl {
			cells[len(cells)-1] += "\n"
		}
		block = append(block, cells)
		if len(cells) == 1 && nl {
			t.format(&out, block)
			block = nil
		}
	}
	t.format(&out, block)
	_, err := io.WriteString(t.w, out.String())
	return err
}

// format writes a block of lines, each a list of cells (the last not
// tab-terminated), with tabwriter's column blocks: column j is aligned over
// each run of consecutive lines that have a tab-terminated cell j.
func (t *Table) format(out *strings.Builder, lines [][]string) {
	widths := make([][]int, len(lines)) // widths[i][j]: the width of line i's column j
	var colum func(column, line0, line1 int)
	colum = func(column, line0, line1 int) {
		for this := line0; this < line1; this++ {
			if column >= len(lines[this])-1 {
				continue
			}
			start := this
			width := 0
			for ; this < line1 && column < len(lines[this])-1; this++ {
				width = max(width, Width(lines[this][column])+t.padding)
			}
			for i := start; i < this; i++ {
				widths[i] = append(widths[i][:column], width)
			}
			colum(column+1, start, this)
			this--
		}
	}
	colum(0, 0, len(lines))
	for i, cells := range lines {
		for j, c := range cells {
			if j >= len(widths[i]) || j == len(cells)-1 {
				out.WriteString(c)
				continue
			}
			if t.alignRight {
				out.WriteString(PadLeft(c, widths[i][j]))
			} else {
				out.WriteString(PadRight(c, widths[i][j]))
			}
		}
	}
}
