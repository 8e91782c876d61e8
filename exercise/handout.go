package exercise

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"simulate/internal/i18n"
)

// Handout formats.
const (
	HandoutMarkdown = "md"
	HandoutHTML     = "html"
)

// Format says in words what an answer looks like.
func (a *Answer) Format() string {
	switch a.Kind {
	case KindLeast, KindGreatest:
		return fmt.Sprintf("a number from %g to %g in steps of %g", a.Min, a.Max, a.Step)
	case KindEstimate:
		unit := ""
		if a.Unit != "" {
			unit = " in " + a.Unit
		}
		return fmt.Sprintf("a number%s (accepted within ±%g)", unit, a.Tolerance)
	case KindChoice:
		var names []string
		for _, o := range a.Options {
			names = append(names, o.Name)
		}
		return "one of " + strings.Join(names, ", ")
	case KindFeasible:
		return "a whole percentage, e.g. 45"
	}
	return "see the question"
}

// HandoutOptions shape a handout.
type HandoutOptions struct {
	// Check is the command that grades an answer, before the exercise's
	// id: "simulate exercise check" (with --exercises DIR for a lecturer's
	// own exercises).
	Check string
	// Lang is the handout's language (English when empty): in Chinese the
	// exercise's Chinese texts and headings.
	Lang i18n.Lang
}

// handoutItem is what a student sees of one exercise: never the reference
// answer, the explanation or the feedback for wrong answers.
type handoutItem struct {
	Number                  int
	ID, Title, TitleZh      string
	Question, AnswerFormat  string
	Hints                   []string
	ScenarioFile, Scenario  string
	CheckCommand, CheckRuns string
	Lang                    i18n.Lang
}

// T is a heading or fixed sentence in the handout's language.
func (it handoutItem) T(en string) string { return it.Lang.T(en) }

func handoutItems(exs []*Exercise, opts HandoutOptions) []handoutItem {
	check := opts.Check
	if check == "" {
		check = "simulate exercise check"
	}
	var items []handoutItem
	L := opts.Lang
	for _, ex := range exs {
		titleZh := ex.TitleZh
		if L.Zh() {
			ex, titleZh = ex.In(true), "" // the title is the Chinese one
		}
		it := handoutItem{
			Number: ex.Number, ID: ex.ID, Title: ex.Title, TitleZh: titleZh,
			Question: strings.TrimSpace(ex.Question), AnswerFormat: ex.Answer.FormatIn(L),
			ScenarioFile: ex.ID + ".yaml", Scenario: strings.TrimRight(string(ex.ScenarioText), "\n"),
			CheckCommand: fmt.Sprintf(L.T("%s %s --answer VALUE"), check, ex.ID),
			CheckRuns:    fmt.Sprintf(L.T("The check runs the model with %d trials and seed %d."), ex.Trials, ex.Seed),
			Lang:         L,
		}
		for _, h := range ex.Hints {
			it.Hints = append(it.Hints, strings.Join(strings.Fields(h), " "))
		}
		items = append(items, it)
	}
	return items
}

// Handout writes the exercises as a handout for students, in Markdown or
// as a self-contained HTML page: the question, the answer's format, the
// hints, the scenario and how to check an answer, without the answer.
func Handout(w io.Writer, exs []*Exercise, format string, opts HandoutOptions) error {
	items := handoutItems(exs, opts)
	switch format {
	case HandoutMarkdown:
		return markdownHandout(w, items)
	case HandoutHTML:
		return htmlHandout.Execute(w, items)
	}
	return fmt.Errorf("unknown handout format %q (want %s or %s)", format, HandoutMarkdown, HandoutHTML)
}

func markdownHandout(w io.Writer, items []handoutItem) error {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteString("\n---\n\n")
		}
		fmt.Fprintf(&b, it.T("# Exercise %d: %s\n\n"), it.Number, mdEscape(it.Title))
		if it.TitleZh != "" {
			fmt.Fprintf(&b, "练习 %d：%s\n\n", it.Number, mdEscape(it.TitleZh))
		}
		fmt.Fprintf(&b, it.T("## Question\n\n%s\n\n"), it.Question)
		fmt.Fprintf(&b, it.T("**Answer format:** %s\n\n"), mdEscape(it.AnswerFormat))
		if len(it.Hints) > 0 {
			b.WriteString(it.T("## Hints\n\n"))
			for k, h := range it.Hints {
				fmt.Fprintf(&b, "%d. %s\n", k+1, h)
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, it.T("## Scenario\n\nSave it as `%s` and run it with `simulate run %s`.\n\n"), it.ScenarioFile, it.ScenarioFile)
		fence := "```"
		for strings.Contains(it.Scenario, fence) {
			fence += "`"
		}
		fmt.Fprintf(&b, "%syaml\n%s\n%s\n\n", fence, it.Scenario, fence)
		fmt.Fprintf(&b, it.T("## Check your answer\n\n    %s\n\n%s\n"), it.CheckCommand, it.CheckRuns)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text that is not meant as Markdown from being read as it.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "<", `\<`)
	return r.Replace(s)
}

var htmlHandout = template.Must(template.New("handout").Parse(`<!DOCTYPE html>
<html lang="{{if .}}{{(index . 0).Lang}}{{else}}en{{end}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if eq (len .) 1}}{{with index . 0}}{{.T "Exercise"}} {{.Number}}{{.T ": "}}{{.Title}}{{end}}{{else if .}}{{(index . 0).T "Exercises"}}{{else}}Exercises{{end}}</title>
<style>
body{margin:0 auto;max-width:52rem;padding:1.5rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","WenQuanYi Micro Hei",sans-serif;color:#1d2733}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.25rem 0 .4rem}
.zh{color:#5a6876;margin:0 0 1rem}
.question{white-space:pre-wrap}
pre{background:#f3f6f9;border:1px solid #d6dde5;padding:.6rem .8rem;overflow-x:auto;font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}
code{font-size:.9em}
section{page-break-after:always;border-bottom:1px solid #d6dde5;padding-bottom:1rem;margin-bottom:1.5rem}
section:last-child{page-break-after:auto;border-bottom:0}
</style>
</head>
<body>
{{range .}}<section id="{{.ID}}">
<h1>{{.T "Exercise"}} {{.Number}}{{.T ": "}}{{.Title}}</h1>
{{if .TitleZh}}<p class="zh" lang="zh">练习 {{.Number}}：{{.TitleZh}}</p>
{{end}}<h2>{{.T "Question"}}</h2>
<p class="question">{{.Question}}</p>
<p><strong>{{.T "Answer format:"}}</strong> {{.AnswerFormat}}</p>
{{if .Hints}}<h2>{{.T "Hints"}}</h2>
<ol>{{range .Hints}}
<li>{{.}}</li>{{end}}
</ol>
{{end}}<h2>{{.T "Scenario"}}</h2>
<p>{{.T "Save it as"}} <code>{{.ScenarioFile}}</code> {{.T "and run it with"}} <code>simulate run {{.ScenarioFile}}</code>{{.T "."}}</p>
<pre><code>{{.Scenario}}</code></pre>
<h2>{{.T "Check your answer"}}</h2>
<pre><code>{{.CheckCommand}}</code></pre>
<p>{{.CheckRuns}}</p>
</section>
{{end}}</body>
</html>
`))
