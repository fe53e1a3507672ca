package keys

import (
	"reflect"
	"slices"
	"testing"

	"charm.land/bubbles/v2/key"
)

// Every binding of the KeyMap is in Groups, which the key overlay shows:
// a binding added to the map but not to the overlay fails here.
func TestGroupsListEveryBinding(t *testing.T) {
	for _, enhanced := range []bool{false, true} {
		k := Default()
		k.SetEnhanced(enhanced)
		var listed []key.Binding
		for _, g := range k.Groups() {
			listed = append(listed, g.Bindings...)
		}
		v := reflect.ValueOf(k).Elem()
		for i := range v.NumField() {
			name := v.Type().Field(i).Name
			b, ok := v.Field(i).Interface().(key.Binding)
			if !ok {
				t.Fatalf("KeyMap.%s is not a key.Binding: the overlay cannot list it", name)
			}
			if b.Help().Key == "" || b.Help().Desc == "" || len(b.Keys()) == 0 {
				t.Errorf("KeyMap.%s has no keys or no help", name)
			}
			same := func(l key.Binding) bool {
				return slices.Equal(l.Keys(), b.Keys()) && l.Help() == b.Help()
			}
			if !slices.ContainsFunc(listed, same) {
				t.Errorf("KeyMap.%s (%s) is missing from Groups", name, b.Help().Key)
			}
		}
	}
}

// The hints under the screen name the overlay's key in every area.
func TestHintsNameTheHelpKey(t *testing.T) {
	k := Default()
	for _, area := range []string{"compose", "contacts", "conversation", "console"} {
		found := false
		for _, b := range k.Hints(area) {
			if b.Help().Key == "f1" && slices.Contains(b.Keys(), "f1") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no f1 hint", area)
		}
	}
}
