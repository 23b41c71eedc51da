// otlpsend: the restart test's sender. Sends COUNT numbered items of one signal to an OTLP/HTTP endpoint at
// RATE per second, one item per request (OTLP/JSON), retrying each until the collector accepts it (HTTP 200),
// as an SDK with a persistent retry would. Prints one JSON summary line:
//
//	{"signal":"logs","run":"r1","sent":900,"retries":12,"seconds":90.2}
//
// Items carry the run ID (logs: in the body "otlpsend <run> <seq>"; traces: span attribute run.id, status ERROR
// so tail sampling keeps every one; metrics: gauge otlpsend_seq{run_id} with the sequence number as value), so
// the test counts exactly what arrived.
//
//	otlpsend ENDPOINT SIGNAL COUNT RATE RUN      e.g. otlpsend http://otel-collector:4318 logs 900 10 r1
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"
)

func attr(key, value string) map[string]any {
	return map[string]any{"key": key, "value": map[string]any{"stringValue": value}}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func payload(signal, run string, seq int) (string, any) {
	now := strconv.FormatInt(time.Now().UnixNano(), 10)
	resource := map[string]any{"attributes": []any{attr("service.name", "otlpsend")}}
	switch signal {
	case "logs":
		return "/v1/logs", map[string]any{"resourceLogs": []any{map[string]any{
			"resource": resource,
			"scopeLogs": []any{map[string]any{"logRecords": []any{map[string]any{
				"timeUnixNano": now, "severityText": "INFO",
				"body":       map[string]any{"stringValue": fmt.Sprintf("otlpsend %s %d", run, seq)},
				"attributes": []any{attr("run.id", run)},
			}}}},
		}}}
	case "traces":
		return "/v1/traces", map[string]any{"resourceSpans": []any{map[string]any{
			"resource": resource,
			"scopeSpans": []any{map[string]any{"spans": []any{map[string]any{
				"traceId": randomHex(16), "spanId": randomHex(8), "name": "otlpsend", "kind": 2,
				"startTimeUnixNano": now, "endTimeUnixNano": now,
				"attributes": []any{attr("run.id", run), attr("seq", strconv.Itoa(seq))},
				"status":     map[string]any{"code": 2, "message": "otlpsend error span"},
			}}}},
		}}}
	case "metrics":
		return "/v1/metrics", map[string]any{"resourceMetrics": []any{map[string]any{
			"resource": resource,
			"scopeMetrics": []any{map[string]any{"metrics": []any{map[string]any{
				"name": "otlpsend_seq",
				"gauge": map[string]any{"dataPoints": []any{map[string]any{
					"timeUnixNano": now, "asDouble": float64(seq), "attributes": []any{attr("run_id", run)},
				}}},
			}}}},
		}}}
	}
	fmt.Fprintln(os.Stderr, "otlpsend: unknown signal", signal)
	os.Exit(2)
	return "", nil
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: otlpsend ENDPOINT logs|traces|metrics COUNT RATE RUN")
		os.Exit(2)
	}
	endpoint, signal, run := os.Args[1], os.Args[2], os.Args[5]
	count, err1 := strconv.Atoi(os.Args[3])
	rate, err2 := strconv.Atoi(os.Args[4])
	if err1 != nil || err2 != nil || count < 1 || rate < 1 {
		fmt.Fprintln(os.Stderr, "otlpsend: COUNT and RATE must be positive integers")
		os.Exit(2)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	started := time.Now()
	retries := 0
	interval := time.Second / time.Duration(rate)
	for seq := 0; seq < count; seq++ {
		next := started.Add(time.Duration(seq) * interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		path, body := payload(signal, run, seq)
		data, _ := json.Marshal(body)
		deadline := time.Now().Add(3 * time.Minute)
		for {
			resp, err := client.Post(endpoint+path, "application/json", bytes.NewReader(data))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				fmt.Fprintf(os.Stderr, "otlpsend: item %d not accepted within 3 minutes (last: %v)\n", seq, err)
				os.Exit(1)
			}
			retries++
			time.Sleep(200 * time.Millisecond)
		}
	}
	out, _ := json.Marshal(map[string]any{"signal": signal, "run": run, "sent": count, "retries": retries, "seconds": time.Since(started).Seconds()})
	fmt.Println(string(out))
}
