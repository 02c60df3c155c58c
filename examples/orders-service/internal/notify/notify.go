// Package notify tells a downstream system (over HTTPS) that an order was placed. It is called
// on demand, per order, never at start-up: a missing CA bundle shows only when it is used.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/goimg-fixtures/retry"
)

// Client posts order events to a webhook URL.
type Client struct {
	URL  string
	HTTP *http.Client
}

// New returns a client with a bounded timeout.
func New(url string) *Client {
	return &Client{URL: url, HTTP: &http.Client{Timeout: 5 * time.Second}}
}

// OrderPlaced posts {"event":"order.placed","id":ID} and retries transient failures.
func (c *Client) OrderPlaced(ctx context.Context, id int) error {
	body, err := json.Marshal(map[string]any{"event": "order.placed", "id": id})
	if err != nil {
		return err
	}
	return retry.Do(ctx, retry.Default, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
		if err != nil {
			return retry.Permanent{Err: err}
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			return fmt.Errorf("notify: %s answered %s", c.URL, resp.Status)
		}
		if resp.StatusCode >= 300 {
			return retry.Permanent{Err: fmt.Errorf("notify: %s answered %s", c.URL, resp.Status)}
		}
		return nil
	})
}
