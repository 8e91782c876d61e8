// Package i18n holds the human language of the program's output: the
// languages (en, zh), the catalogue of the program's fixed text in Chinese,
// and Names, which gives the scenario's identifiers their display names in
// the chosen language and remembers which had none.
//
// The catalogue is a Go map keyed by the English text itself: a call site
// reads lang.T("Stage funnel"), in English it is the text as written, and a
// test (TestCatalogueComplete in the command's tests) runs every command in
// Chinese and fails on fixed English left in the output. No message IDs, no
// generated files: the program has two languages and a few hundred strings.
//
// Fallbacks are visible: a scenario identifier without a Chinese name is
// printed as written, and the output ends with a footnote (Names.Footnote)
// listing every such name it used, so Chinese output never silently carries
// English.
package i18n
