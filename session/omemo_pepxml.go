package session

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"

	"github.com/candor-xmpp/candor/e2ee"
)

// Device lists and bundles as published in PEP (XEP-0384 v0.3 §4 and v0.8
// §5.3), both versions.

// PEP nodes of OMEMO.
const (
	nodeDevicesLegacy = nsOMEMOLegacy + ".devicelist"
	nodeBundlesLegacy = nsOMEMOLegacy + ".bundles:" // + device id
	nodeDevices2      = nsOMEMO2 + ":devices"
	nodeBundles2      = nsOMEMO2 + ":bundles" // item id = device id
)

// deviceListNode is v's device list node.
func deviceListNode(v e2ee.Version) string {
	if v == e2ee.OMEMO2 {
		return nodeDevices2
	}
	return nodeDevicesLegacy
}

// bundleNode and bundleItem say where device's bundle is in v.
func bundleNode(v e2ee.Version, device uint32) string {
	if v == e2ee.OMEMO2 {
		return nodeBundles2
	}
	return nodeBundlesLegacy + strconv.FormatUint(uint64(device), 10)
}

func bundleItem(v e2ee.Version, device uint32) string {
	if v == e2ee.OMEMO2 {
		return strconv.FormatUint(uint64(device), 10)
	}
	return "current" // Conversations' id; others vary, so fetches take any
}

// maxBundlePreKeysB64 bounds the base64 of one bundle key (33 bytes).
const maxBundleKeyB64 = 128

// wireDeviceList is <list/> (legacy) or <devices/> (OMEMO 2).
type wireDeviceList struct {
	XMLName xml.Name
	Devices []struct {
		ID string `xml:"id,attr"`
	} `xml:"device"`
}

// parseDeviceList returns the valid, distinct device ids of a list, in
// order. Entries that are not device ids are dropped (one broken entry
// should not hide the others); a list longer than maxDeviceIDsOut is
// refused.
func parseDeviceList(w *wireDeviceList) ([]uint32, error) {
	if len(w.Devices) > maxDeviceIDsOut {
		return nil, fmt.Errorf("device list of %d devices is over the limit of %d", len(w.Devices), maxDeviceIDsOut)
	}
	ids := make([]uint32, 0, len(w.Devices))
	for _, d := range w.Devices {
		id, err := parseDeviceID(d.ID)
		if err != nil || slices.Contains(ids, id) {
			continue
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// deviceListElement is our device list for v, to publish.
func deviceListElement(v e2ee.Version, ids []uint32) any {
	type device struct {
		ID uint32 `xml:"id,attr"`
	}
	devs := make([]device, len(ids))
	for i, id := range ids {
		devs[i] = device{id}
	}
	if v == e2ee.OMEMO2 {
		return struct {
			XMLName xml.Name `xml:"urn:xmpp:omemo:2 devices"`
			Devices []device `xml:"device"`
		}{Devices: devs}
	}
	return struct {
		XMLName xml.Name `xml:"eu.siacs.conversations.axolotl list"`
		Devices []device `xml:"device"`
	}{Devices: devs}
}

// wireLegacyBundle is a legacy <bundle/>.
type wireLegacyBundle struct {
	SignedPreKey struct {
		ID   string `xml:"signedPreKeyId,attr"`
		Data string `xml:",chardata"`
	} `xml:"signedPreKeyPublic"`
	Signature   string `xml:"signedPreKeySignature"`
	IdentityKey string `xml:"identityKey"`
	PreKeys     struct {
		Keys []struct {
			ID   string `xml:"preKeyId,attr"`
			Data string `xml:",chardata"`
		} `xml:"preKeyPublic"`
	} `xml:"prekeys"`
}

// wireBundle2 is an OMEMO 2 <bundle/>.
type wireBundle2 struct {
	SPK struct {
		ID   string `xml:"id,attr"`
		Data string `xml:",chardata"`
	} `xml:"spk"`
	Signature   string `xml:"spks"`
	IdentityKey string `xml:"ik"`
	PreKeys     struct {
		Keys []struct {
			ID   string `xml:"id,attr"`
			Data string `xml:",chardata"`
		} `xml:"pk"`
	} `xml:"prekeys"`
}

// bundleFields is what both layouts have in common, to check once.
type bundleFields struct {
	spkID, spk, sig, ik string
	preKeys             [][2]string // id, key
}

func (w *wireLegacyBundle) fields() bundleFields {
	f := bundleFields{spkID: w.SignedPreKey.ID, spk: w.SignedPreKey.Data, sig: w.Signature, ik: w.IdentityKey}
	for _, k := range w.PreKeys.Keys {
		f.preKeys = append(f.preKeys, [2]string{k.ID, k.Data})
	}
	return f
}

func (w *wireBundle2) fields() bundleFields {
	f := bundleFields{spkID: w.SPK.ID, spk: w.SPK.Data, sig: w.Signature, ik: w.IdentityKey}
	for _, k := range w.PreKeys.Keys {
		f.preKeys = append(f.preKeys, [2]string{k.ID, k.Data})
	}
	return f
}

// parseBundle decodes a bundle's fields; e2ee.ProcessBundle checks the key
// sizes and the signature. Prekeys with a broken id or key are dropped
// (the others still work); id 0 is accepted, as Converse.js publishes it.
func parseBundle(f bundleFields) (*e2ee.Bundle, error) {
	if len(f.preKeys) > e2ee.MaxBundlePreKeys {
		return nil, fmt.Errorf("bundle has %d prekeys, over the limit of %d", len(f.preKeys), e2ee.MaxBundlePreKeys)
	}
	spkID, err := strconv.ParseUint(f.spkID, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("bundle signed prekey id %q is not a number", f.spkID)
	}
	b := &e2ee.Bundle{SignedPreKeyID: uint32(spkID)}
	if b.SignedPreKey, err = decodeB64(f.spk, maxBundleKeyB64); err != nil || b.SignedPreKey == nil {
		return nil, fmt.Errorf("bundle signed prekey is missing or not base64")
	}
	if b.SignedPreKeySignature, err = decodeB64(f.sig, maxBundleKeyB64); err != nil || b.SignedPreKeySignature == nil {
		return nil, fmt.Errorf("bundle signature is missing or not base64")
	}
	if b.IdentityKey, err = decodeB64(f.ik, maxBundleKeyB64); err != nil || b.IdentityKey == nil {
		return nil, fmt.Errorf("bundle identity key is missing or not base64")
	}
	for _, pk := range f.preKeys {
		id, err := strconv.ParseUint(pk[0], 10, 32)
		if err != nil {
			continue
		}
		key, err := decodeB64(pk[1], maxBundleKeyB64)
		if err != nil || key == nil {
			continue
		}
		b.PreKeys = append(b.PreKeys, e2ee.PreKey{ID: uint32(id), Key: key})
	}
	if len(b.PreKeys) == 0 {
		return nil, fmt.Errorf("bundle has no usable one-time prekey")
	}
	return b, nil
}

// bundleElement is our bundle for v, to publish.
func bundleElement(v e2ee.Version, b *e2ee.Bundle) any {
	if v == e2ee.OMEMO2 {
		type pk struct {
			ID   uint32 `xml:"id,attr"`
			Data string `xml:",chardata"`
		}
		out := struct {
			XMLName xml.Name `xml:"urn:xmpp:omemo:2 bundle"`
			SPK     pk       `xml:"spk"`
			SPKS    string   `xml:"spks"`
			IK      string   `xml:"ik"`
			PreKeys []pk     `xml:"prekeys>pk"`
		}{SPK: pk{b.SignedPreKeyID, b64(b.SignedPreKey)}, SPKS: b64(b.SignedPreKeySignature), IK: b64(b.IdentityKey)}
		for _, k := range b.PreKeys {
			out.PreKeys = append(out.PreKeys, pk{k.ID, b64(k.Key)})
		}
		return out
	}
	type spk struct {
		ID   uint32 `xml:"signedPreKeyId,attr"`
		Data string `xml:",chardata"`
	}
	type pk struct {
		ID   uint32 `xml:"preKeyId,attr"`
		Data string `xml:",chardata"`
	}
	out := struct {
		XMLName xml.Name `xml:"eu.siacs.conversations.axolotl bundle"`
		SPK     spk      `xml:"signedPreKeyPublic"`
		SPKS    string   `xml:"signedPreKeySignature"`
		IK      string   `xml:"identityKey"`
		PreKeys []pk     `xml:"prekeys>preKeyPublic"`
	}{SPK: spk{b.SignedPreKeyID, b64(b.SignedPreKey)}, SPKS: b64(b.SignedPreKeySignature), IK: b64(b.IdentityKey)}
	for _, k := range b.PreKeys {
		out.PreKeys = append(out.PreKeys, pk{k.ID, b64(k.Key)})
	}
	return out
}

// wirePEPItem is a pubsub <item/> with any OMEMO payload it may carry.
type wirePEPItem struct {
	ID           string            `xml:"id,attr"`
	LegacyList   *wireDeviceList   `xml:"eu.siacs.conversations.axolotl list"`
	Devices      *wireDeviceList   `xml:"urn:xmpp:omemo:2 devices"`
	LegacyBundle *wireLegacyBundle `xml:"eu.siacs.conversations.axolotl bundle"`
	Bundle       *wireBundle2      `xml:"urn:xmpp:omemo:2 bundle"`
}

// wirePEPItems is <items/> in a pubsub result or event.
type wirePEPItems struct {
	Node  string        `xml:"node,attr"`
	Items []wirePEPItem `xml:"item"`
}

// wirePEPEvent is the <event/> of a PEP notification (XEP-0163).
type wirePEPEvent struct {
	Items *wirePEPItems `xml:"items"`
}

// wirePubsubResult is the <pubsub/> of an items result.
type wirePubsubResult struct {
	XMLName xml.Name     `xml:"http://jabber.org/protocol/pubsub pubsub"`
	Items   wirePEPItems `xml:"items"`
}

// deviceListOf reads the device list of version v from an item.
func (it *wirePEPItem) deviceListOf(v e2ee.Version) (*wireDeviceList, bool) {
	if v == e2ee.OMEMO2 {
		return it.Devices, it.Devices != nil
	}
	return it.LegacyList, it.LegacyList != nil
}

// bundleOf reads the bundle of version v from an item.
func (it *wirePEPItem) bundleOf(v e2ee.Version) (*e2ee.Bundle, error) {
	switch {
	case v == e2ee.OMEMO2 && it.Bundle != nil:
		return parseBundle(it.Bundle.fields())
	case v == e2ee.Legacy && it.LegacyBundle != nil:
		return parseBundle(it.LegacyBundle.fields())
	}
	return nil, fmt.Errorf("item %q holds no %v bundle", it.ID, v)
}
