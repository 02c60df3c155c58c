// Command orders serves the orders API on :8080 (PORT overrides the port).
//
// It needs from its image: the time zone database (the shop's zone is loaded at start-up),
// and a CA bundle (the order webhook is called over HTTPS, on demand).
package main

import (
	"log"
	"net/http"
	"os"
	"time"

	"example.com/orders/internal/api"
	"example.com/orders/internal/notify"
	"example.com/orders/internal/store"
)

func main() {
	zoneName := envOr("SHOP_TIMEZONE", "Europe/Berlin")
	zone, err := time.LoadLocation(zoneName)
	if err != nil {
		log.Fatalf("orders: load time zone %s: %v", zoneName, err)
	}
	srv := &api.Server{
		Store:    store.New(time.Now),
		Notifier: notify.New(envOr("ORDER_WEBHOOK_URL", "https://hooks.example.com/orders")),
		Zone:     zone,
	}
	addr := ":" + envOr("PORT", "8080")
	log.Printf("orders listening on %s (zone %s)", addr, zone)
	log.Fatal(http.ListenAndServe(addr, srv.Routes()))
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
