package report

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"

	"simulate/workflow"

	"github.com/rivo/uniseg"
)

// DiagramOptions adjust a state diagram drawn by [MachineSVG].
type DiagramOptions struct {
	// ID prefixes the ids of the drawing's elements (its arrow markers), so
	// that several diagrams can share one page. Default: the machine's name.
	ID string
	// Sublabel, when set, gives a second line under a state's name, such as
	// its Chinese name; "" for none.
	Sublabel func(state string) string
}

// Layout constants of the state diagrams, in pixels.
const (
	dFont      = 12.0 // state names
	dSubFont   = 11.0 // sublabels
	dEdgeFont  = 10.5 // trigger names
	dCharW     = 0.61 // monospace advance, in em
	dPadX      = 14.0
	dNodeH     = 32.0
	dNodeHSub  = 46.0
	dLayerGap  = 46.0
	dColGap    = 70.0
	dChanGap   = 16.0
	dMargin    = 16.0
	dLoopReach = 26.0
)

// textWidth estimates the width of s in a monospace font of the given size:
// wide (CJK) characters take a full em.
func textWidth(s string, size float64) float64 { return textSpan(s, dCharW*size, size) }

// textSpan estimates the width of s when a narrow character takes narrow
// and a wide (East Asian, two terminal cells) character takes wide.
func textSpan(s string, narrow, wide float64) float64 {
	w := 0.0
	for _, r := range s {
		if uniseg.StringWidth(string(r)) == 2 {
			w += wide
		} else {
			w += narrow
		}
	}
	return w
}

type dNode struct {
	name, sub  string
	layer, col int
	x, y, w, h float64 // top-left corner and size
	initial    bool
	terminal   bool
	dropped    bool
}

func (n *dNode) cx() float64     { return n.x + n.w/2 }
func (n *dNode) bottom() float64 { return n.y + n.h }
func (n *dNode) right() float64  { return n.x + n.w }

// MachineSVG draws a state machine as a standalone SVG image, laid out in
// layers without any external tool: each state sits one layer below the
// longest chain of states leading to it, states of a layer are ordered by
// their predecessors, transitions between neighbouring layers are straight
// arrows, longer ones run in channels to the right (transitions into the
// same state by the same trigger share a channel, like the fail bus of the
// unit pipeline), backward ones in channels to the left, and re-entries are
// loops. Terminal states have a double border; states reached by a drop_ or
// fail trigger are tinted red, other terminal states green.
func MachineSVG(m *workflow.Machine, opts DiagramOptions) string {
	id := opts.ID
	if id == "" {
		id = m.Name
	}
	id = sanitizeID(id)
	n := len(m.States)
	nodes := make([]*dNode, n)
	for i, s := range m.States {
		nd := &dNode{name: s, initial: workflow.State(i) == m.Initial, terminal: m.Terminal(workflow.State(i))}
		if opts.Sublabel != nil {
			nd.sub = opts.Sublabel(s)
		}
		nodes[i] = nd
	}
	edges := m.Edges()
	for _, e := range edges {
		t := m.Triggers[e.Trigger]
		if strings.HasPrefix(t, workflow.PrefixDrop) || t == workflow.TriggerFail {
			nodes[e.To].dropped = true
		}
	}

	// Layers: longest path from the initial state over forward edges; an
	// edge closing a cycle (found by depth-first search) counts backwards.
	back := make([]bool, len(edges))
	state := make([]int, n) // 0 new, 1 on stack, 2 done
	var dfs func(v int)
	dfs = func(v int) {
		state[v] = 1
		for k, e := range edges {
			if int(e.From) != v || e.From == e.To {
				continue
			}
			switch state[e.To] {
			case 0:
				dfs(int(e.To))
			case 1:
				back[k] = true
			}
		}
		state[v] = 2
	}
	dfs(int(m.Initial))
	for v := range n {
		if state[v] == 0 {
			dfs(v)
		}
	}
	layer := make([]int, n)
	for changed, round := true, 0; changed && round <= n; round++ {
		changed = false
		for k, e := range edges {
			if e.From == e.To || back[k] {
				continue
			}
			if l := layer[e.From] + 1; l > layer[e.To] {
				layer[e.To], changed = l, true
			}
		}
	}
	maxLayer := 0
	for v := range n {
		nodes[v].layer = layer[v]
		maxLayer = max(maxLayer, layer[v])
	}

	// Columns: by the mean column of the predecessors, then by state order.
	byLayer := make([][]int, maxLayer+1)
	for v := range n {
		byLayer[layer[v]] = append(byLayer[layer[v]], v)
	}
	col := make([]float64, n)
	for l := range byLayer {
		key := make(map[int]float64, len(byLayer[l]))
		for _, v := range byLayer[l] {
			sum, cnt := 0.0, 0
			for k, e := range edges {
				if int(e.To) == v && e.From != e.To && !back[k] && layer[e.From] < l {
					sum += col[e.From]
					cnt++
				}
			}
			if cnt > 0 {
				key[v] = sum / float64(cnt)
			}
		}
		slices.SortStableFunc(byLayer[l], func(a, b int) int {
			switch {
			case key[a] < key[b]:
				return -1
			case key[a] > key[b]:
				return 1
			}
			return a - b
		})
		for c, v := range byLayer[l] {
			col[v] = float64(c)
			nodes[v].col = c
		}
	}

	// Sizes and grid.
	h := dNodeH
	for _, nd := range nodes {
		if nd.sub != "" {
			h = dNodeHSub
		}
	}
	colW := 90.0
	for _, nd := range nodes {
		colW = max(colW, textWidth(nd.name, dFont)+2*dPadX, textWidth(nd.sub, dSubFont)+2*dPadX)
	}
	// Room on the left for labels of vertical arrows and loops of column 0.
	left := dMargin + 24
	for k, e := range edges {
		from, to := nodes[e.From], nodes[e.To]
		lw := textWidth(m.Triggers[e.Trigger], dEdgeFont)
		switch {
		case e.From == e.To && from.col == 0:
			left = max(left, dMargin+dLoopReach+lw+10)
		case !back[k] && from.col == 0 && to.col == 0 && to.layer == from.layer+1:
			left = max(left, dMargin+lw+10-colW/2)
		}
	}
	for _, nd := range nodes {
		nd.w, nd.h = colW, h
		nd.x = left + float64(nd.col)*(colW+dColGap)
		nd.y = dMargin + 18 + float64(nd.layer)*(h+dLayerGap)
	}

	var b strings.Builder
	var body strings.Builder
	width, height := 0.0, 0.0
	grow := func(x, y float64) { width, height = max(width, x), max(height, y) }
	for _, nd := range nodes {
		grow(nd.right()+dMargin, nd.bottom()+dMargin)
	}

	// Right channels for long forward edges, grouped by (target, trigger).
	type chanKey struct {
		to workflow.State
		tr workflow.Trigger
	}
	channels := map[chanKey]int{}
	chanCount := 0
	chanLabelDone := map[chanKey]bool{}
	leftChans := 0
	arrow := fmt.Sprintf(` marker-end="url(#%s-arrow)"`, id)
	for k, e := range edges {
		from, to := nodes[e.From], nodes[e.To]
		label := m.Triggers[e.Trigger]
		title := fmt.Sprintf("%s --%s--> %s", from.name, label, to.name)
		switch {
		case e.From == e.To:
			// A loop on the free side of the state.
			y0, y1 := from.y+from.h*0.3, from.y+from.h*0.7
			if from.col == 0 {
				x := from.x
				fmt.Fprintf(&body, `<path class="edge loop" d="M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f"%s><title>%s</title></path>`+"\n",
					x, y0, x-dLoopReach, y0-8, x-dLoopReach, y1+8, x-1, y1, arrow, esc(title))
				edgeLabel(&body, x-dLoopReach-4, from.y+from.h/2+4, "end", label)
			} else {
				x := from.right()
				fmt.Fprintf(&body, `<path class="edge loop" d="M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f"%s><title>%s</title></path>`+"\n",
					x, y0, x+dLoopReach, y0-8, x+dLoopReach, y1+8, x+1, y1, arrow, esc(title))
				edgeLabel(&body, x+dLoopReach+4, from.y+from.h/2+4, "start", label)
				grow(x+dLoopReach+8+textWidth(label, dEdgeFont)+dMargin, 0)
			}
		case back[k] || to.layer <= from.layer:
			// Backwards: out of the left side, up a left channel, into the left side.
			cx := from.x - 14 - float64(leftChans)*dChanGap
			if to.x < from.x {
				cx = to.x - 14 - float64(leftChans)*dChanGap
			}
			leftChans++
			y0, y1 := from.y+from.h/2, to.y+to.h/2
			fmt.Fprintf(&body, `<path class="edge back" d="M%.1f %.1f H%.1f V%.1f H%.1f"%s><title>%s</title></path>`+"\n",
				from.x, y0, cx, y1, to.x-1, arrow, esc(title))
			edgeLabel(&body, cx-4, (y0+y1)/2, "end", label)
		case to.layer == from.layer+1:
			x0, y0 := from.cx(), from.bottom()
			x1, y1 := to.cx(), to.y
			fmt.Fprintf(&body, `<path class="edge" d="M%.1f %.1f L%.1f %.1f"%s><title>%s</title></path>`+"\n",
				x0, y0, x1, y1-1, arrow, esc(title))
			switch {
			case x0 == x1 && from.col == 0:
				edgeLabel(&body, x0-6, (y0+y1)/2+4, "end", label)
			case x0 == x1:
				edgeLabel(&body, x0+6, (y0+y1)/2+4, "start", label)
				grow(x0+6+textWidth(label, dEdgeFont)+dMargin, 0)
			default:
				// Along the arrow, just above it.
				mx, my := (x0+x1)/2, (y0+y1)/2
				angle := math.Atan2(y1-y0, x1-x0) * 180 / math.Pi
				fmt.Fprintf(&body, `<text class="elabel" x="%.1f" y="%.1f" text-anchor="middle" transform="rotate(%.2f %.1f %.1f)">%s</text>`+"\n",
					mx, my-4, angle, mx, my, esc(label))
			}
		default:
			// Long: down into the gutter below the source, right to a
			// channel past every state in between, down to the gutter above
			// the target, and into it from above.
			key := chanKey{e.To, e.Trigger}
			ch, ok := channels[key]
			if !ok {
				ch = chanCount
				channels[key] = ch
				chanCount++
			}
			reach := 0.0
			for _, nd := range nodes {
				if nd.layer >= from.layer && nd.layer <= to.layer {
					reach = max(reach, nd.right())
				}
			}
			cx := reach + 22 + float64(ch)*dChanGap
			x0 := from.right() - 14
			y0 := from.bottom()
			g0 := y0 + dLayerGap/2 - 6 + float64(ch%3)*4
			x1 := to.right() - 14
			if to.col == 0 && from.col == 0 {
				x1 = to.cx() + 14
			}
			g1 := to.y - dLayerGap/2 + 6 - float64(ch%3)*4
			fmt.Fprintf(&body, `<path class="edge long" d="M%.1f %.1f V%.1f H%.1f V%.1f H%.1f V%.1f"%s><title>%s</title></path>`+"\n",
				x0, y0, g0, cx, g1, x1, to.y-1, arrow, esc(title))
			if !chanLabelDone[key] {
				// Down the channel, or beside its foot when it is too short.
				chanLabelDone[key] = true
				if lw := textWidth(label, dEdgeFont); g1-g0-16 >= lw {
					fmt.Fprintf(&body, `<text class="elabel" x="%.1f" y="%.1f" transform="rotate(90 %.1f %.1f)">%s</text>`+"\n",
						cx+4, g0+8, cx+4, g0+8, esc(label))
				} else {
					edgeLabel(&body, cx+5, g1-6, "start", label)
					grow(cx+5+lw+dMargin, 0)
				}
			}
			grow(cx+12+dMargin, 0)
		}
	}

	for _, nd := range nodes {
		cls := "state"
		switch {
		case nd.terminal && nd.dropped:
			cls += " dropped"
		case nd.terminal:
			cls += " final"
		}
		fmt.Fprintf(&body, `<g class="%s" id="%s-%s"><title>%s</title>`, cls, id, sanitizeID(nd.name), esc(nd.name))
		fmt.Fprintf(&body, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="9"/>`, nd.x, nd.y, nd.w, nd.h)
		if nd.terminal {
			fmt.Fprintf(&body, `<rect class="inner" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="7"/>`, nd.x+3, nd.y+3, nd.w-6, nd.h-6)
		}
		ty := nd.y + nd.h/2 + dFont*0.35
		if nd.sub != "" {
			ty = nd.y + 19
		}
		fmt.Fprintf(&body, `<text class="name" x="%.1f" y="%.1f">%s</text>`, nd.cx(), ty, esc(nd.name))
		if nd.sub != "" {
			fmt.Fprintf(&body, `<text class="sub" x="%.1f" y="%.1f">%s</text>`, nd.cx(), nd.y+36, esc(nd.sub))
		}
		body.WriteString("</g>\n")
		if nd.initial {
			fmt.Fprintf(&body, `<circle class="start" cx="%.1f" cy="%.1f" r="5"/>`, nd.cx(), nd.y-16)
			fmt.Fprintf(&body, `<path class="edge" d="M%.1f %.1f V%.1f"%s/>`+"\n", nd.cx(), nd.y-11, nd.y-1, arrow)
		}
	}

	width, height = math.Ceil(width), math.Ceil(height)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="state-diagram" id="%s" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`+"\n",
		id, width, height, width, height, esc(m.Name+" state machine: "+fmt.Sprint(len(m.States))+" states, "+fmt.Sprint(len(edges))+" transitions"))
	fmt.Fprintf(&b, "<title>%s state machine</title>\n", esc(m.Name))
	fmt.Fprintf(&b, `<defs><marker id="%s-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#445"/></marker></defs>`+"\n", id)
	b.WriteString(`<style>` +
		`.state rect{fill:#eef4fb;stroke:#3b5b80;stroke-width:1.3}` +
		`.state rect.inner{fill:none;stroke-width:0.8}` +
		`.state.final rect{fill:#e6f4e6;stroke:#2f6b3a}` +
		`.state.dropped rect{fill:#fbeaea;stroke:#9a3b3b}` +
		`text{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,'WenQuanYi Micro Hei Mono','WenQuanYi Micro Hei',monospace;fill:#1d2733}` +
		`.name{font-size:12px;text-anchor:middle}` +
		`.sub{font-size:11px;text-anchor:middle;fill:#4a5a6a}` +
		`.edge{fill:none;stroke:#445;stroke-width:1.1}` +
		`.edge.long{stroke:#7a6a9a;stroke-dasharray:5 3}` +
		`.edge.back{stroke:#9a6a3a;stroke-dasharray:2 2}` +
		`.elabel{font-size:10.5px;fill:#35506b;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}` +
		`.start{fill:#1d2733}` +
		"</style>\n")
	b.WriteString(body.String())
	b.WriteString("</svg>\n")
	return b.String()
}

func edgeLabel(b *strings.Builder, x, y float64, anchor, label string) {
	fmt.Fprintf(b, `<text class="elabel" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`+"\n", x, y, anchor, esc(label))
}

func esc(s string) string { return html.EscapeString(s) }

// sanitizeID keeps letters, digits, '-' and '_' of s, for element ids.
func sanitizeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "d"
	}
	return b.String()
}
