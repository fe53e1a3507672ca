package viewer

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/candor-xmpp/candor/scanhook"
)

// CheckLoopback accepts "127.0.0.1:8080", "[::1]:0", "localhost:8080" and
// other loopback IP literals with a port, and returns the address to
// listen on ("localhost" becomes 127.0.0.1 so that no resolver is asked).
// Anything else, including an empty host, 0.0.0.0 and host names, is
// refused with an error naming the address.
func CheckLoopback(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("report viewer address %q: %v", addr, err)
	}
	if port == "" {
		return "", fmt.Errorf("report viewer address %q: no port", addr)
	}
	if strings.EqualFold(host, "localhost") {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() || ip.Zone() != "" {
		return "", fmt.Errorf("report viewer address %q: refused, the viewer listens on loopback only (127.0.0.1, ::1 or localhost)", addr)
	}
	return net.JoinHostPort(ip.String(), port), nil
}

// Viewer is a listening report viewer.
type Viewer struct {
	ln     net.Listener
	srv    *http.Server
	path   string
	loaded func(string) ([]scanhook.Report, error)
}

// Listen checks addr with CheckLoopback and listens on it; reportsPath is
// the sink's file (scanhook.FileSink.Path).
func Listen(addr, reportsPath string) (*Viewer, error) {
	addr, err := CheckLoopback(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("report viewer %s: %w", addr, err)
	}
	// Belt and braces: what the kernel bound must be loopback too.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("report viewer %s: bound to %s, which is not loopback", addr, ln.Addr())
	}
	v := &Viewer{ln: ln, path: reportsPath, loaded: scanhook.ReadReports}
	v.srv = &http.Server{Handler: v.Handler(), ReadHeaderTimeout: 5 * time.Second}
	return v, nil
}

// Addr is the address the viewer listens on.
func (v *Viewer) Addr() string { return v.ln.Addr().String() }

// URL is the page to open.
func (v *Viewer) URL() string { return "http://" + v.Addr() + "/" }

// Serve serves until Close; it returns nil after Close.
func (v *Viewer) Serve() error {
	err := v.srv.Serve(v.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the viewer.
func (v *Viewer) Close() error { return v.srv.Close() }

// Handler serves GET / (an HTML page) and GET /reports.json. Requests whose
// Host is not loopback are refused, so that a web page cannot reach the
// viewer through DNS rebinding.
func (v *Viewer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /reports.json", func(w http.ResponseWriter, r *http.Request) {
		reports, err := v.loaded(v.path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if reports == nil {
			reports = []scanhook.Report{}
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			Simulation string            `json:"simulation"`
			Reports    []scanhook.Report `json:"reports"`
		}{scanhook.SimulationNotice, reports})
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		reports, err := v.loaded(v.path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = page.Execute(w, struct {
			Simulation string
			Path       string
			Reports    []scanhook.Report
		}{scanhook.SimulationNotice, v.path, reports})
	})
	return hostGuard(mux)
}

func hostGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
		if !strings.EqualFold(host, "localhost") && (err != nil || !ip.IsLoopback()) {
			http.Error(w, "refused: the report viewer answers loopback hosts only", http.StatusForbidden)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		next.ServeHTTP(w, r)
	})
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>SIMULATION: scanhook reports</title>
<style>body{font-family:sans-serif;margin:2em}.sim{background:#b00;color:#fff;padding:.5em 1em;font-weight:bold}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;vertical-align:top}</style></head>
<body><p class="sim">{{.Simulation}}</p>
<h1>Simulated reports (NOT SENT)</h1>
<p>From {{.Path}}. {{len .Reports}} report(s). Raw JSON: <a href="/reports.json">/reports.json</a>.</p>
<table><tr><th>time</th><th>mode</th><th>type</th><th>status</th><th>would go to</th><th>user</th><th>match</th></tr>
{{range .Reports}}<tr><td>{{.Points.B.Time.Format "2006-01-02 15:04:05 MST"}}</td><td>{{.Mode}}</td>
<td>{{.Points.E.Type}}</td><td>{{.Status}}</td><td>{{.Recipient}}</td><td>{{.Points.G.Username}}</td>
<td>{{.Indicators.Match.Label}} ({{.Indicators.Algorithm}}, distance {{.Indicators.Match.Distance}})</td></tr>
{{end}}</table></body></html>
`))
