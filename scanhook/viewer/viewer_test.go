package viewer

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/scanhook"
)

func TestListenRefusesEveryNonLoopbackAddress(t *testing.T) {
	for _, addr := range []string{
		":0", ":8080", "0.0.0.0:0", "[::]:0", "192.168.1.10:8080", "10.0.0.1:80",
		"example.com:80", "localhost.example:80", "127.0.0.1", "[fe80::1%eth0]:0", "[::ffff:10.0.0.1]:0", "",
	} {
		v, err := Listen(addr, "unused")
		if err == nil {
			v.Close()
			t.Errorf("Listen(%q) succeeded; want a refusal", addr)
			continue
		}
		if addr != "" && !strings.Contains(err.Error(), addr) {
			t.Errorf("Listen(%q) error %q does not name the address", addr, err)
		}
	}
}

func TestCheckLoopbackAccepts(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8080": "127.0.0.1:8080",
		"127.9.9.9:0":    "127.9.9.9:0",
		"[::1]:0":        "[::1]:0",
		"localhost:7000": "127.0.0.1:7000",
		"LOCALHOST:7000": "127.0.0.1:7000",
	} {
		got, err := CheckLoopback(in)
		if err != nil || got != want {
			t.Errorf("CheckLoopback(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestViewerServesReportsOnLoopback(t *testing.T) {
	dir := t.TempDir()
	sink, err := scanhook.NewFileSink(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := scanhook.New(scanhook.Options{Sink: sink,
		Settings: scanhook.DefaultSettings().WithMode(scanhook.ModeInterim2021)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Check(context.Background(), scanhook.Message{ID: "m1", Account: "alice@example.org",
		Body: "zibberfrotz <b>html</b>"})
	if err != nil || len(res.Reports) != 1 {
		t.Fatalf("Check: %d reports, %v", len(res.Reports), err)
	}

	v, err := Listen("127.0.0.1:0", sink.Path())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- v.Serve() }()
	defer func() {
		v.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + v.Addr() + "/reports.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Simulation string
		Reports    []scanhook.Report
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Simulation, "SIMULATION") || len(got.Reports) != 1 ||
		got.Reports[0].ReportID != res.Reports[0].ReportID || !got.Reports[0].Simulated {
		t.Fatalf("reports.json = %+v; want the one simulated report %s", got, res.Reports[0].ReportID)
	}
	page, err := client.Get(v.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(body), "SIMULATION") || !strings.Contains(string(body), "NOT SENT") {
		t.Errorf("page lacks the SIMULATION banner:\n%s", body)
	}
}

func TestViewerRefusesForeignHostHeader(t *testing.T) {
	v := &Viewer{path: "x", loaded: func(string) ([]scanhook.Report, error) { return nil, nil }}
	h := v.Handler()
	for host, want := range map[string]int{
		"127.0.0.1:8080":    http.StatusOK,
		"localhost:8080":    http.StatusOK,
		"[::1]:8080":        http.StatusOK,
		"evil.example:8080": http.StatusForbidden,
		"192.168.0.2":       http.StatusForbidden,
	} {
		req := httptest.NewRequest("GET", "/reports.json", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, rec.Code, want)
		}
	}
}
