// Package store keeps orders in memory.
package store

import (
	"errors"
	"sort"
	"sync"
	"time"

	"example.com/money"
)

// Line is one product of an order.
type Line struct {
	SKU      string       `json:"sku"`
	Quantity int64        `json:"quantity"`
	Price    money.Amount `json:"price"`
}

// Order is what a customer bought.
type Order struct {
	ID       int          `json:"id"`
	Customer string       `json:"customer"`
	Lines    []Line       `json:"lines"`
	Total    money.Amount `json:"total"`
	Placed   time.Time    `json:"placed"`
}

// ErrEmpty is returned for an order without lines.
var ErrEmpty = errors.New("order has no lines")

// Store is safe for concurrent use.
type Store struct {
	mu     sync.Mutex
	next   int
	orders map[int]Order
	now    func() time.Time
}

// New returns an empty store whose clock is now.
func New(now func() time.Time) *Store {
	return &Store{next: 1, orders: map[int]Order{}, now: now}
}

// Place totals the lines and records the order.
func (s *Store) Place(customer string, lines []Line) (Order, error) {
	if len(lines) == 0 {
		return Order{}, ErrEmpty
	}
	total := money.New(0, lines[0].Price.Currency)
	for _, l := range lines {
		var err error
		if total, err = total.Add(l.Price.Times(l.Quantity)); err != nil {
			return Order{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := Order{ID: s.next, Customer: customer, Lines: lines, Total: total, Placed: s.now()}
	s.orders[o.ID] = o
	s.next++
	return o, nil
}

// Get returns one order.
func (s *Store) Get(id int) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	return o, ok
}

// List returns all orders by id.
func (s *Store) List() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
