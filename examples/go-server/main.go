// A small HTTP server for leakgate's Go signal (runtime: go). It serves "ok" on / and /healthz and exposes
// net/http/pprof under /debug/pprof. LEAK=map keeps a 512-byte entry per request in a global map
// (rememberRequest); LEAK=goroutine starts a goroutine per request that blocks forever (waitForever); anything
// else leaks nothing. It exits on SIGTERM.
package main

import (
	"context"
	"fmt"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	requests atomic.Int64
	mu       sync.Mutex
	seen     = map[int64][]byte{}
	never    = make(chan struct{})
)

// rememberRequest keeps a copy of something per request and never drops it: the map grows for good.
//
//go:noinline
func rememberRequest(id int64) {
	buf := make([]byte, 512)
	buf[0] = byte(id)
	mu.Lock()
	seen[id] = buf
	mu.Unlock()
}

// waitForever starts a goroutine per request that waits on a channel nobody closes.
//
//go:noinline
func waitForever() {
	go func() {
		<-never
	}()
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "3907"
	}
	leak := os.Getenv("LEAK")
	mux := http.DefaultServeMux
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		id := requests.Add(1)
		switch leak {
		case "map":
			rememberRequest(id)
		case "goroutine":
			waitForever()
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "ok "+strconv.FormatInt(id, 10)+"\n")
	})
	srv := &http.Server{Addr: "127.0.0.1:" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	fmt.Printf("listening on %s (leak: %q)\n", port, leak)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
