package i18n

// zh is the catalogue: the program's fixed English text and its Chinese.
// Keys are the English text exactly as the call site writes it, format
// verbs included; a Chinese entry may reorder arguments with %[n]v.
var zh = map[string]string{}
