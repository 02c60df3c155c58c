// A service that calls out over HTTPS and loads a named time zone: the image needs a CA bundle
// and zoneinfo (the runtime checks missing-ca-certificates and missing-tzdata).
package main

import (
	"fmt"
	"net/http"
	"time"
)

func main() {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := http.Get("https://example.invalid/")
	if err == nil {
		resp.Body.Close()
	}
	fmt.Println(time.Now().In(loc), err)
}
