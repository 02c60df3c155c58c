package store

import (
	"testing"
	"time"

	"example.com/money"
)

func TestPlaceTotals(t *testing.T) {
	s := New(time.Now)
	o, err := s.Place("ann", []Line{{SKU: "a", Quantity: 2, Price: money.New(150, "EUR")}, {SKU: "b", Quantity: 1, Price: money.New(99, "EUR")}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Total.String() != "3.99 EUR" {
		t.Fatalf("total %s", o.Total)
	}
}
