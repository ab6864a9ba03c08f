// The same three workloads as `swift run -c release raft-bench`, on etcd's Go raft, so that the
// figures can be compared on one machine. See Notes/performance.md and run.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"runtime"
	"time"

	"go.etcd.io/etcd/raft"
	pb "go.etcd.io/etcd/raft/raftpb"
)

var discard = &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)}

func storageWithVoters(voters ...uint64) *raft.MemoryStorage {
	s := raft.NewMemoryStorage()
	snap := pb.Snapshot{Metadata: pb.SnapshotMetadata{Index: 1, Term: 1, ConfState: pb.ConfState{Voters: voters}}}
	if err := s.ApplySnapshot(snap); err != nil {
		panic(err)
	}
	return s
}

func config(id uint64, s *raft.MemoryStorage) *raft.Config {
	return &raft.Config{ID: id, ElectionTick: 10, HeartbeatTick: 1, Storage: s,
		MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, Logger: discard}
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

type cluster struct {
	nodes    []*raft.RawNode
	storages []*raft.MemoryStorage
	applied  []int
	queue    []pb.Message
}

// settle handles Readies and delivers messages until a pass finds neither.
func (c *cluster) settle() {
	for {
		busy := false
		for i, rn := range c.nodes {
			if !rn.HasReady() {
				continue
			}
			busy = true
			rd := rn.Ready()
			s := c.storages[i]
			if !raft.IsEmptyHardState(rd.HardState) {
				s.SetHardState(rd.HardState)
			}
			s.Append(rd.Entries)
			c.queue = append(c.queue, rd.Messages...)
			for _, e := range rd.CommittedEntries {
				if e.Type == pb.EntryNormal && len(e.Data) > 0 {
					c.applied[i]++
				}
			}
			rn.Advance(rd)
		}
		msgs := c.queue
		c.queue = nil
		for _, m := range msgs {
			busy = true
			c.nodes[m.To-1].Step(m)
		}
		if !busy {
			return
		}
	}
}

func w1(n int) (float64, float64) {
	c := &cluster{applied: make([]int, 3)}
	for id := uint64(1); id <= 3; id++ {
		s := storageWithVoters(1, 2, 3)
		rn, err := raft.NewRawNode(config(id, s))
		if err != nil {
			panic(err)
		}
		c.nodes = append(c.nodes, rn)
		c.storages = append(c.storages, s)
	}
	c.nodes[0].Campaign()
	c.settle()
	payload := make([]byte, 128)
	start := time.Now()
	m0 := mallocs()
	proposed := 0
	for proposed < n {
		for k := 0; k < 64 && proposed < n; k++ {
			if err := c.nodes[0].Propose(payload); err != nil {
				panic(err)
			}
			proposed++
		}
		c.settle()
	}
	for c.applied[0] < n || c.applied[1] < n || c.applied[2] < n {
		c.settle()
	}
	el := time.Since(start).Seconds()
	allocs := float64(mallocs()-m0) / float64(n)
	return float64(n) / el, allocs
}

// w2 returns the proposals per second and the number of Readies the loop handled while the
// proposals ran (fewer, larger Readies mean better batching).
func w2(n int) (float64, int) {
	s := storageWithVoters(1)
	node := raft.RestartNode(config(1, s))
	defer node.Stop()
	done := make(chan struct{})
	target := uint64(n + 2)
	readies := 0
	go func() {
		for rd := range node.Ready() {
			if !raft.IsEmptyHardState(rd.HardState) {
				s.SetHardState(rd.HardState)
			}
			s.Append(rd.Entries)
			node.Advance()
			if rd.HardState.Commit > 2 {
				readies++
			}
			if rd.HardState.Commit >= target {
				close(done)
				return
			}
		}
	}()
	ctx := context.Background()
	node.Campaign(ctx)
	for node.Status().Lead != 1 {
		time.Sleep(time.Millisecond)
	}
	payload := []byte("abc")
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := node.Propose(ctx, payload); err != nil {
			panic(err)
		}
	}
	<-done
	return float64(n) / time.Since(start).Seconds(), readies
}

func w3(n int) (float64, float64) {
	s := storageWithVoters(1)
	rn, _ := raft.NewRawNode(config(1, s))
	rn.Campaign()
	handle := func() {
		for rn.HasReady() {
			rd := rn.Ready()
			if !raft.IsEmptyHardState(rd.HardState) {
				s.SetHardState(rd.HardState)
			}
			s.Append(rd.Entries)
			rn.Advance(rd)
		}
	}
	handle()
	payload := make([]byte, 128)
	m0 := mallocs()
	start := time.Now()
	for i := 0; i < n; i++ {
		rn.Propose(payload)
		handle()
	}
	el := time.Since(start)
	return float64(el.Nanoseconds()) / float64(n), float64(mallocs()-m0) / float64(n)
}

func main() {
	n1 := flag.Int("w1", 200000, "W1 proposals")
	n2 := flag.Int("w2", 100000, "W2 proposals")
	n3 := flag.Int("w3", 100000, "W3 entries")
	flag.Parse()
	r1, a1 := w1(*n1)
	fmt.Printf("W1 rawnode-3node  %.0f entries/s  %.0f ns/entry  %.2f allocs/entry\n", r1, 1e9/r1, a1)
	r2, readies := w2(*n2)
	fmt.Printf("W2 node-1node     %.0f proposals/s  %.0f ns/proposal  %.1f proposals/Ready\n", r2, 1e9/r2, float64(*n2)/float64(readies))
	ns3, a3 := w3(*n3)
	fmt.Printf("W3 log-append     %.0f ns/entry  %.2f allocs/entry\n", ns3, a3)
	fmt.Printf("W1 %.0f W2 %.0f W3 %.0f\n", r1, r2, ns3)
}
