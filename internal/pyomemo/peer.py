#!/usr/bin/python3
"""A python-omemo peer for Candor's tests, driven by JSON lines.

One request per line on stdin, one response per line on stdout:
    {"id": 1, "op": "create", "jid": "bob@example.org"}
    {"id": 1, "ok": true, "result": {...}}   or   {"id": 1, "ok": false, "error": "DecryptionFailed", "message": "..."}

It hosts any number of python-omemo accounts (omemo 1.0 with the oldmemo and twomemo backends, Debian's
packages) over an in-process fake PEP that the driver can publish into. Bundles and messages cross the
boundary as JSON holding the wire values (base64 of what goes into the XML), and are turned into XML here
and read with python-omemo's own etree parsers, so its parsing and schema checks are part of the test.

python-oldmemo and slixmpp-omemo are AGPL: they run here as an external test peer only; no code of theirs
is copied into Candor. Run with Debian's /usr/bin/python3.
"""

import asyncio
import base64
import hashlib
import json
import logging
import secrets
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from typing import Any, Dict, List, Optional

import omemo
from omemo.storage import Just, Nothing, Storage
from omemo.types import TrustLevel
import oldmemo
import oldmemo.etree
import twomemo
import twomemo.etree
import doubleratchet.recommended.diffie_hellman_ratchet_curve25519 as dhr25519

LEGACY = oldmemo.oldmemo.NAMESPACE
OMEMO2 = twomemo.twomemo.NAMESPACE

logging.basicConfig(stream=sys.stderr, level=logging.ERROR)


def b64(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else base64.b64encode(b).decode("ascii")


def unb64(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else base64.b64decode(s)


# ---------------------------------------------------------------------------------------------------------
# Deterministic randomness: python-omemo draws from secrets.* and (for ratchet keys) from the cryptography
# package's X25519 key generation. "seed" replaces both with SHA-256 in counter mode, and records each draw
# with the function that asked for it, so that vector generators can name them.

class Drbg:
    def __init__(self, seed: str) -> None:
        self.seed = seed.encode()
        self.counter = 0
        self.log: List[Dict[str, Any]] = []

    def bytes(self, n: int, label: str) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        out = out[:n]
        self.log.append({"label": label, "value": out.hex()})
        return out


DRBG: Optional[Drbg] = None


def caller_name(depth: int = 2) -> str:
    return sys._getframe(depth).f_code.co_name


def seed_randomness(seed: str) -> None:
    global DRBG
    DRBG = Drbg(seed)

    def token_bytes(n=32):
        return DRBG.bytes(n, caller_name())

    def randbelow(n):
        return int.from_bytes(DRBG.bytes(8, caller_name()), "big") % n

    def choice(seq):
        # Pick deterministically: frozenset order depends on PYTHONHASHSEED.
        seq = sorted(seq)
        return seq[int.from_bytes(DRBG.bytes(8, caller_name()), "big") % len(seq)]

    secrets.token_bytes = token_bytes
    secrets.randbelow = randbelow
    secrets.choice = choice

    @staticmethod
    def generate_priv() -> bytes:
        return DRBG.bytes(32, "ratchet_priv")

    dhr25519.DiffieHellmanRatchet._generate_priv = generate_priv
    # The signed prekey's timestamp is the wall clock; pin it too.
    time.time = lambda: 1_700_000_000


# ---------------------------------------------------------------------------------------------------------
# Fake PEP and the accounts living on it.

PEP: Dict[str, Dict[str, ET.Element]] = {}   # "jid|node" -> {item id: element}


def pep_items(jid: str, node: str) -> Dict[str, ET.Element]:
    return PEP.setdefault(f"{jid}|{node}", {})


class MemStorage(Storage):
    def __init__(self) -> None:
        super().__init__()
        self.d: Dict[str, Any] = {}

    async def _load(self, key: str):
        return Just(self.d[key]) if key in self.d else Nothing()

    async def _store(self, key: str, value) -> None:
        self.d[key] = value

    async def _delete(self, key: str) -> None:
        self.d.pop(key, None)


class Account:
    def __init__(self, jid: str) -> None:
        self.jid = jid
        self.outbox: List[Dict[str, Any]] = []
        self.sm: Optional[omemo.SessionManager] = None
        self.storage = MemStorage()


ACCOUNTS: Dict[str, Account] = {}


def make_manager_class(acct: Account):
    # python-omemo's XMPP hooks are static methods: the account is captured here.
    class SM(omemo.SessionManager):
        @staticmethod
        async def _upload_bundle(bundle: omemo.Bundle) -> None:
            if bundle.namespace == LEGACY:
                pep_items(acct.jid, f"{LEGACY}.bundles:{bundle.device_id}")["current"] = \
                    oldmemo.etree.serialize_bundle(bundle)
            else:
                pep_items(acct.jid, f"{OMEMO2}:bundles")[str(bundle.device_id)] = \
                    twomemo.etree.serialize_bundle(bundle)

        @staticmethod
        async def _download_bundle(namespace: str, bare_jid: str, device_id: int) -> omemo.Bundle:
            if namespace == LEGACY:
                items = pep_items(bare_jid, f"{LEGACY}.bundles:{device_id}")
                if not items:
                    raise omemo.BundleNotFound()
                return oldmemo.etree.parse_bundle(next(iter(items.values())), bare_jid, device_id)
            items = pep_items(bare_jid, f"{OMEMO2}:bundles")
            if str(device_id) not in items:
                raise omemo.BundleNotFound()
            return twomemo.etree.parse_bundle(items[str(device_id)], bare_jid, device_id)

        @staticmethod
        async def _delete_bundle(namespace: str, device_id: int) -> None:
            pass

        @staticmethod
        async def _upload_device_list(namespace: str, device_list: Dict[int, Optional[str]]) -> None:
            ser = oldmemo.etree.serialize_device_list if namespace == LEGACY else twomemo.etree.serialize_device_list
            pep_items(acct.jid, device_list_node(namespace))["current"] = ser(device_list)

        @staticmethod
        async def _download_device_list(namespace: str, bare_jid: str) -> Dict[int, Optional[str]]:
            item = pep_items(bare_jid, device_list_node(namespace)).get("current")
            if item is None:
                return {}
            par = oldmemo.etree.parse_device_list if namespace == LEGACY else twomemo.etree.parse_device_list
            return par(item)

        async def _evaluate_custom_trust_level(self, device) -> TrustLevel:
            return {"trusted": TrustLevel.TRUSTED, "distrusted": TrustLevel.DISTRUSTED}.get(
                device.trust_level_name, TrustLevel.UNDECIDED)

        async def _make_trust_decision(self, undecided, identifier) -> None:
            # A test peer trusts blindly.
            for d in undecided:
                await self.set_trust(d.bare_jid, d.identity_key, "trusted")

        @staticmethod
        async def _send_message(message: omemo.Message, bare_jid: str) -> None:
            # Empty messages python-omemo sends on its own (session completion, heartbeats).
            acct.outbox.append({"to": bare_jid, "message": message_to_json(message, acct.jid)})

    return SM


def device_list_node(namespace: str) -> str:
    return f"{LEGACY}.devicelist" if namespace == LEGACY else f"{OMEMO2}:devices"


# ---------------------------------------------------------------------------------------------------------
# JSON <-> XML

def message_to_json(message: omemo.Message, own_jid: str) -> Dict[str, Any]:
    ns = message.namespace
    elt = (oldmemo.etree.serialize_message if ns == LEGACY else twomemo.etree.serialize_message)(message)
    q = "{" + ns + "}"
    header = elt.find(q + "header")
    keys = []
    if ns == LEGACY:
        for k in header.findall(q + "key"):
            keys.append({"jid": "", "rid": int(k.get("rid")), "kex": k.get("prekey") is not None,
                         "kex_attr": k.get("prekey"), "data": k.text})
        iv = header.find(q + "iv").text
    else:
        for ks in header.findall(q + "keys"):
            for k in ks.findall(q + "key"):
                keys.append({"jid": ks.get("jid"), "rid": int(k.get("rid")), "kex": k.get("kex") is not None,
                             "kex_attr": k.get("kex"), "data": k.text})
        iv = None
    payload = elt.find(q + "payload")
    return {"namespace": ns, "from": own_jid, "sid": int(header.get("sid")), "keys": keys, "iv": iv,
            "payload": None if payload is None else payload.text}


def message_from_json(m: Dict[str, Any]) -> ET.Element:
    ns = m["namespace"]
    q = "{" + ns + "}"
    elt = ET.Element(q + "encrypted")
    header = ET.SubElement(elt, q + "header", attrib={"sid": str(m["sid"])})
    if ns == LEGACY:
        for k in m["keys"]:
            ke = ET.SubElement(header, q + "key", attrib={"rid": str(k["rid"])})
            if k["kex"]:
                ke.set("prekey", "true")
            ke.text = k["data"]
        ET.SubElement(header, q + "iv").text = m["iv"]
    else:
        by_jid: Dict[str, List[Dict[str, Any]]] = {}
        for k in m["keys"]:
            by_jid.setdefault(k["jid"], []).append(k)
        for jid, ks in by_jid.items():
            kse = ET.SubElement(header, q + "keys", attrib={"jid": jid})
            for k in ks:
                ke = ET.SubElement(kse, q + "key", attrib={"rid": str(k["rid"])})
                if k["kex"]:
                    ke.set("kex", "true")
                ke.text = k["data"]
    if m.get("payload") is not None:
        ET.SubElement(elt, q + "payload").text = m["payload"]
    return elt


def bundle_to_json(elt: ET.Element, ns: str, jid: str, device_id: int) -> Dict[str, Any]:
    q = "{" + ns + "}"
    if ns == LEGACY:
        spk = elt.find(q + "signedPreKeyPublic")
        return {"namespace": ns, "jid": jid, "device_id": device_id,
                "ik": elt.find(q + "identityKey").text, "spk_id": int(spk.get("signedPreKeyId")),
                "spk": spk.text, "spks": elt.find(q + "signedPreKeySignature").text,
                "prekeys": [{"id": int(p.get("preKeyId")), "key": p.text}
                            for p in elt.find(q + "prekeys").findall(q + "preKeyPublic")]}
    spk = elt.find(q + "spk")
    return {"namespace": ns, "jid": jid, "device_id": device_id,
            "ik": elt.find(q + "ik").text, "spk_id": int(spk.get("id")), "spk": spk.text,
            "spks": elt.find(q + "spks").text,
            "prekeys": [{"id": int(p.get("id")), "key": p.text} for p in elt.find(q + "prekeys").findall(q + "pk")]}


def bundle_from_json(b: Dict[str, Any]) -> ET.Element:
    ns = b["namespace"]
    q = "{" + ns + "}"
    elt = ET.Element(q + "bundle")
    if ns == LEGACY:
        ET.SubElement(elt, q + "signedPreKeyPublic", attrib={"signedPreKeyId": str(b["spk_id"])}).text = b["spk"]
        ET.SubElement(elt, q + "signedPreKeySignature").text = b["spks"]
        ET.SubElement(elt, q + "identityKey").text = b["ik"]
        pks = ET.SubElement(elt, q + "prekeys")
        for p in b["prekeys"]:
            ET.SubElement(pks, q + "preKeyPublic", attrib={"preKeyId": str(p["id"])}).text = p["key"]
    else:
        ET.SubElement(elt, q + "spk", attrib={"id": str(b["spk_id"])}).text = b["spk"]
        ET.SubElement(elt, q + "spks").text = b["spks"]
        ET.SubElement(elt, q + "ik").text = b["ik"]
        pks = ET.SubElement(elt, q + "prekeys")
        for p in b["prekeys"]:
            ET.SubElement(pks, q + "pk", attrib={"id": str(p["id"])}).text = p["key"]
    return elt


# ---------------------------------------------------------------------------------------------------------
# Operations

def account(req) -> Account:
    a = ACCOUNTS.get(req["jid"])
    if a is None or a.sm is None:
        raise KeyError(f"no python account {req['jid']}")
    return a


def backend(acct: Account, ns: str):
    for b in acct.sm._SessionManager__backends:
        if b.namespace == ns:
            return b
    raise KeyError(ns)


async def op_seed(req):
    seed_randomness(req["seed"])
    return {}


async def op_create(req):
    acct = Account(req["jid"])
    ACCOUNTS[acct.jid] = acct
    st = acct.storage
    acct.sm = await make_manager_class(acct).create(
        [twomemo.Twomemo(st), oldmemo.Oldmemo(st)], st, acct.jid, None, "undecided",
        pre_key_refill_threshold=req.get("refill_threshold", 99))
    if not req.get("history_sync", False):
        await acct.sm.after_history_sync()
    # PEP notifications between the python accounts.
    for other in ACCOUNTS.values():
        if other is not acct and other.sm is not None:
            for ns in (LEGACY, OMEMO2):
                await other.sm.refresh_device_list(ns, acct.jid)
                await acct.sm.refresh_device_list(ns, other.jid)
    own, _ = await acct.sm.get_own_device_information()
    return {"device_id": own.device_id, "identity_key": b64(own.identity_key)}


async def op_history_sync(req):
    acct = account(req)
    if req["active"]:
        acct.sm.before_history_sync()
    else:
        await acct.sm.after_history_sync()
    return {}


async def op_bundle(req):
    acct = account(req)
    ns = req["namespace"]
    own, _ = await acct.sm.get_own_device_information()
    if ns == LEGACY:
        elt = next(iter(pep_items(acct.jid, f"{LEGACY}.bundles:{own.device_id}").values()))
    else:
        elt = pep_items(acct.jid, f"{OMEMO2}:bundles")[str(own.device_id)]
    return bundle_to_json(elt, ns, acct.jid, own.device_id)


async def op_publish_bundle(req):
    b = req["bundle"]
    elt = bundle_from_json(b)
    if b["namespace"] == LEGACY:
        pep_items(b["jid"], f"{LEGACY}.bundles:{b['device_id']}")["current"] = elt
    else:
        pep_items(b["jid"], f"{OMEMO2}:bundles")[str(b["device_id"])] = elt
    return {}


async def op_publish_device_list(req):
    ns, jid = req["namespace"], req["jid"]
    ser = oldmemo.etree.serialize_device_list if ns == LEGACY else twomemo.etree.serialize_device_list
    pep_items(jid, device_list_node(ns))["current"] = ser({int(i): None for i in req["device_ids"]})
    # PEP notification to every python account.
    for acct in ACCOUNTS.values():
        if acct.sm is not None and acct.jid != jid:
            await acct.sm.update_device_list(ns, jid, {int(i): None for i in req["device_ids"]})
    return {}


async def op_encrypt(req):
    acct = account(req)
    ns = req["namespace"]
    msgs, errs = await acct.sm.encrypt(frozenset(req["to"]), {ns: unb64(req["plaintext"])}, [ns])
    if errs:
        raise RuntimeError(f"encryption errors: {errs}")
    (msg, plain_key_material), = msgs.items()
    out = message_to_json(msg, acct.jid)
    out["key_material"] = b64(plain_key_material.key + plain_key_material.auth_tag)
    return out


async def op_encrypt_burst(req):
    """Many messages to one device in a row, the way SessionManager.encrypt makes each of them, but with the
    session stored once at the end: encrypting a thousand messages one by one through the SessionManager
    takes seconds."""
    acct = account(req)
    ns = req["namespace"]
    be = backend(acct, ns)
    session = await be.load_session(req["to"], req["device_id"])
    if session is None:
        raise omemo.NoSession("no session")
    own, _ = await acct.sm.get_own_device_information()
    out = []
    for i in range(req["count"]):
        content, pkm = await be.encrypt_plaintext(f"{req['text']} {i}".encode())
        ekm = await be.encrypt_key_material(session, pkm)
        kex = session.key_exchange if session.initiation is omemo.session.Initiation.ACTIVE and not session.confirmed else None
        msg = omemo.Message(ns, acct.jid, own.device_id, content, frozenset({(ekm, kex)}))
        out.append(message_to_json(msg, acct.jid))
    await be.store_session(session)
    return {"messages": out}


async def op_encrypt_empty(req):
    """An empty message to one device, made the way python-omemo makes its own."""
    acct = account(req)
    ns = req["namespace"]
    be = backend(acct, ns)
    session = await be.load_session(req["to"], req["device_id"])
    await acct.sm._SessionManager__send_empty_message(be, session)
    return acct.outbox.pop()


async def op_decrypt(req):
    acct = account(req)
    m = req["message"]
    elt = message_from_json(m)
    if m["namespace"] == LEGACY:
        parsed = await oldmemo.etree.parse_message(elt, m["from"], acct.jid, acct.sm)
    else:
        parsed = twomemo.etree.parse_message(elt, m["from"])
    plaintext, device, _ = await acct.sm.decrypt(parsed)
    return {"plaintext": b64(plaintext), "device_id": device.device_id}


async def op_bench_roundtrip(req):
    """Times n messages from one python account to another: SessionManager.encrypt, then decrypt, with no
    XML in between (the Message object goes straight across), so that the work compares with Candor's
    Manager.Encrypt and Manager.Decrypt. Needs a confirmed session."""
    a, b = ACCOUNTS[req["from"]], ACCOUNTS[req["to"]]
    ns = req["namespace"]
    plaintext = b"x" * req.get("size", 100)
    start = time.perf_counter()
    for _ in range(req["n"]):
        msgs, errs = await a.sm.encrypt(frozenset({b.jid}), {ns: plaintext}, [ns])
        (msg, _), = msgs.items()
        pt, _, _ = await b.sm.decrypt(msg)
        assert pt == plaintext
    return {"seconds": time.perf_counter() - start}


async def op_outbox(req):
    acct = account(req)
    out, acct.outbox = acct.outbox, []
    return {"messages": out}


async def op_secrets(req):
    """The account's private keys, for test vectors."""
    acct = account(req)
    out: Dict[str, Any] = {"identity_seed": None, "namespaces": {}}
    for ns in (LEGACY, OMEMO2):
        be = backend(acct, ns)
        name = "_Oldmemo__get_state" if ns == LEGACY else "_Twomemo__get_state"
        state = await getattr(be, name)()
        model = state.model
        out["identity_seed"] = model.identity_key.secret.hex()
        spk_ids = await getattr(be, name.replace("get_state", "get_signed_pre_key_ids"))()
        pk_ids = await getattr(be, name.replace("get_state", "get_pre_key_ids"))()
        bundle = state.bundle
        pks = []
        import xeddsa
        for priv in model.pre_keys:
            pub = xeddsa.priv_to_curve25519_pub(priv)
            pks.append({"id": pk_ids[pub], "priv": priv.hex()})
        out["namespaces"][ns] = {
            "spk_id": spk_ids[bundle.signed_pre_key], "spk_priv": model.signed_pre_key.priv.hex(),
            "prekeys": sorted(pks, key=lambda p: p["id"])}
    return out


async def op_draws(req):
    """The randomness drawn since the last call, with who drew it."""
    if DRBG is None:
        return {"draws": []}
    out, DRBG.log = DRBG.log, []
    return {"draws": out}


OPS = {"seed": op_seed, "create": op_create, "history_sync": op_history_sync, "bundle": op_bundle,
       "publish_bundle": op_publish_bundle, "publish_device_list": op_publish_device_list,
       "encrypt": op_encrypt, "encrypt_burst": op_encrypt_burst, "encrypt_empty": op_encrypt_empty, "decrypt": op_decrypt,
       "outbox": op_outbox, "bench_roundtrip": op_bench_roundtrip, "secrets": op_secrets, "draws": op_draws}


async def handle(req):
    try:
        result = await OPS[req["op"]](req)
        return {"id": req.get("id"), "ok": True, "result": result}
    except Exception as e:  # reported to the driver, which maps class names to assertions
        return {"id": req.get("id"), "ok": False, "error": type(e).__name__, "message": str(e),
                "trace": traceback.format_exc(limit=4)}


def main() -> None:
    loop = asyncio.new_event_loop()
    for line in sys.stdin:
        if not line.strip():
            continue
        resp = loop.run_until_complete(handle(json.loads(line)))
        sys.stdout.write(json.dumps(resp) + "\n")
        sys.stdout.flush()
    # python-omemo's signed prekey rotation runs as a background task per account.
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    loop.close()


if __name__ == "__main__":
    main()
