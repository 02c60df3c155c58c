// Package money holds amounts as integer minor units (cents), never as floats.
package money

import (
	"errors"
	"fmt"
	"strings"
)

// Amount is a sum of money in one currency, in minor units.
type Amount struct {
	Cents    int64  `json:"cents"`
	Currency string `json:"currency"`
}

// ErrCurrencyMismatch is returned when adding amounts of different currencies.
var ErrCurrencyMismatch = errors.New("money: currency mismatch")

// New returns an amount; the currency code is upper-cased.
func New(cents int64, currency string) Amount {
	return Amount{Cents: cents, Currency: strings.ToUpper(currency)}
}

// Add returns a+b, or ErrCurrencyMismatch.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, ErrCurrencyMismatch
	}
	return Amount{Cents: a.Cents + b.Cents, Currency: a.Currency}, nil
}

// Times returns the amount multiplied by n.
func (a Amount) Times(n int64) Amount { return Amount{Cents: a.Cents * n, Currency: a.Currency} }

// String formats the amount as "12.34 EUR".
func (a Amount) String() string {
	sign, c := "", a.Cents
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, c/100, c%100, a.Currency)
}
