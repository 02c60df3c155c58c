// A server-only net/http program: it links crypto/tls (a server can serve TLS) but never dials
// out, so it needs no CA bundle, and it formats times without loading named zones.
package main

import (
	"fmt"
	"net/http"
	"time"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, time.Now().UTC())
	})
	_ = http.ListenAndServe(":8080", nil)
}
