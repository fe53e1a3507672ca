"""An OMEMO test peer that is not Candor: slixmpp (Debian's python3-slixmpp) with python-omemo 1.0
(python3-omemo with the oldmemo and twomemo backends), over a real XMPP server.

Driven over stdin/stdout with JSON lines, like internal/xmpppeer. Every command carries "seq" and is answered
by {"event": "done", "seq": N, ...} or {"event": "done", "seq": N, "error": "..."}. What the peer receives is
reported as events:

  {"event": "connected", "jid": full, "device_id": N, "fingerprint": "8 groups"}
  {"event": "message", "from", "body", "namespace", "device_id", "carbon", "archive"}   decrypted
  {"event": "plain", "from", "body"}                                           an unencrypted message
  {"event": "decrypt_error", "from", "namespace", "error"}
  {"event": "devices", "jid", "namespace", "ids"}                              a device list notification
  {"event": "error", "text"}

The wiring to PEP is written here (slixmpp-omemo is AGPL and not in Debian): device lists and bundles are
published with publish-options access_model=open, read with get_items, and device list notifications arrive
through +notify in our caps. OMEMO 2 messages carry an SCE envelope (XEP-0420) built and read here.

python-oldmemo is AGPL: it runs here as an external test peer only, as Candor's tests use it; no code of it is
copied into Candor. Run with /usr/bin/python3: only Debian's python sees these packages.
"""

import asyncio
import base64
import json
import logging
import os
import secrets
import sys
import traceback
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from jsonlines import emit, serve

import slixmpp
from slixmpp.exceptions import IqError
from slixmpp.plugins.xep_0004 import Form
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

import omemo
from omemo.storage import Just, Nothing, Storage
from omemo.types import TrustLevel
import oldmemo
import oldmemo.etree
import twomemo
import twomemo.etree

LEGACY = oldmemo.oldmemo.NAMESPACE
OMEMO2 = twomemo.twomemo.NAMESPACE
NS_CLIENT = "jabber:client"
NS_SCE = "urn:xmpp:sce:1"
NS_CARBONS = "urn:xmpp:carbons:2"
NS_FORWARD = "urn:xmpp:forward:0"
NS_MAM = "urn:xmpp:mam:2"
NS_SID = "urn:xmpp:sid:0"
NS_EME = "urn:xmpp:eme:0"
NS_HINTS = "urn:xmpp:hints"

logging.basicConfig(stream=sys.stderr, level=logging.ERROR)


def list_node(ns):
    return LEGACY + ".devicelist" if ns == LEGACY else OMEMO2 + ":devices"


class FileStorage(Storage):
    """python-omemo's state as JSON in a file (or memory), so a peer can go offline and come back as the
    same device."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.d = {}
        if path and os.path.exists(path):
            with open(path) as f:
                self.d = json.load(f)

    def save(self):
        if self.path:
            with open(self.path + ".tmp", "w") as f:
                json.dump(self.d, f)
            os.replace(self.path + ".tmp", self.path)

    async def _load(self, key):
        return Just(self.d[key]) if key in self.d else Nothing()

    async def _store(self, key, value):
        self.d[key] = value
        self.save()

    async def _delete(self, key):
        self.d.pop(key, None)
        self.save()


def options_form(**fields):
    form = Form()
    form["type"] = "submit"
    form.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/pubsub#publish-options")
    for k, v in fields.items():
        form.add_field(var="pubsub#" + k, value=v)
    return form


def make_manager_class(peer):
    """python-omemo's XMPP hooks are static methods: the peer is captured here."""

    async def publish(node, item_id, payload, **opts):
        try:
            await peer["xep_0060"].publish(peer.boundjid.bare, node, id=item_id, payload=payload,
                                           options=options_form(**opts), timeout=20)
        except IqError as e:
            if e.condition != "conflict":
                raise
            # precondition-not-met: configure the node, then publish again.
            cfg = Form()
            cfg["type"] = "submit"
            cfg.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/pubsub#node_config")
            for k, v in opts.items():
                cfg.add_field(var="pubsub#" + k, value=v)
            await peer["xep_0060"].set_node_config(peer.boundjid.bare, node, cfg, timeout=20)
            await peer["xep_0060"].publish(peer.boundjid.bare, node, id=item_id, payload=payload,
                                           options=options_form(**opts), timeout=20)

    async def fetch(jid, node, item_id=None):
        try:
            if item_id is None:
                iq = await peer["xep_0060"].get_items(jid, node, max_items=1, timeout=20)
            else:
                iq = await peer["xep_0060"].get_item(jid, node, item_id, timeout=20)
        except IqError as e:
            if e.condition == "item-not-found":
                return None
            raise
        for item in iq["pubsub"]["items"]:
            return item.xml[0] if len(item.xml) else None
        return None

    class SM(omemo.SessionManager):
        @staticmethod
        async def _upload_bundle(bundle):
            if bundle.namespace == LEGACY:
                await publish(f"{LEGACY}.bundles:{bundle.device_id}", "current",
                              oldmemo.etree.serialize_bundle(bundle), access_model="open")
            else:
                await publish(f"{OMEMO2}:bundles", str(bundle.device_id),
                              twomemo.etree.serialize_bundle(bundle), access_model="open", max_items="max")

        @staticmethod
        async def _download_bundle(namespace, bare_jid, device_id):
            if namespace == LEGACY:
                elt = await fetch(bare_jid, f"{LEGACY}.bundles:{device_id}")
                if elt is None:
                    raise omemo.BundleNotFound()
                return oldmemo.etree.parse_bundle(elt, bare_jid, device_id)
            elt = await fetch(bare_jid, f"{OMEMO2}:bundles", str(device_id))
            if elt is None:
                raise omemo.BundleNotFound()
            return twomemo.etree.parse_bundle(elt, bare_jid, device_id)

        @staticmethod
        async def _delete_bundle(namespace, device_id):
            pass

        @staticmethod
        async def _upload_device_list(namespace, device_list):
            if peer.hide_list:
                return
            ser = oldmemo.etree.serialize_device_list if namespace == LEGACY else twomemo.etree.serialize_device_list
            await publish(list_node(namespace), "current", ser(device_list), access_model="open")

        @staticmethod
        async def _download_device_list(namespace, bare_jid):
            elt = await fetch(bare_jid, list_node(namespace))
            if elt is None:
                return {}
            par = oldmemo.etree.parse_device_list if namespace == LEGACY else twomemo.etree.parse_device_list
            return par(elt)

        async def _evaluate_custom_trust_level(self, device):
            return {"trusted": TrustLevel.TRUSTED, "distrusted": TrustLevel.DISTRUSTED}.get(
                device.trust_level_name, TrustLevel.UNDECIDED)

        async def _make_trust_decision(self, undecided, identifier):
            # A test peer trusts blindly.
            for d in undecided:
                await self.set_trust(d.bare_jid, d.identity_key, "trusted")

        @staticmethod
        async def _send_message(message, bare_jid):
            # Empty messages python-omemo sends on its own: session completion, heartbeats.
            peer.send_omemo(bare_jid, message, None)

    return SM


def envelope(body, sender, recipient):
    """An SCE envelope (XEP-0420) with the OMEMO profile's affixes."""
    env = ET.Element("{%s}envelope" % NS_SCE)
    content = ET.SubElement(env, "{%s}content" % NS_SCE)
    ET.SubElement(content, "{%s}body" % NS_CLIENT).text = body
    ET.SubElement(env, "{%s}rpad" % NS_SCE).text = secrets.token_urlsafe(secrets.randbelow(40) + 1)
    ET.SubElement(env, "{%s}time" % NS_SCE, {"stamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
    ET.SubElement(env, "{%s}to" % NS_SCE, {"jid": recipient})
    ET.SubElement(env, "{%s}from" % NS_SCE, {"jid": sender})
    return ET.tostring(env)


def open_envelope(raw, sender, recipient):
    env = ET.fromstring(raw)
    if env.tag != "{%s}envelope" % NS_SCE:
        raise ValueError("not an SCE envelope: " + env.tag)
    frm = env.find("{%s}from" % NS_SCE)
    to = env.find("{%s}to" % NS_SCE)
    if frm is None or frm.get("jid") != sender:
        raise ValueError("envelope from %r, stanza from %r" % (None if frm is None else frm.get("jid"), sender))
    if to is not None and to.get("jid") != recipient:
        raise ValueError("envelope to %r, stanza to %r" % (to.get("jid"), recipient))
    if env.find("{%s}rpad" % NS_SCE) is None:
        raise ValueError("envelope without rpad")
    body = env.find("{%s}content/{%s}body" % (NS_SCE, NS_CLIENT))
    return None if body is None else (body.text or "")


class Peer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, namespaces, storage_path):
        super().__init__(jid, password)
        self.namespaces = namespaces
        self.storage = FileStorage(storage_path)
        self.sm = None
        self.hide_list = False
        self.tamper_next = False
        self.connected_future = None
        self.inbox = asyncio.Queue()
        self.roster.auto_authorize = True
        self.roster.auto_subscribe = True  # subscriptions end mutual: PEP notifications flow both ways
        for p in ("xep_0030", "xep_0004", "xep_0060", "xep_0115", "xep_0163"):
            self.register_plugin(p)
        for ns in namespaces:
            self["xep_0060"].map_node_event(list_node(ns), ns)
            self.add_event_handler(ns + "_publish", self.on_list_event(ns))
        self.register_handler(Callback("omemo peer messages", MatchXPath("{%s}message" % NS_CLIENT),
                                       lambda msg: self.inbox.put_nowait(msg)))
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))
        self.add_event_handler("connection_failed", lambda e: self.fail("connection failed: %s" % e))
        self.add_event_handler("disconnected", lambda _: emit(event="disconnected"))

    def fail(self, text):
        emit(event="error", text=text)
        if self.connected_future and not self.connected_future.done():
            self.connected_future.set_result(text)

    async def on_start(self, _):
        try:
            await self.get_roster()
            backends = []
            if OMEMO2 in self.namespaces:
                backends.append(twomemo.Twomemo(self.storage))
            if LEGACY in self.namespaces:
                backends.append(oldmemo.Oldmemo(self.storage))
            self.sm = await make_manager_class(self).create(backends, self.storage, self.boundjid.bare, None,
                                                           "undecided")
            await self.sm.after_history_sync()
            # Carbons, so that a second device's view can be tested.
            iq = self.make_iq_set()
            ET.SubElement(iq.xml, "{%s}enable" % NS_CARBONS)
            await iq.send(timeout=20)
            # +notify in our caps (XEP-0163): device list notifications. Only
            # now: caps computed before binding would not name our JID.
            for ns in self.namespaces:
                self["xep_0030"].add_feature(list_node(ns) + "+notify")
            await self["xep_0115"].update_caps(broadcast=False)
            self.send_presence()
            asyncio.ensure_future(self.process_inbox())
            own, _ = await self.sm.get_own_device_information()
            emit(event="connected", jid=str(self.boundjid), device_id=own.device_id,
                 fingerprint=" ".join(self.sm.format_identity_key(own.identity_key)))
            if self.connected_future and not self.connected_future.done():
                self.connected_future.set_result(True)
        except Exception as e:
            traceback.print_exc()
            self.fail("%s: %s" % (type(e).__name__, e))

    def on_list_event(self, ns):
        async def handler(msg):
            jid = msg["from"].bare
            item = msg["pubsub_event"]["items"]["item"]
            elt = item.xml[0] if len(item.xml) else None
            if elt is None or self.sm is None:
                return
            par = oldmemo.etree.parse_device_list if ns == LEGACY else twomemo.etree.parse_device_list
            try:
                devices = par(elt)
                await self.sm.update_device_list(ns, jid, devices)
                emit(event="devices", jid=jid, namespace=ns, ids=sorted(devices))
            except Exception as e:
                emit(event="error", text="device list of %s: %s: %s" % (jid, type(e).__name__, e))
        return handler

    async def process_inbox(self):
        # One message at a time, in arrival order: ratchets must see them in sequence.
        while True:
            msg = await self.inbox.get()
            try:
                await self.process(msg.xml)
            except Exception as e:
                traceback.print_exc()
                emit(event="error", text="processing a message: %s: %s" % (type(e).__name__, e))

    async def process(self, xml, carbon="", archive=False):
        for kind in ("sent", "received"):
            wrap = xml.find("{%s}%s" % (NS_CARBONS, kind))
            if wrap is not None:
                inner = wrap.find("{%s}forwarded/{%s}message" % (NS_FORWARD, NS_CLIENT))
                if inner is not None and slixmpp.JID(xml.get("from", self.boundjid.bare)).bare == self.boundjid.bare:
                    await self.process(inner, kind)
                return
        result = xml.find("{%s}result" % NS_MAM)
        if result is not None:
            inner = result.find("{%s}forwarded/{%s}message" % (NS_FORWARD, NS_CLIENT))
            if inner is not None:
                await self.process(inner, carbon, True)
            return
        sender = slixmpp.JID(xml.get("from", "")).bare
        recipient = slixmpp.JID(xml.get("to", self.boundjid.bare)).bare
        for ns in (OMEMO2, LEGACY):
            elt = xml.find("{%s}encrypted" % ns)
            if elt is None:
                continue
            if ns not in self.namespaces:
                emit(event="decrypt_error", namespace=ns, error="namespace not enabled", **{"from": sender})
                return
            try:
                if ns == LEGACY:
                    parsed = await oldmemo.etree.parse_message(elt, sender, self.boundjid.bare, self.sm)
                else:
                    parsed = twomemo.etree.parse_message(elt, sender)
                plaintext, device, _ = await self.sm.decrypt(parsed)
            except Exception as e:
                emit(event="decrypt_error", namespace=ns, error="%s: %s" % (type(e).__name__, e),
                     **{"from": sender, "carbon": carbon})
                return
            if plaintext is None:
                return  # an empty message
            body = plaintext.decode() if ns == LEGACY else open_envelope(plaintext, sender, recipient)
            emit(event="message", body=body, namespace=ns, device_id=device.device_id, carbon=carbon,
                 archive=archive, **{"from": sender})
            return
        body = xml.find("{%s}body" % NS_CLIENT)
        if body is not None and xml.get("type") != "error":
            emit(event="plain", body=body.text or "", carbon=carbon, **{"from": sender})

    def send_omemo(self, to, message, body_ns, origin=None):
        ns = message.namespace
        elt = (oldmemo.etree.serialize_message if ns == LEGACY else twomemo.etree.serialize_message)(message)
        if self.tamper_next and elt.find("{%s}payload" % ns) is not None:
            self.tamper_next = False
            payload = elt.find("{%s}payload" % ns)
            raw = bytearray(base64.b64decode(payload.text))
            raw[len(raw) // 2] ^= 0x01
            payload.text = base64.b64encode(bytes(raw)).decode()
        msg = self.make_message(mto=to, mtype="chat")
        msg["id"] = origin or uuid.uuid4().hex
        msg.xml.append(elt)
        ET.SubElement(msg.xml, "{%s}encryption" % NS_EME, {"namespace": ns, "name": "OMEMO"})
        ET.SubElement(msg.xml, "{%s}store" % NS_HINTS)
        if body_ns is not None:
            ET.SubElement(msg.xml, "{%s}body" % NS_CLIENT).text = "[OMEMO encrypted]"
            ET.SubElement(msg.xml, "{%s}origin-id" % NS_SID, {"id": msg["id"]})
        msg.send()
        return msg["id"]

    async def send_encrypted(self, to, body, ns):
        await self.sm.refresh_device_list(ns, to)
        plaintext = body.encode() if ns == LEGACY else envelope(body, self.boundjid.bare, to)
        msgs, errs = await self.sm.encrypt(frozenset({to}), {ns: plaintext}, [ns])
        if not msgs:
            raise RuntimeError("not encrypted: %r" % (errs,))
        (message, _), = msgs.items()
        return self.send_omemo(to, message, ns)


class Driver:
    def __init__(self, loop):
        self.loop = loop
        self.peer = None

    async def handle(self, cmd):
        name = cmd.get("cmd")
        p = self.peer
        if name == "connect":
            namespaces = cmd.get("namespaces") or [OMEMO2, LEGACY]
            self.peer = p = Peer(cmd["jid"], cmd["password"], namespaces, cmd.get("storage"))
            p.ca_certs = cmd["ca_file"]
            p.connected_future = self.loop.create_future()
            p.connect(address=(cmd["host"], int(cmd["port"])), force_starttls=True)
            result = await asyncio.wait_for(p.connected_future, 60)
            if result is not True:
                raise RuntimeError(result)
        elif name == "send":
            return {"id": await p.send_encrypted(cmd["to"], cmd["body"], cmd.get("namespace", LEGACY))}
        elif name == "send_plain":
            msg = p.make_message(mto=cmd["to"], mbody=cmd["body"], mtype="chat")
            msg.send()
        elif name == "tamper_next":
            p.tamper_next = True
        elif name == "devices":
            out = []
            for d in await p.sm.get_device_information(cmd["jid"]):
                out.append({"device_id": d.device_id, "trust": d.trust_level_name, "active": dict(d.active),
                            "fingerprint": " ".join(p.sm.format_identity_key(d.identity_key))})
            return {"devices": out}
        elif name == "refresh":
            for ns in p.namespaces:
                await p.sm.refresh_device_list(ns, cmd["jid"])
        elif name == "publish_list":
            # A device list as given (to remove a device, or to publish one that lacks us).
            ns = cmd["namespace"]
            ser = oldmemo.etree.serialize_device_list if ns == LEGACY else twomemo.etree.serialize_device_list
            await p["xep_0060"].publish(p.boundjid.bare, list_node(ns), id="current",
                                        payload=ser({int(i): None for i in cmd["ids"]}),
                                        options=options_form(access_model="open"), timeout=20)
        elif name == "hide_list":
            p.hide_list = bool(cmd["hide"])
        elif name == "disconnect":
            if p:
                await p.disconnect()
                self.peer = None
        elif name == "quit":
            if p:
                p.abort()
            self.loop.stop()
        else:
            raise ValueError("unknown command %r" % name)
        return {}


def main():
    serve(Driver)


if __name__ == "__main__":
    main()
