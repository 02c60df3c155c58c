// Package retry runs an operation again, with exponential backoff, until it succeeds, the
// attempts run out or the context ends.
package retry

import (
	"context"
	"time"
)

// Policy says how often and how patiently to retry.
type Policy struct {
	Attempts int           // total tries, at least 1
	Initial  time.Duration // wait before the second try; doubles each time
	Max      time.Duration // upper bound of one wait (0: none)
}

// Default is three tries, 100 ms then 200 ms apart.
var Default = Policy{Attempts: 3, Initial: 100 * time.Millisecond, Max: 2 * time.Second}

// Permanent wraps an error that retrying cannot fix; Do returns it at once.
type Permanent struct{ Err error }

func (p Permanent) Error() string { return p.Err.Error() }
func (p Permanent) Unwrap() error { return p.Err }

// Do calls op until it returns nil or a Permanent error, or the policy gives up; it returns the
// last error.
func Do(ctx context.Context, p Policy, op func(ctx context.Context) error) error {
	if p.Attempts < 1 {
		p.Attempts = 1
	}
	wait := p.Initial
	var err error
	for i := 0; i < p.Attempts; i++ {
		if err = op(ctx); err == nil {
			return nil
		}
		if perm, ok := err.(Permanent); ok {
			return perm.Err
		}
		if i == p.Attempts-1 {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
		if p.Max > 0 && wait > p.Max {
			wait = p.Max
		}
	}
	return err
}
