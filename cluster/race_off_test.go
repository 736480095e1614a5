//go:build !race

package cluster

const raceShrink = 1
