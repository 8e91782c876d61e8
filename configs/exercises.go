package configs

import (
	"embed"
	"io/fs"
)

// exerciseFiles holds the graded exercises: one directory per exercise, with
// its exercise.yaml (question, hints, answer and how to check it) and the
// scenario file it names.
//
//go:embed exercises/*
var exerciseFiles embed.FS

// Exercises returns the embedded exercise directories as a file system rooted
// at configs/exercises.
func Exercises() fs.FS {
	sub, err := fs.Sub(exerciseFiles, "exercises")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
