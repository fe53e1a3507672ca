package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/session"
)

// overlayText opens the key overlay with f1 and pages through it to the
// end, returning everything it showed.
func overlayText(t *testing.T, x *harness) string {
	t.Helper()
	x.press("f1")
	var seen []string
	for range 50 {
		seen = append(seen, x.text())
		if !strings.Contains(x.text(), "more") || !strings.Contains(x.text(), "↓") {
			break
		}
		x.press("pgdown")
	}
	x.press("esc")
	return strings.Join(seen, "\n")
}

// The overlay lists every binding of the key map, at 80x24 and at
// 120x40: those the root handles (f8 among them) and the components'.
func TestKeyOverlayListsEveryBinding(t *testing.T) {
	for _, s := range [][2]int{{80, 24}, {120, 40}} {
		x := withAlice(t, s[0], s[1])
		text := overlayText(t, x)
		for _, g := range x.m.com.Keys.Groups() {
			for _, b := range g.Bindings {
				if !strings.Contains(text, b.Help().Key) || !strings.Contains(text, b.Help().Desc) {
					t.Errorf("%v: the overlay does not list %q %q", s, b.Help().Key, b.Help().Desc)
				}
			}
		}
		for _, want := range []string{"f8", "scan inspector", "esc", "stop a transfer", "home", "/xml"} {
			if !strings.Contains(text, want) {
				t.Errorf("%v: the overlay does not show %q", s, want)
			}
		}
	}
}

// The root and its components take their keys from the key map, which the
// overlay lists: a binding made elsewhere, or a key compared as a string in
// the root, would be a key the overlay cannot know.
func TestKeysComeFromTheKeyMap(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if strings.HasPrefix(path, "keys/") || strings.HasPrefix(path, "internal/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		root := filepath.Dir(path) == "."
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if isCall(n, "key", "NewBinding") && !onlyDisabled(n) {
					t.Errorf("%s: a key binding outside ui/keys", fset.Position(n.Pos()))
				}
			case *ast.BinaryExpr:
				if root && n.Op == token.EQL && (isStringCall(n.X) || isStringCall(n.Y)) {
					t.Errorf("%s: the root compares a key as a string; use a binding of ui/keys", fset.Position(n.Pos()))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isCall(c *ast.CallExpr, pkg, name string) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// onlyDisabled: key.NewBinding(key.WithDisabled()) switches a bubbles
// default off; it binds nothing.
func onlyDisabled(c *ast.CallExpr) bool {
	for _, a := range c.Args {
		if ac, ok := a.(*ast.CallExpr); !ok || !isCall(ac, "key", "WithDisabled") {
			return false
		}
	}
	return true
}

func isStringCall(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok || len(c.Args) != 0 {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "String"
}

// In the compose line ? is a character like any other: "?" alone is a
// message. f1 opens the overlay from anywhere, keeping the draft; where no
// text is typed (the contact list, the conversation) ? opens it too.
func TestQuestionMarkIsTextInCompose(t *testing.T) {
	x := withAlice(t, 80, 24)
	x.mustShow("f1 keys")
	x.mustNotShow("? help")
	x.press("?")
	if x.m.overlay.Active() || x.m.compose.Value() != "?" {
		t.Fatalf("? in an empty compose line: overlay %v, compose %q", x.m.overlay.Active(), x.m.compose.Value())
	}
	x.press("enter")
	if got := sends(x); len(got) != 1 || got[0] != (session.SendRequest{To: alice, Body: "?"}) {
		t.Fatalf("Send calls: %#v", got)
	}
	x.typeText("draft")
	x.press("f1")
	x.mustShow("next chat")
	x.press("esc")
	if x.m.compose.Value() != "draft" {
		t.Fatalf("f1 lost the draft: %q", x.m.compose.Value())
	}
	for _, area := range []focusArea{focusSidebar, focusConversation} {
		x.m.setFocus(area)
		x.press("?")
		x.mustShow("next chat")
		x.press("esc")
		x.mustNotShow("next chat")
		if x.m.compose.Value() != "draft" {
			t.Fatalf("? outside compose typed into it: %q", x.m.compose.Value())
		}
	}
}
