module observatory.local/webhook-sink

go 1.22
