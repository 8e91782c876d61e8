package main

import (
	"path/filepath"
	"slices"
	"strings"
)

// formatExtensions are the file extensions each output format may be
// written to (".htm" for HTML, ".markdown" for Markdown …).
var formatExtensions = map[string][]string{
	"html":    {".html", ".htm"},
	"md":      {".md", ".markdown"},
	"json":    {".json"},
	"jsonl":   {".jsonl", ".ndjson", ".json"},
	"csv":     {".csv"},
	"text":    {".txt", ".text"},
	"svg":     {".svg"},
	"png":     {".png"},
	"dot":     {".dot", ".gv"},
	"mermaid": {".mmd", ".mermaid", ".md"},
	"yaml":    {".yaml", ".yml"},
}

// checkExtension refuses to write a format into a file whose extension says
// another (report --html out.pdf would be HTML in a .pdf): a usage error with
// the name to use. A file without an extension, stdout ("-" or "") and
// formats without a known extension pass.
func checkExtension(flag, path, format string) error {
	if path == "" || path == "-" {
		return nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	want, known := formatExtensions[format]
	if ext == "" || !known || slices.Contains(want, ext) {
		return nil
	}
	return usagef("%s %s: %s output goes in a file ending in %s, not %s; write to %s",
		flag, path, format, strings.Join(want, " or "), ext, strings.TrimSuffix(path, filepath.Ext(path))+want[0])
}
