package prosodytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// writeCert writes a self-signed certificate and its key as
// dir/host.crt and dir/host.key for every host (the same pair under each
// name, as Prosody looks certificates up by host name). The certificate
// names names and 127.0.0.1, and is its own CA, so clients trust it by
// loading the file returned.
func writeCert(dir string, hosts, names []string) (caFile string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return "", err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: names[0], Organization: []string{"Candor test"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              names,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	for _, n := range hosts {
		if err := os.WriteFile(filepath.Join(dir, n+".crt"), certPEM, 0o644); err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, n+".key"), keyPEM, 0o600); err != nil {
			return "", err
		}
	}
	caFile = filepath.Join(filepath.Dir(dir), "ca.pem")
	if err := os.WriteFile(caFile, certPEM, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", caFile, err)
	}
	return caFile, nil
}
