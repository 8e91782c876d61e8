package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsageErrorsEveryCommand calls every command of the program wrongly —
// an unknown flag, a bad flag value, too many or too few arguments, an
// unknown subcommand — and expects exit status 2 with a message that says
// what is right, and nothing on stdout. A command added without a row here
// fails the test.
func TestUsageErrorsEveryCommand(t *testing.T) {
	type call struct {
		args []string
		want string // part of the message
	}
	// Every command gets an unknown flag, with the flag it resembles.
	tests := map[string][]call{
		"simulate": {
			{[]string{"frobnicate"}, `unknown command "frobnicate"`},
			{[]string{"rnu"}, `did you mean "run"?`},
			{[]string{"--confg", "x"}, "did you mean --config?"},
		},
		"simulate run": {
			{[]string{"run", "a", "b"}, "accepts at most 1 arg(s), received 2 (usage: simulate run [FILE|NAME]"},
			{[]string{"run", "--trails", "5"}, "did you mean --trials?"},
			{[]string{"run", "--trials", "many"}, `invalid argument "many"`},
			{[]string{"run", "--format", "xml"}, "unknown --format"},
			{[]string{"run", "--format", "jsn"}, `unknown --format "jsn"; did you mean "json"? (want text, json, csv)`},
			{[]string{"run", "teachng"}, `no embedded scenario of that name; did you mean "teaching"?`},
		},
		"simulate validate": {
			{[]string{"validate"}, "accepts 1 arg(s), received 0 (usage: simulate validate FILE|NAME"},
			{[]string{"validate", "a", "b"}, "accepts 1 arg(s), received 2"},
			{[]string{"validate", "teaching", "--sett", "quota=3"}, "did you mean --set?"},
		},
		"simulate scenarios": {
			{[]string{"scenarios", "shwo"}, `did you mean "show"?`},
			{[]string{"scenarios", "--all"}, "unknown flag: --all"},
		},
		"simulate scenarios show": {
			{[]string{"scenarios", "show"}, "accepts 1 arg(s), received 0"},
			{[]string{"scenarios", "show", "nope"}, "no embedded scenario"},
			{[]string{"scenarios", "show", "cpc2"}, `did you mean "cpc20"?`},
		},
		"simulate graph": {
			{[]string{"graph", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"graph", "--machin", "unit"}, "did you mean --machine?"},
			{[]string{"graph", "--machine", "x"}, "unknown --machine"},
			{[]string{"graph", "--machine", "unt"}, `did you mean "unit"?`},
		},
		"simulate merge": {
			{[]string{"merge"}, "requires at least 1 arg(s)"},
			{[]string{"merge", "--formt", "json", "x.json"}, "did you mean --format?"},
		},
		"simulate trace": {
			{[]string{"trace", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"trace", "--trail", "3"}, "did you mean --trial?"},
			{[]string{"trace", "teaching", "--trial", "-1"}, "invalid argument"},
			{[]string{"trace", "cpc20", "--unit", "Guangxy"}, `no such unit "Guangxy"; did you mean "Guangxi"?`},
		},
		"simulate exercise": {
			{[]string{"exercise", "shwo"}, `did you mean "show"?`},
			{[]string{"exercise", "--lst"}, "unknown flag: --lst"},
		},
		"simulate exercise list": {
			{[]string{"exercise", "list", "x"}, "takes no arguments"},
		},
		"simulate exercise show": {
			{[]string{"exercise", "show"}, "accepts 1 arg(s), received 0"},
			{[]string{"exercise", "show", "1", "--soluton"}, "did you mean --solution?"},
		},
		"simulate exercise check": {
			{[]string{"exercise", "check", "--answer", "1"}, "accepts 1 arg(s), received 0"},
			{[]string{"exercise", "check", "1", "--answr", "1"}, "did you mean --answer?"},
		},
		"simulate exercise handout": {
			{[]string{"exercise", "handout"}, "accepts 1 arg(s), received 0"},
			{[]string{"exercise", "handout", "1", "--format", "pdf"}, "unknown --format"},
			{[]string{"exercise", "handout", "1", "--out", "ex.html"}, "md output goes in a file ending in .md"},
		},
		"simulate sweep": {
			{[]string{"sweep", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"sweep", "--vray", "quota=1:2"}, "did you mean --vary?"},
			{[]string{"sweep", "teaching", "--vary", "quota=20", "--format", "jsonl", "--out", "rows.csv"}, "jsonl output goes in a file ending in .jsonl or .ndjson or .json, not .csv; write to rows.jsonl"},
		},
		"simulate solve": {
			{[]string{"solve", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"solve", "--parm", "quota"}, "did you mean --param?"},
		},
		"simulate compare": {
			{[]string{"compare", "teaching"}, "compare takes two scenarios or run files, A and B; got 1"},
			{[]string{"compare", "teaching", "teaching", "--confidence", "1"}, "--confidence must be strictly between 0 and 1"},
			{[]string{"compare", "teaching", "teaching", "--trails", "5"}, "did you mean --trials?"},
		},
		"simulate schema": {
			{[]string{"schema", "x.json"}, "schema takes no arguments"},
			{[]string{"schema", "--ot", "x.json"}, "did you mean --out?"},
		},
		"simulate serve": {
			{[]string{"serve", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"serve", "--adr", "127.0.0.1:0"}, "did you mean --addr?"},
			{[]string{"serve", "--addr", "0.0.0.0:8080"}, "serve listens on loopback only"},
			{[]string{"serve", "--addr", "8080"}, "want HOST:PORT"},
			{[]string{"serve", "teachng", "--addr", "127.0.0.1:0"}, `did you mean "teaching"?`},
		},
		"simulate report": {
			{[]string{"report", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"report", "--htm", "x.html"}, "did you mean --html?"},
			{[]string{"report", "teaching"}, "--html"},
			{[]string{"report", "teaching", "--html", "out.pdf"}, "write to out.html"},
		},
		"simulate check": {
			{[]string{"check", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"check", "--fromat", "json"}, "did you mean --format?"},
		},
		"simulate calibrate": {
			{[]string{"calibrate", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"calibrate", "--ot", "x.yaml"}, "did you mean --out?"},
		},
		"simulate sensitivity": {
			{[]string{"sensitivity", "a", "b"}, "accepts at most 1 arg(s)"},
			{[]string{"sensitivity", "--methd", "sobol"}, "did you mean --method?"},
		},
		"simulate config": {
			{[]string{"config", "pth"}, `did you mean "path"?`},
		},
		"simulate config path": {
			{[]string{"config", "path", "x"}, "takes no arguments"},
		},
		"simulate version": {
			{[]string{"version", "x"}, "takes no arguments"},
			{[]string{"version", "--format", "xml"}, "unknown --format"},
			{[]string{"version", "--fromat", "json"}, "did you mean --format?"},
		},
		"simulate gen-man": {
			{[]string{"gen-man"}, "accepts 1 arg(s), received 0"},
		},
		"simulate help": {
			{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
			{[]string{"help", "exercise", "shwo"}, `did you mean "show"?`},
		},
		"simulate completion": {
			{[]string{"completion", "tcsh"}, `unknown command "tcsh"`},
		},
		"simulate completion bash": {
			{[]string{"completion", "bash", "x"}, "takes no arguments"},
		},
		"simulate completion zsh": {
			{[]string{"completion", "zsh", "x"}, "takes no arguments"},
		},
		"simulate completion fish": {
			{[]string{"completion", "fish", "x"}, "takes no arguments"},
		},
		"simulate completion powershell": {
			{[]string{"completion", "powershell", "x"}, "takes no arguments"},
		},
	}
	// The table covers every command.
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.Hidden {
			_, ok := tests[c.CommandPath()]
			assert.True(t, ok, "no usage-error cases for %q", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
	for path, calls := range tests {
		for _, c := range calls {
			t.Run(path+"/"+strings.Join(c.args, "_"), func(t *testing.T) {
				out, errOut, code := execute(t, c.args...)
				require.Equal(t, exitBadInput, code, "stderr: %s", errOut)
				assert.Contains(t, errOut, c.want)
				assert.Empty(t, out, "nothing on stdout for a usage error")
			})
		}
	}
}
