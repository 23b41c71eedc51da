// webhook-sink receives Alertmanager webhook notifications inside the compose network and shows them to the
// end-to-end test through a port published on 127.0.0.1: POST /hook records a body, GET /received lists them.
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

type notification struct {
	ReceivedAt time.Time       `json:"receivedAt"`
	Body       json.RawMessage `json:"body"`
}

func main() {
	addr := os.Getenv("LISTEN")
	if addr == "" {
		addr = ":8080"
	}
	var mu sync.Mutex
	received := []notification{}

	http.HandleFunc("/hook", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || !json.Valid(body) {
			http.Error(w, "expected a JSON body", http.StatusBadRequest)
			return
		}
		mu.Lock()
		received = append(received, notification{ReceivedAt: time.Now().UTC(), Body: body})
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
	http.HandleFunc("/received", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(received)
	})
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	log.Printf("webhook-sink listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
