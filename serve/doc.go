// Package serve is the local web page of `simulate serve`: a JSON API over
// the engine (scenarios, validation, the exact check, streamed Monte Carlo
// runs, traced trials and the state diagrams) and an embedded page that uses
// it, for a classroom projector or an analyst's browser.
//
// The server is plain net/http with its assets embedded (no CDN, no network
// access: it works offline). It is built to be left running on a laptop in
// a room of students' browsers: it answers only loopback Host names and
// same-origin requests (no DNS rebinding, no cross-site POST), bounds every
// request body and every run, runs at most one simulation per core and
// queues the others with their position shown, stops a run within a chunk
// of trials once its client goes away, and reads no file outside the
// directory it serves. The API is documented in docs/serve.md.
package serve
