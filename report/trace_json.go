package report

import (
	"encoding/json"
	"io"
)

// TraceJSON writes the log as one indented JSON object.
func TraceJSON(w io.Writer, log *TraceLog) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // ">=" stays ">=", not "\u003e="
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
