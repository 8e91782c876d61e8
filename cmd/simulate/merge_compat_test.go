package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMergeRefusesShardsOfAnotherBuild checks that merge computes a result
// only from shards written by the same program: another build may compute
// intervals differently.
func TestMergeRefusesShardsOfAnotherBuild(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, k := range []string{"1", "2"} {
		out, errOut, code := execute(t, "run", "teaching", "-n", "20", "--quiet", "--shard", k+"/2")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, `"version":"test"`)
		out = strings.Replace(out, `"version":"test"`, `"version":"v0.9.0"`, 1)
		path := filepath.Join(dir, "part"+k+".json")
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
		files = append(files, path)
	}
	_, errOut, code := execute(t, append([]string{"merge"}, files...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "was written by simulate v0.9.0, this is simulate test: merge with the program that ran the shards")
}
