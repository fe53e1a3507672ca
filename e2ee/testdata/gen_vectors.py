#!/usr/bin/python3
"""Generates Candor's OMEMO test vectors from python-omemo (Debian's python3-omemo 1.0 with the oldmemo and
twomemo backends), with seeded randomness, into vectors/.

    /usr/bin/python3 e2ee/testdata/gen_vectors.py [output directory]

Each vector is a file in the manner of filippo.io/age's CCTV vectors: header lines ("expect: ..."), a blank
line, then JSON lines. python-omemo runs in this process through Candor's test peer
(internal/pyomemo/peer.py), whose "seed" replaces every random draw with SHA-256 in counter mode and logs it
with the name of the python function that drew it. The vectors keep both parties' private keys and every
draw, so that the Go side can replay each party and must produce byte-identical messages.

Runs are deterministic: running the generator again gives the same files.
"""

import asyncio
import base64
import copy
import json
import os
import sys

# python-omemo numbers prekeys while iterating a set of byte strings, whose order depends on the hash seed.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "internal", "pyomemo"))
import peer  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "vectors")
LOOP = asyncio.new_event_loop()
GENERATOR = "e2ee/testdata/gen_vectors.py (python3-omemo 1.0.2, python3-oldmemo 1.0.3, python3-twomemo 1.0.3)"
SHORT = {peer.LEGACY: "legacy", peer.OMEMO2: "omemo2"}


def call(op, **kw):
    kw["op"] = op
    r = LOOP.run_until_complete(peer.handle(kw))
    if not r["ok"]:
        raise RuntimeError(f"{op}: {r['error']}: {r['message']}\n{r['trace']}")
    return r["result"]


def try_call(op, **kw):
    kw["op"] = op
    return LOOP.run_until_complete(peer.handle(kw))


def draws():
    return call("draws")["draws"]


def party(jid, ns):
    """A python account's public and private keys for one namespace."""
    acct = call("create", jid=jid)
    s = call("secrets", jid=jid)
    nss = s["namespaces"][ns]
    return {"jid": jid, "device_id": acct["device_id"], "identity_seed": s["identity_seed"],
            "ed25519": base64.b64decode(acct["identity_key"]).hex(),
            "spk_id": nss["spk_id"], "spk_priv": nss["spk_priv"], "prekeys": nss["prekeys"],
            "bundle": call("bundle", jid=jid, namespace=ns)}


def prekey_id(ns, data):
    """The one-time prekey id a key exchange names."""
    raw = base64.b64decode(data)
    if ns == peer.LEGACY:
        from oldmemo.oldmemo_pb2 import OMEMOKeyExchange
        return OMEMOKeyExchange.FromString(raw[1:]).pk_id
    from twomemo.twomemo_pb2 import OMEMOKeyExchange
    return OMEMOKeyExchange.FromString(raw).pk_id


def trim(p, keep_ids):
    """Keeps the vectors small: only the prekeys a vector uses."""
    p = copy.deepcopy(p)
    p["prekeys"] = [k for k in p["prekeys"] if k["id"] in keep_ids]
    p["bundle"]["prekeys"] = [k for k in p["bundle"]["prekeys"] if k["id"] in keep_ids]
    return p


def initiator(p):
    """The initiator's prekeys are never used."""
    p = copy.deepcopy(p)
    for k in ("prekeys", "bundle", "spk_id", "spk_priv"):
        del p[k]
    return p


def write(name, header, lines):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        for k, v in header:
            f.write(f"{k}: {v}\n")
        f.write("\n")
        for line in lines:
            f.write(json.dumps(line, sort_keys=True) + "\n")
    print("wrote", path)


def conversation(ns):
    """A python-omemo conversation between two python accounts, as a transcript of steps."""
    short = SHORT[ns]
    call("seed", seed=f"candor vectors {short} conversation")
    alice = party(f"alice-{short}@example.org", ns)
    bob = party(f"bob-{short}@example.org", ns)
    draws()
    steps = []
    messages = []

    def send(frm, to, text):
        m = call("encrypt", jid=frm["jid"], namespace=ns, to=[to["jid"]], plaintext=base64.b64encode(text.encode()).decode())
        steps.append({"step": "send", "from": who(frm), "text": text, "index": len(messages),
                      "message": m, "draws": draws()})
        messages.append(m)

    def receive(by, index, text):
        pt = call("decrypt", jid=by["jid"], message=messages[index])["plaintext"]
        got = None if pt is None else base64.b64decode(pt).decode()
        assert got == text, (got, text)
        out = call("outbox", jid=by["jid"])["messages"]
        assert len(out) <= 1
        reply = None
        if out:
            reply = out[0]["message"]
            messages.append(reply)
        steps.append({"step": "receive", "by": who(by), "index": index, "text": text,
                      "reply_index": None if reply is None else len(messages) - 1, "reply": reply,
                      "draws": draws()})

    def who(p):
        return "alice" if p is alice else "bob"

    send(alice, bob, "Hello Bob, this is Alice on python-omemo.")        # 0: key exchange
    receive(bob, 0, "Hello Bob, this is Alice on python-omemo.")         # reply 1: session completion
    receive(alice, 1, None)
    send(alice, bob, "a")                                                # 2: one byte
    receive(bob, 2, "a")
    send(bob, alice, "Hi Alice! ünïcödé ✓")                              # 3
    send(bob, alice, "two in a row")                                     # 4
    receive(alice, 4, "two in a row")
    receive(alice, 3, "Hi Alice! ünïcödé ✓")
    for i in range(3):
        send(alice, bob, f"burst {i}")                                   # 5, 6, 7
    receive(bob, 7, "burst 2")
    receive(bob, 5, "burst 0")
    send(bob, alice, "x" * 1000)                                         # 8
    receive(alice, 8, "x" * 1000)
    receive(bob, 6, "burst 1")
    send(alice, bob, "last")                                             # 9
    receive(bob, 9, "last")

    write(f"{short}-conversation.txt", [
        ("expect", "success"),
        ("version", short),
        ("description", "python-omemo conversation: Alice initiates, Bob completes the session, "
                        "ratchet steps both ways, out-of-order delivery; replay both parties"),
        ("generator", GENERATOR),
    ], [{"alice": initiator(alice), "bob": trim(bob, {prekey_id(ns, messages[0]["keys"][0]["data"])})}] + steps)


def tamper_b64(s, fn):
    b = bytearray(base64.b64decode(s))
    fn(b)
    return base64.b64encode(bytes(b)).decode()


def message_failures(ns):
    """One first message (a key exchange) from a fresh python Alice, tampered in several ways. Each is
    tried on a fresh python Bob too, and the vector records python's verdict."""
    short = SHORT[ns]
    cases = []

    def flip_last(b):
        b[-1] ^= 0x01

    def truncate(b):
        del b[len(b) // 2:]

    for name, expect, mutate in [
        ("genuine", "success", None),
        ("key-mac", "authentication failure", ("mac", None)),
        ("key-truncated", "malformed", ("key", truncate)),
        ("payload", "authentication failure", ("payload", flip_last)),
        ("unknown-prekey", "unknown prekey", ("prekey_id", None)),
        ("not-key-exchange", "no session", ("kex", None)),
    ]:
        call("seed", seed=f"candor vectors {short} failure {name}")
        alice = party(f"alice-{short}-{name}@example.org", ns)
        bob = party(f"bob-{short}-{name}@example.org", ns)
        m = call("encrypt", jid=alice["jid"], namespace=ns, to=[bob["jid"]], plaintext=base64.b64encode(b"secret").decode())
        m = copy.deepcopy(m)
        k = m["keys"][0]
        used = prekey_id(ns, k["data"])
        if mutate is not None:
            what, fn = mutate
            if what == "key":
                k["data"] = tamper_b64(k["data"], fn)
            elif what == "payload":
                m["payload"] = tamper_b64(m["payload"], fn)
            elif what == "mac":
                k["data"] = flip_inner_mac(ns, k["data"])
            elif what == "kex":
                k["kex"] = False
                k["data"] = strip_key_exchange(ns, k["data"])
            elif what == "prekey_id":
                k["data"] = set_prekey_id(ns, k["data"], 0x7ffffff0)
        r = try_call("decrypt", jid=bob["jid"], message=m)
        verdict = "ok" if r["ok"] else r["error"]
        assert (verdict == "ok") == (expect == "success"), (name, verdict)
        draws()
        write(f"{short}-message-{name}.txt", [
            ("expect", expect),
            ("version", short),
            ("description", f"first message from Alice to Bob, {name}; Bob decrypts"),
            ("python", verdict),
            ("generator", GENERATOR),
        ], [{"alice": initiator(alice), "bob": trim(bob, {used})}, {"message": m, "text": "secret"}])


def strip_key_exchange(ns, data):
    """The ratchet message inside a key exchange, as if sent without one."""
    raw = base64.b64decode(data)
    if ns == peer.LEGACY:
        from oldmemo.oldmemo_pb2 import OMEMOKeyExchange
        return base64.b64encode(OMEMOKeyExchange.FromString(raw[1:]).message).decode()
    from twomemo.twomemo_pb2 import OMEMOKeyExchange
    return base64.b64encode(OMEMOKeyExchange.FromString(raw).message.SerializeToString()).decode()


def flip_inner_mac(ns, data):
    """Flips a bit of the MAC of the ratchet message inside a key exchange."""
    raw = base64.b64decode(data)
    if ns == peer.LEGACY:
        from oldmemo.oldmemo_pb2 import OMEMOKeyExchange
        kx = OMEMOKeyExchange.FromString(raw[1:])
        inner = bytearray(kx.message)
        inner[-1] ^= 1  # SignalMessage ends with its 8-byte MAC
        kx.message = bytes(inner)
        return base64.b64encode(b"\x33" + kx.SerializeToString()).decode()
    from twomemo.twomemo_pb2 import OMEMOKeyExchange
    kx = OMEMOKeyExchange.FromString(raw)
    mac = bytearray(kx.message.mac)
    mac[-1] ^= 1
    kx.message.mac = bytes(mac)
    return base64.b64encode(kx.SerializeToString()).decode()


def set_prekey_id(ns, data, pk_id):
    raw = base64.b64decode(data)
    if ns == peer.LEGACY:
        from oldmemo.oldmemo_pb2 import OMEMOKeyExchange
        kx = OMEMOKeyExchange.FromString(raw[1:])
        kx.pk_id = pk_id
        return base64.b64encode(b"\x33" + kx.SerializeToString()).decode()
    from twomemo.twomemo_pb2 import OMEMOKeyExchange
    kx = OMEMOKeyExchange.FromString(raw)
    kx.pk_id = pk_id
    return base64.b64encode(kx.SerializeToString()).decode()


def bundles(ns):
    """python-omemo bundles, genuine and broken. Legacy bundles carry the Ed25519 sign bit of the identity
    in the signature's last byte; both values of that bit must occur."""
    short = SHORT[ns]
    sign_bits = set()
    lines = []
    call("seed", seed=f"candor vectors {short} bundles")
    for i in range(8):
        p = party(f"bundle-{short}-{i}@example.org", ns)
        b = p["bundle"]
        if ns == peer.LEGACY:
            sign_bits.add(base64.b64decode(b["spks"])[63] >> 7)
        b["prekeys"] = b["prekeys"][:3]
        lines.append({"expect": "success", "bundle": b, "ed25519": p["ed25519"]})
    if ns == peer.LEGACY:
        assert sign_bits == {0, 1}, sign_bits
        lines += xeddsa_bundles()
    good = lines[0]["bundle"]

    def variant(expect, why, **changes):
        b = copy.deepcopy(good)
        b.update(changes)
        lines.append({"expect": expect, "why": why, "bundle": b})

    sig = bytearray(base64.b64decode(good["spks"]))
    sig[10] ^= 1
    variant("bad signature", "a signature bit flipped", spks=base64.b64encode(bytes(sig)).decode())
    spk = bytearray(base64.b64decode(good["spk"]))
    spk[-1] ^= 1
    variant("bad signature", "the signed prekey changed", spk=base64.b64encode(bytes(spk)).decode())
    variant("bad signature", "another identity's signature", spks=lines[1]["bundle"]["spks"])
    low = (b"\x05" if ns == peer.LEGACY else b"") + b"\x01" + b"\x00" * 31
    variant("invalid key", "a low-order one-time prekey", prekeys=[{"id": 1, "key": base64.b64encode(low).decode()}])
    variant("invalid key", "a low-order signed prekey", spk=base64.b64encode(low).decode())
    variant("bad bundle", "no one-time prekeys", prekeys=[])
    write(f"{short}-bundles.txt", [
        ("expect", "per line"),
        ("version", short),
        ("description", "python-omemo bundles (8 genuine ones, then broken variants of the first)"),
        ("generator", GENERATOR),
    ], lines)


def xeddsa_bundles():
    """Legacy bundles as libsignal (Conversations, Dino, Profanity) makes them: a Curve25519-native identity
    signing with XEdDSA, which negates the private key when needed so that the Ed25519 key it signs with has
    the sign bit clear, and leaves sig[63]'s top bit clear. python-xeddsa's priv_force_sign does that
    negation. The identities are drawn so that their Ed25519 form would have the sign bit set, where the
    negation matters."""
    import xeddsa
    out = []
    i = 0
    while len(out) < 4:
        i += 1
        # As python-x3dh does for Curve25519-format identities.
        priv = xeddsa.seed_to_priv(peer.DRBG.bytes(32, "xeddsa_identity"))
        if not (xeddsa.priv_to_ed25519_pub(priv)[31] >> 7):
            continue
        curve = xeddsa.priv_to_curve25519_pub(priv)
        ik = b"\x05" + curve
        spk = b"\x05" + xeddsa.priv_to_curve25519_pub(peer.DRBG.bytes(32, "xeddsa_spk"))
        pk = b"\x05" + xeddsa.priv_to_curve25519_pub(peer.DRBG.bytes(32, "xeddsa_pk"))
        sig = xeddsa.ed25519_priv_sign(xeddsa.priv_force_sign(priv, False), spk, peer.DRBG.bytes(64, "xeddsa_nonce"))
        ed = xeddsa.curve25519_pub_to_ed25519_pub(curve, False)
        assert sig[63] >> 7 == 0 and xeddsa.ed25519_verify(sig, ed, spk)
        out.append({"expect": "success", "why": "XEdDSA signature by a Curve25519-native identity",
                    "ed25519": ed.hex(),
                    "bundle": {"namespace": peer.LEGACY, "jid": f"xeddsa-{len(out)}@example.org", "device_id": 1000 + i,
                               "ik": base64.b64encode(ik).decode(), "spk_id": 1, "spk": base64.b64encode(spk).decode(),
                               "spks": base64.b64encode(sig).decode(),
                               "prekeys": [{"id": 1, "key": base64.b64encode(pk).decode()}]}})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for ns in (peer.LEGACY, peer.OMEMO2):
        conversation(ns)
        message_failures(ns)
        bundles(ns)


if __name__ == "__main__":
    main()
