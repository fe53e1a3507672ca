package store

import (
	"context"
	"errors"
	"testing"
)

func TestFilesWithTheirMessages(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)

	out := msg("bob@example.org", DirOutgoing, "aesgcm://up.example/a/x.png#00", t0)
	of := &File{URL: out.Body, Name: "x.png", Size: 10, MediaType: "image/png", Encrypted: true, LocalPath: "/tmp/x.png", UploadName: "r4nd0m.png"}
	if err := s.EnqueueFile(ctx, out, of, nil); err != nil {
		t.Fatal(err)
	}
	if q, _ := s.Outbox(ctx); len(q) != 1 || q[0].ID != out.ID {
		t.Fatalf("the file message is not queued: %+v", q)
	}
	in := msg("bob@example.org", DirIncoming, "https://up.example/b/y.jpg", t0)
	inf := &File{URL: in.Body, Name: "y.jpg", Size: -1}
	if err := s.InsertMessageFile(ctx, in, true, inf); err != nil {
		t.Fatal(err)
	}
	plain := msg("bob@example.org", DirIncoming, "just text", t0)
	if err := s.InsertMessage(ctx, plain, false); err != nil {
		t.Fatal(err)
	}

	got, err := s.File(ctx, out.ID)
	if err != nil || got != *of || got.MessageID != out.ID {
		t.Fatalf("File(out) = %+v, %v", got, err)
	}
	if _, err := s.File(ctx, plain.ID); !errors.Is(err, ErrNoFile) {
		t.Fatalf("File(plain) error %v", err)
	}
	all, err := s.FilesOf(ctx, []int64{out.ID, in.ID, plain.ID})
	if err != nil || len(all) != 2 || all[in.ID].Name != "y.jpg" || all[in.ID].Size != -1 {
		t.Fatalf("FilesOf = %+v, %v", all, err)
	}

	inf.State, inf.LocalPath, inf.Size, inf.MediaType = 2, "/dl/y.jpg", 1234, "image/jpeg"
	if err := s.UpdateFile(ctx, *inf); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.File(ctx, in.ID); got.LocalPath != "/dl/y.jpg" || got.Size != 1234 || got.State != 2 || got.URL != in.Body {
		t.Fatalf("after update: %+v", got)
	}
	if err := s.UpdateFile(ctx, File{MessageID: plain.ID}); !errors.Is(err, ErrNoFile) {
		t.Fatalf("update of a message without file: %v", err)
	}

	// A failed insert leaves neither the message nor the file.
	dup := msg("bob@example.org", DirIncoming, "aesgcm://up.example/c#00", t0)
	dup.StanzaID = in.StanzaID
	in2 := msg("bob@example.org", DirIncoming, "z", t0)
	in2.StanzaID = "S-1"
	if err := s.InsertMessage(ctx, in2, false); err != nil {
		t.Fatal(err)
	}
	dup.StanzaID = "S-1"
	if err := s.InsertMessageFile(ctx, dup, false, &File{URL: dup.Body, Name: "c"}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate insert: %v", err)
	}
	if all, _ := s.FilesOf(ctx, []int64{dup.ID, in2.ID}); len(all) != 0 {
		t.Fatalf("a file row outlived its failed message: %+v", all)
	}
}

func TestHasEncryptedFrom(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if ok, err := s.HasEncryptedFrom(ctx, "bob@example.org"); ok || err != nil {
		t.Fatalf("empty store: %v, %v", ok, err)
	}
	plain := msg("bob@example.org", DirIncoming, "hi", t0)
	ours := msg("bob@example.org", DirOutgoing, "hi", t0)
	ours.EncScheme = "omemo:0.3" // our own encryption says nothing about bob
	for _, m := range []*Message{plain, ours} {
		if err := s.InsertMessage(ctx, m, false); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := s.HasEncryptedFrom(ctx, "bob@example.org"); ok {
		t.Fatal("plaintext and our own messages counted as bob's OMEMO")
	}
	enc := msg("bob@example.org", DirIncoming, "secret", t0)
	enc.EncScheme = "omemo:2"
	if err := s.InsertMessage(ctx, enc, false); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasEncryptedFrom(ctx, "bob@example.org"); !ok {
		t.Fatal("bob's OMEMO message not seen")
	}
	if ok, _ := s.HasEncryptedFrom(ctx, "carol@example.org"); ok {
		t.Fatal("carol counted")
	}
}
