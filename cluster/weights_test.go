package cluster

import (
	"slices"
	"testing"

	"github.com/fastmva/fastmva/internal/fault"
	"github.com/stretchr/testify/require"
)

// Both random initialisations draw ∝ sample_weight (scikit-learn's k-means++ and "random" do):
// with k rows of weight 1 among rows of weight 0, every draw must land on those k rows, so the
// fit ends with exactly those rows as centers and zero inertia. An unweighted draw would pick
// zero-weight rows, whose clusters then stay empty of weight.
func TestInitDrawsOnlyRowsOfPositiveWeight(t *testing.T) {
	x, _ := blobs(600, 3, 3, 2)
	heavy := []int{17, 301, 555}
	w := make([]float64, x.Rows)
	for _, i := range heavy {
		w[i] = 1
	}
	for _, init := range []Init{InitKMeansPP, InitRandom} {
		for seed := uint64(0); seed < 20; seed++ {
			p := DefaultKMeansParams()
			p.K, p.Init, p.Seed = 3, init, seed
			res, err := FitKMeans(x, w, nil, p)
			require.NoError(t, err)
			require.Zero(t, res.Inertia, "init %d seed %d", init, seed)
			for _, i := range heavy {
				found := false
				for j := 0; j < 3; j++ {
					found = found || slices.Equal(res.Centers[j*3:j*3+3], x.Row(i))
				}
				require.True(t, found, "init %d seed %d: row %d is not a center", init, seed, i)
			}
		}
	}
}

func TestWeightsThatCannotBeDrawnFromAreRefused(t *testing.T) {
	x, _ := blobs(50, 2, 2, 3)
	p := DefaultKMeansParams()
	p.K = 3
	w := make([]float64, x.Rows)
	_, err := FitKMeans(x, w, nil, p)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "at least one non-zero")

	w[4], w[9] = 1, 2 // two positive weights, three distinct rows to draw
	p.Init = InitRandom
	_, err = FitKMeans(x, w, nil, p)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "only 2 non-zero")

	p.Init = InitKMeansPP // k-means++ may repeat a row once the potential is zero, as scikit-learn's
	_, err = FitKMeans(x, w, nil, p)
	require.NoError(t, err)

	w[7] = -1
	_, err = FitKMeans(x, w, nil, p)
	require.ErrorIs(t, err, fault.ErrInvalid)
	require.Contains(t, err.Error(), "sample_weight[7]")
}

func TestSameClusteringIsUpToRenaming(t *testing.T) {
	a := []int32{0, 0, 1, 2, 2}
	require.True(t, sameClustering(a, []int32{2, 2, 0, 1, 1}, 3))
	require.False(t, sameClustering(a, []int32{2, 1, 0, 1, 1}, 3))
	require.True(t, sameClustering(a, a, 3))
}
