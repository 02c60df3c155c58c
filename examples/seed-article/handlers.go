package main

import (
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
)

type server struct {
	store *store
}

func newServer(s *store) *server { return &server{store: s} }

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.health)
	mux.HandleFunc("/api/notes", s.notes)
	mux.HandleFunc("/api/notes/", s.note)
	return mux
}

// health reports liveness and the host name, so a caller can tell which container answered.
func (s *server) health(w http.ResponseWriter, _ *http.Request) {
	host, _ := os.Hostname()
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "host": host})
}

// notes lists notes (GET) or creates one from {"text": "..."} (POST).
func (s *server) notes(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, s.store.list())
	case http.MethodPost:
		var in struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || strings.TrimSpace(in.Text) == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be {\"text\": \"...\"}"})
			return
		}
		writeJSON(w, http.StatusCreated, s.store.add(in.Text))
	default:
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	}
}

// note returns one note by its id: GET /api/notes/{id}.
func (s *server) note(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/api/notes/"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id must be a number"})
		return
	}
	n, ok := s.store.get(id)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such note"})
		return
	}
	writeJSON(w, http.StatusOK, n)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
