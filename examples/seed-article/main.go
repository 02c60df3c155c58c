// Command seed-article is the small HTTP API service of the first source article: a notes
// service built by that article's Dockerfile, exactly as written there.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := newServer(newStore())
	log.Printf("seed-article listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, srv.routes()))
}
