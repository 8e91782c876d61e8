package stats

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShareHistJSONRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h ShareHist
	for i := 0; i < 5000; i++ {
		h.Add(r.Float64())
	}
	b, err := json.Marshal(&h)
	require.NoError(t, err)
	var back ShareHist
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, h, back)

	var empty, emptyBack ShareHist
	b, err = json.Marshal(&empty)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &emptyBack))
	assert.Equal(t, empty, emptyBack)
}

func TestShareHistJSONRejectsBadState(t *testing.T) {
	tests := map[string]string{
		"count mismatch": `{"count":3,"sum_1e9":0,"min_1e9":0,"max_1e9":0,"bins":[[0,2]]}`,
		"bin range":      `{"count":1,"sum_1e9":0,"min_1e9":0,"max_1e9":0,"bins":[[10001,1]]}`,
		"bin order":      `{"count":2,"sum_1e9":0,"min_1e9":0,"max_1e9":0,"bins":[[5,1],[5,1]]}`,
		"negative":       `{"count":0,"sum_1e9":0,"min_1e9":0,"max_1e9":0,"bins":[[5,-1],[6,1]]}`,
		"min above max":  `{"count":1,"sum_1e9":0,"min_1e9":5,"max_1e9":4,"bins":[[0,1]]}`,
		"not json":       `[`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			var h ShareHist
			assert.Error(t, json.Unmarshal([]byte(in), &h))
		})
	}
}
