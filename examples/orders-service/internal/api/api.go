// Package api is the orders HTTP API.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"example.com/orders/internal/notify"
	"example.com/orders/internal/store"
	"example.com/orders/internal/web"
)

// Server wires the store, the notifier and the shop's time zone into handlers.
type Server struct {
	Store    *store.Store
	Notifier *notify.Client
	Zone     *time.Location
}

// Routes returns the service's handler.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /api/orders", s.list)
	mux.HandleFunc("POST /api/orders", s.place)
	mux.HandleFunc("GET /api/orders/{id}", s.get)
	mux.HandleFunc("POST /api/orders/{id}/notify", s.notify)
	mux.Handle("GET /", web.Handler())
	return mux
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"status": "ok",
		"zone":   s.Zone.String(),
		"time":   time.Now().In(s.Zone).Format(time.RFC3339),
	})
}

func (s *Server) list(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Store.List())
}

func (s *Server) place(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Customer string       `json:"customer"`
		Lines    []store.Line `json:"lines"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	o, err := s.Store.Place(in.Customer, in.Lines)
	if err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		return
	}
	o.Placed = o.Placed.In(s.Zone)
	writeJSON(w, http.StatusCreated, o)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	o.Placed = o.Placed.In(s.Zone)
	writeJSON(w, http.StatusOK, o)
}

// notify calls the downstream webhook over HTTPS for one order, on demand.
func (s *Server) notify(w http.ResponseWriter, r *http.Request) {
	o, ok := s.lookup(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	if err := s.Notifier.OrderPlaced(ctx, o.ID); err != nil {
		log.Printf("notify order %d: %v", o.ID, err)
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notified": o.ID})
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (store.Order, bool) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id must be a number"})
		return store.Order{}, false
	}
	o, ok := s.Store.Get(id)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such order"})
	}
	return o, ok
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
		log.Printf("write response: %v", strings.TrimSpace(err.Error()))
	}
}
