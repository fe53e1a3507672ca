package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The HTTP side of file sharing: one client per transfer, verifying
// certificates against the system's roots plus the account's CA file (a
// self-signed server's upload component shares its certificate), https
// only, redirects only to https, and errors cut to one line.

// httpClient returns a client for one transfer; close its idle connections
// when done.
func (c *Client) httpClient() (*http.Client, error) {
	c.mu.Lock()
	acct := c.acct
	c.mu.Unlock()
	cfg, err := tlsConfig(acct, "")
	if err != nil {
		return nil, err
	}
	cfg.ServerName = "" // each request's host
	tr := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:        cfg,
		TLSHandshakeTimeout:    30 * time.Second,
		ResponseHeaderTimeout:  2 * time.Minute, // a server may check a big upload before answering
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// Large writes: each becomes full TLS records, and servers that
		// wake up per read (Prosody) go many times faster.
		WriteBufferSize:   256 << 10,
		ReadBufferSize:    64 << 10,
		ForceAttemptHTTP2: true,
	}
	return &http.Client{Transport: tr, CheckRedirect: httpsRedirectsOnly}, nil
}

func httpsRedirectsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	if req.URL.Scheme != "https" {
		return fmt.Errorf("redirected to a %s: URL; only https is followed", req.URL.Scheme)
	}
	if req.Method != http.MethodGet {
		return errors.New("the upload was redirected; not following")
	}
	return nil
}

// httpError is a one-line reason for a failed request: without the URL
// (slot URLs carry secrets, and they are long).
func httpError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return fmt.Errorf("the file server's certificate is not trusted: %s", oneLine(err.Error()))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("connection lost: the server closed the connection before the end of the file")
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return fmt.Errorf("connection lost: %s", oneLine(err.Error()))
	}
	return errors.New(oneLine(err.Error()))
}

// statusError describes an HTTP status that is not success, with a short
// piece of the server's explanation when it is text.
func statusError(what string, resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	text := ""
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/plain") {
		text = strings.TrimSpace(oneLine(string(b)))
		if len(text) > 120 {
			text = text[:120] + "…"
		}
	}
	msg := fmt.Sprintf("the %s server answered %s", what, resp.Status)
	switch resp.StatusCode {
	case http.StatusRequestEntityTooLarge:
		msg += " (the file is larger than it accepts)"
	case http.StatusNotFound, http.StatusGone:
		if what == "file" {
			msg += " (the file is gone: expired or deleted)"
		}
	case http.StatusUnauthorized, http.StatusForbidden:
		msg += " (not allowed)"
	}
	if text != "" && !strings.Contains(msg, text) {
		msg += ": " + text
	}
	return errors.New(msg)
}
