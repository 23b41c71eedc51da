// netprobe: the network policy test's client and listener, one static binary for the probe pods.
//
//	netprobe listen :8080                 serve HTTP 200 "ok" on every path until killed
//	netprobe connect 2s host:port ...     try a TCP connection to each target (timeout each), print one JSON
//	                                      line per target: {"target":"svc.ns:80","open":true,"ms":3,"error":""}
//
// A refused flow under NetworkPolicy shows as a timeout (packets dropped), a closed port as "connection refused".
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

type result struct {
	Target string `json:"target"`
	Open   bool   `json:"open"`
	Ms     int64  `json:"ms"`
	Error  string `json:"error"`
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: netprobe listen ADDR | netprobe connect TIMEOUT TARGET...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "listen":
		err := http.ListenAndServe(os.Args[2], http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("ok\n"))
		}))
		fmt.Fprintln(os.Stderr, "netprobe:", err)
		os.Exit(1)
	case "connect":
		timeout, err := time.ParseDuration(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, "netprobe: bad timeout:", err)
			os.Exit(2)
		}
		results := make([]result, len(os.Args)-3)
		done := make(chan struct{})
		for i, target := range os.Args[3:] {
			go func(i int, target string) {
				start := time.Now()
				conn, err := net.DialTimeout("tcp", target, timeout)
				r := result{Target: target, Open: err == nil, Ms: time.Since(start).Milliseconds()}
				if err != nil {
					r.Error = err.Error()
				} else {
					conn.Close()
				}
				results[i] = r
				done <- struct{}{}
			}(i, target)
		}
		for range results {
			<-done
		}
		enc := json.NewEncoder(os.Stdout)
		for _, r := range results {
			_ = enc.Encode(r)
		}
	default:
		fmt.Fprintln(os.Stderr, "netprobe: unknown command", os.Args[1])
		os.Exit(2)
	}
}
