package e2ee_test

import (
	"testing"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/e2ee/e2eetest"
)

func TestMemoryStoreConformance(t *testing.T) {
	e2eetest.TestStore(t, func(*testing.T) e2ee.Store { return e2ee.NewMemoryStore() })
}
