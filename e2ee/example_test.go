package e2ee_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/candor-xmpp/candor/e2ee"
)

// Two accounts exchange an OMEMO 2 message. In Candor the session layer
// carries bundles, device lists and messages over XMPP; here they are handed
// over directly.
func Example() {
	ctx := context.Background()
	alice, _ := e2ee.Open(ctx, e2ee.Config{Store: e2ee.NewMemoryStore(), OwnJID: "alice@example.org"})
	bob, _ := e2ee.Open(ctx, e2ee.Config{Store: e2ee.NewMemoryStore(), OwnJID: "bob@example.org"})
	v := e2ee.OMEMO2

	// Device lists from PEP.
	alice.UpdateDeviceList(ctx, v, "bob@example.org", []uint32{bob.DeviceID()})
	bob.UpdateDeviceList(ctx, v, "alice@example.org", []uint32{alice.DeviceID()})

	// Alice fetches the bundles she lacks and builds sessions.
	need, _ := alice.NeedBundles(ctx, v, []string{"bob@example.org"})
	for _, device := range need {
		bundle, _ := bob.Bundle(ctx, v) // really: fetched from bob's PEP
		if err := alice.ProcessBundle(ctx, v, device, bundle); err != nil {
			fmt.Println("bad bundle:", err)
		}
	}

	// Encrypt: committed before it returns, so it can be sent right away.
	res, err := alice.Encrypt(ctx, v, []string{"bob@example.org"}, []byte("<envelope>…</envelope>"))
	if err != nil {
		fmt.Println(err)
		return
	}
	key := res.Message.Keys[0]
	fmt.Println("key exchange:", key.KeyExchange)

	// Bob decrypts his key element.
	out, err := bob.Decrypt(ctx, &e2ee.Incoming{Version: v, Sender: alice.Address(),
		Key: key.Data, KeyExchange: key.KeyExchange, Payload: res.Message.Payload})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s from a %v device; new session: %v; reply to send: %v\n",
		out.Plaintext, out.Sender.Trust, out.NewSession, out.Reply != nil)

	// The same message again is a duplicate, to be ignored.
	_, err = bob.Decrypt(ctx, &e2ee.Incoming{Version: v, Sender: alice.Address(),
		Key: key.Data, KeyExchange: key.KeyExchange, Payload: res.Message.Payload})
	fmt.Println("again:", errors.Is(err, e2ee.ErrDuplicate))
	// Output:
	// key exchange: true
	// <envelope>…</envelope> from a blind device; new session: true; reply to send: true
	// again: true
}

// Encrypting a file for upload and decrypting a download (XEP-0454).
func ExampleDecryptFile() {
	key, _ := e2ee.NewFileKey(nil)
	var upload bytes.Buffer
	e2ee.EncryptFile(&upload, bytes.NewReader([]byte("a photo")), key)
	link, _ := e2ee.FormatAESGCMURL("https://upload.example.org/x/photo.jpg", key)

	// The recipient parses the link from the decrypted message body.
	url, key2, _ := e2ee.ParseAESGCMURL(link)
	fmt.Println("download", url)
	dst := filepath.Join(os.TempDir(), "candor-example-photo.jpg")
	defer os.Remove(dst)
	n, err := e2ee.DecryptFile(dst, &upload, key2)
	fmt.Println(n, err)
	// Output:
	// download https://upload.example.org/x/photo.jpg
	// 7 <nil>
}

func ExampleFingerprint_String() {
	fp, _ := e2ee.ParseFingerprint("05d3a1c8 9f2e7b46 0c1d2e3f 40516273 8495a6b7 c8d9eaf1 02132435 46576879")
	fmt.Println(fp)
	// Output: 05d3a1c8 9f2e7b46 0c1d2e3f 40516273 8495a6b7 c8d9eaf1 02132435 46576879
}
