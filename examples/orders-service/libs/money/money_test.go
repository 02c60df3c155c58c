package money

import "testing"

func TestString(t *testing.T) {
	if got := New(-1205, "eur").String(); got != "-12.05 EUR" {
		t.Fatalf("got %q", got)
	}
}

func TestAddMismatch(t *testing.T) {
	if _, err := New(1, "EUR").Add(New(1, "USD")); err != ErrCurrencyMismatch {
		t.Fatalf("got %v", err)
	}
}
