package main

import (
	"sort"
	"sync"
	"time"
)

// Note is one entry of the API.
type Note struct {
	ID      int       `json:"id"`
	Text    string    `json:"text"`
	Created time.Time `json:"created"`
}

// store keeps notes in memory; the service is a demo, not a database.
type store struct {
	mu    sync.Mutex
	next  int
	notes map[int]Note
}

func newStore() *store {
	return &store{next: 1, notes: map[int]Note{}}
}

func (s *store) add(text string) Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := Note{ID: s.next, Text: text, Created: time.Now().UTC()}
	s.notes[n.ID] = n
	s.next++
	return n
}

func (s *store) get(id int) (Note, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notes[id]
	return n, ok
}

func (s *store) list() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Note, 0, len(s.notes))
	for _, n := range s.notes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
