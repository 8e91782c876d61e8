package sweep

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzReadSweep feeds arbitrary bytes to the sweep file reader (what merge
// and --resume read): no input may panic, and a file it accepts holds only
// rows a sweep could write, which encode and read back to the same rows and
// merge with themselves only as "in both". Inputs that once failed are kept
// in testdata/fuzz/FuzzReadSweep and run with every go test.
func FuzzReadSweep(f *testing.F) {
	s := teachingSweep(f, []string{"women>=0.3"})
	for _, enc := range []string{EncodingCSV, EncodingJSONL} {
		data := runAll(f, s, enc, s.Points()[:2])
		f.Add(data)
		f.Add(data[:len(data)-7])
	}
	f.Add([]byte("point,points,seed,trials,k,scenario_sha256,sweep_sha256,version\n0,1,1,1,x,a,b,c\n"))
	f.Add([]byte(`{"point":0,"points":1,"seed":1,"trials":1,"values":{},"targets":[],"shares":[],"scenario_sha256":"","sweep_sha256":"","version":""}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		var again bytes.Buffer
		again.Write(file.Header)
		for _, r := range file.Rows {
			require.NoError(t, r.Validate())
			again.Write(r.Marshal(file.Encoding))
		}
		back, err := Read(&again)
		require.NoError(t, err, "rows that were accepted encode to a file that reads back:\n%s", again.String())
		require.Len(t, back.Rows, len(file.Rows))
		for i := range file.Rows {
			assert.Equal(t, file.Rows[i].Marshal(file.Encoding), back.Rows[i].Marshal(file.Encoding))
		}
		if len(file.Rows) > 0 {
			_, _, err := Merge([]*File{file, file}, []string{"a", "b"})
			assert.Error(t, err)
		}
	})
}
