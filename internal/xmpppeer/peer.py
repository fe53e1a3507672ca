"""An XMPP test peer that is not Candor, on slixmpp (Debian's python3-slixmpp).

Driven over stdin/stdout with JSON lines. Every command carries "seq" and is
answered by {"event": "done", "seq": N} or {"event": "done", "seq": N,
"error": "..."}; what the peer receives is reported as events:

  {"event": "connected", "jid": full}
  {"event": "message", "from", "to", "id", "type", "body", "origin_id",
   "stanza_ids": [...], "request": bool, "carbon": "" | "sent" | "received",
   "delay": stamp}
  {"event": "receipt", "from", "id"}            a XEP-0184 <received/>
  {"event": "chatstate", "from", "state"}       XEP-0085
  {"event": "presence", "from", "type", "show", "status"}
  {"event": "disconnected"}
  {"event": "error", "text"}

Commands: connect, send, receipt, chatstate, presence, subscription,
enable_carbons, raw, upload, download, disconnect, quit (see handle()).

Files (XEP-0363 and XEP-0454) are done here independently of Candor: the
slot is asked for with a raw IQ (slixmpp's xep_0363 needs aiohttp, which
Debian's package does not pull in), the PUT and GET go through urllib, and
the AES-256-GCM is python3-cryptography's (OpenSSL): AESGCM for files that
fit in memory, the streaming GCM cipher for larger ones.

Run with /usr/bin/python3: only Debian's python sees python3-slixmpp.
"""

import asyncio
import hashlib
import os
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jsonlines import emit, serve

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

NS_CLIENT = "jabber:client"
NS_RECEIPTS = "urn:xmpp:receipts"
NS_CHATSTATES = "http://jabber.org/protocol/chatstates"
NS_SID = "urn:xmpp:sid:0"
NS_CARBONS = "urn:xmpp:carbons:2"
NS_FORWARD = "urn:xmpp:forward:0"
NS_DELAY = "urn:xmpp:delay"
NS_UPLOAD = "urn:xmpp:http:upload:0"
NS_OOB = "jabber:x:oob"
CHAT_STATES = ("active", "composing", "paused", "inactive", "gone")
# Files up to this size are encrypted and decrypted in one AESGCM call.
ONE_SHOT = 64 << 20
CHUNK = 1 << 20


def message_fields(xml):
    """The reportable fields of a <message/> element."""
    body = xml.find("{%s}body" % NS_CLIENT)
    origin = xml.find("{%s}origin-id" % NS_SID)
    delay = xml.find("{%s}delay" % NS_DELAY)
    oob = xml.find("{%s}x/{%s}url" % (NS_OOB, NS_OOB))
    return {
        "from": xml.get("from", ""),
        "to": xml.get("to", ""),
        "id": xml.get("id", ""),
        "type": xml.get("type", "normal"),
        "body": body.text or "" if body is not None else None,
        "origin_id": origin.get("id", "") if origin is not None else "",
        "stanza_ids": [s.get("id", "") for s in xml.findall("{%s}stanza-id" % NS_SID)],
        "request": xml.find("{%s}request" % NS_RECEIPTS) is not None,
        "delay": delay.get("stamp", "") if delay is not None else "",
        "oob": oob.text or "" if oob is not None else "",
    }


class Peer(slixmpp.ClientXMPP):
    def __init__(self, jid, password, auto_receipts):
        super().__init__(jid, password)
        self.auto_receipts = auto_receipts
        self.connected_future = None
        # Subscriptions are answered by the test, not by slixmpp.
        self.roster.auto_authorize = None
        self.roster.auto_subscribe = False
        self.register_plugin("xep_0030")
        self.register_handler(Callback("peer messages", MatchXPath("{%s}message" % NS_CLIENT), self.on_message))
        self.register_handler(Callback("peer presences", MatchXPath("{%s}presence" % NS_CLIENT), self.on_presence))
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", self.on_failed_auth)
        self.add_event_handler("disconnected", self.on_disconnected)
        self.add_event_handler("connection_failed", self.on_connection_failed)

    async def on_start(self, _):
        self.send_presence()
        await self.get_roster()
        emit(event="connected", jid=str(self.boundjid))
        if self.connected_future and not self.connected_future.done():
            self.connected_future.set_result(True)

    def fail(self, text):
        emit(event="error", text=text)
        if self.connected_future and not self.connected_future.done():
            self.connected_future.set_result(text)

    def on_failed_auth(self, _):
        self.fail("authentication failed")

    def on_connection_failed(self, err):
        self.fail("connection failed: %s" % err)

    def on_disconnected(self, _):
        emit(event="disconnected")

    def on_message(self, msg):
        xml = msg.xml
        carbon = ""
        for kind in ("sent", "received"):
            wrap = xml.find("{%s}%s" % (NS_CARBONS, kind))
            if wrap is not None:
                inner = wrap.find("{%s}forwarded/{%s}message" % (NS_FORWARD, NS_CLIENT))
                if inner is None:
                    return
                xml, carbon = inner, kind
                break
        fields = message_fields(xml)
        received = xml.find("{%s}received" % NS_RECEIPTS)
        if received is not None:
            emit(event="receipt", **{"from": fields["from"], "id": received.get("id", ""), "carbon": carbon})
        for state in CHAT_STATES:
            if xml.find("{%s}%s" % (NS_CHATSTATES, state)) is not None:
                emit(event="chatstate", state=state, carbon=carbon, **{"from": fields["from"]})
        if fields["body"] is None:
            return
        emit(event="message", carbon=carbon, **fields)
        if self.auto_receipts and fields["request"] and not carbon and fields["id"] and fields["type"] != "error":
            self.send_receipt(fields["from"], fields["id"])

    def on_presence(self, pres):
        xml = pres.xml
        show = xml.find("{%s}show" % NS_CLIENT)
        status = xml.find("{%s}status" % NS_CLIENT)
        emit(event="presence", type=xml.get("type", ""),
             show=show.text or "" if show is not None else "",
             status=status.text or "" if status is not None else "",
             **{"from": xml.get("from", "")})

    def send_receipt(self, to, id_):
        msg = self.make_message(mto=to)
        msg["id"] = uuid.uuid4().hex
        ET.SubElement(msg.xml, "{%s}received" % NS_RECEIPTS, {"id": id_})
        msg.send()


def encrypt_file(src, dst, key, iv):
    """Writes src's XEP-0454 encryption (ciphertext, then the tag) to dst."""
    size = os.path.getsize(src)
    with open(src, "rb") as f, open(dst, "wb") as out:
        if size <= ONE_SHOT:
            out.write(AESGCM(key).encrypt(iv, f.read(), None))
            return
        enc = Cipher(algorithms.AES(key), modes.GCM(iv)).encryptor()
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            out.write(enc.update(chunk))
        out.write(enc.finalize())
        out.write(enc.tag)


def decrypt_file(src, key, iv):
    """Decrypts a downloaded XEP-0454 file; returns (sha256 hex, size).
    Raises InvalidTag when it does not authenticate."""
    size = os.path.getsize(src)
    if size < 16:
        raise InvalidTag()
    h = hashlib.sha256()
    with open(src, "rb") as f:
        if size <= ONE_SHOT:
            plain = AESGCM(key).decrypt(iv, f.read(), None)
            h.update(plain)
            return h.hexdigest(), len(plain)
        f.seek(size - 16)
        tag = f.read(16)
        f.seek(0)
        dec = Cipher(algorithms.AES(key), modes.GCM(iv, tag)).decryptor()
        left, n = size - 16, 0
        while left > 0:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                raise InvalidTag()
            left -= len(chunk)
            plain = dec.update(chunk)
            h.update(plain)
            n += len(plain)
        dec.finalize()
        return h.hexdigest(), n


def parse_aesgcm(link):
    """Splits an aesgcm:// link into the https URL, the IV and the key."""
    if not link.lower().startswith("aesgcm://") or "#" not in link:
        raise ValueError("not an aesgcm link")
    rest, frag = link[len("aesgcm://"):].rsplit("#", 1)
    if len(frag) not in (88, 96):
        raise ValueError("fragment of %d characters" % len(frag))
    raw = bytes.fromhex(frag)
    return "https://" + rest, raw[:-32], raw[-32:]


def http_put(url, headers, path, ctype, cafile):
    ctx = ssl.create_default_context(cafile=cafile or None)
    size = os.path.getsize(path)
    with open(path, "rb") as body:
        hdrs = dict(headers)
        hdrs["Content-Length"] = str(size)
        hdrs["Content-Type"] = ctype
        req = urllib.request.Request(url, data=body, method="PUT", headers=hdrs)
        with urllib.request.urlopen(req, context=ctx, timeout=300) as resp:
            if resp.status not in (200, 201):
                raise RuntimeError("PUT answered %d" % resp.status)


def http_get(url, dst, cafile):
    ctx = ssl.create_default_context(cafile=cafile or None)
    with urllib.request.urlopen(url, context=ctx, timeout=300) as resp, open(dst, "wb") as out:
        while True:
            chunk = resp.read(CHUNK)
            if not chunk:
                break
            out.write(chunk)


def file_sha256(path):
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


class Driver:
    def __init__(self, loop):
        self.loop = loop
        self.peer = None
        self.ca_file = ""

    async def upload(self, cmd):
        """Asks service for a slot, uploads path (XEP-0454-encrypted unless
        encrypt is false) and returns the GET URL and the link to send."""
        path, encrypt = cmd["path"], cmd.get("encrypt", True)
        work = tempfile.mkdtemp()
        try:
            body, link_key = path, None
            if encrypt:
                key, iv = os.urandom(32), os.urandom(12)
                body = os.path.join(work, "upload")
                await self.loop.run_in_executor(None, encrypt_file, path, body, key, iv)
                link_key = iv.hex() + key.hex()
            size = os.path.getsize(body)
            ctype = cmd.get("content_type") or "application/octet-stream"
            iq = self.peer.make_iq_get(ito=cmd["service"])
            ET.SubElement(iq.xml, "{%s}request" % NS_UPLOAD, {
                "filename": cmd.get("filename") or os.path.basename(path),
                "size": str(size), "content-type": ctype})
            resp = await iq.send(timeout=30)
            slot = resp.xml.find("{%s}slot" % NS_UPLOAD)
            put = slot.find("{%s}put" % NS_UPLOAD)
            get_url = slot.find("{%s}get" % NS_UPLOAD).get("url")
            headers = {h.get("name"): (h.text or "") for h in put.findall("{%s}header" % NS_UPLOAD)
                       if h.get("name") in ("Authorization", "Cookie", "Expires")}
            await self.loop.run_in_executor(None, http_put, put.get("url"), headers, body, ctype, self.ca_file)
            link = get_url
            if encrypt:
                link = "aesgcm://" + get_url[len("https://"):] + "#" + link_key
            return {"url": get_url, "link": link}
        finally:
            for name in os.listdir(work):
                os.remove(os.path.join(work, name))
            os.rmdir(work)

    async def download(self, cmd):
        """Fetches a link (aesgcm:// or https) and returns the plaintext's
        SHA-256 and size; an aesgcm:// file that does not authenticate is
        an error."""
        link = cmd["link"]
        work = tempfile.mkdtemp()
        try:
            dst = os.path.join(work, "download")
            if link.lower().startswith("aesgcm://"):
                url, iv, key = parse_aesgcm(link)
                await self.loop.run_in_executor(None, http_get, url, dst, self.ca_file)
                try:
                    sha, n = await self.loop.run_in_executor(None, decrypt_file, dst, key, iv)
                except InvalidTag:
                    raise RuntimeError("authentication failed: the file does not match its key")
            else:
                await self.loop.run_in_executor(None, http_get, link, dst, self.ca_file)
                sha, n = file_sha256(dst)
            return {"sha256": sha, "size": n}
        finally:
            for name in os.listdir(work):
                os.remove(os.path.join(work, name))
            os.rmdir(work)

    async def handle(self, cmd):
        name = cmd.get("cmd")
        if name == "connect":
            self.peer = Peer(cmd["jid"], cmd["password"], cmd.get("auto_receipts", True))
            if cmd.get("ca_file"):
                self.peer.ca_certs = cmd["ca_file"]
                self.ca_file = cmd["ca_file"]
            self.peer.connected_future = self.loop.create_future()
            direct = cmd.get("direct_tls", False)
            self.peer.connect(address=(cmd["host"], int(cmd["port"])), use_ssl=direct, force_starttls=not direct)
            result = await asyncio.wait_for(self.peer.connected_future, 30)
            if result is not True:
                raise RuntimeError(result)
        elif name == "send":
            msg = self.peer.make_message(mto=cmd["to"], mbody=cmd["body"], mtype=cmd.get("type", "chat"))
            msg["id"] = cmd.get("id") or uuid.uuid4().hex
            if cmd.get("origin_id"):
                ET.SubElement(msg.xml, "{%s}origin-id" % NS_SID, {"id": cmd["origin_id"]})
            if cmd.get("request_receipt", True):
                ET.SubElement(msg.xml, "{%s}request" % NS_RECEIPTS)
            if cmd.get("oob"):
                x = ET.SubElement(msg.xml, "{%s}x" % NS_OOB)
                ET.SubElement(x, "{%s}url" % NS_OOB).text = cmd["oob"]
            msg.send()
            return {"id": msg["id"]}
        elif name == "receipt":
            self.peer.send_receipt(cmd["to"], cmd["id"])
        elif name == "chatstate":
            if cmd["state"] not in CHAT_STATES:
                raise ValueError("unknown chat state %r" % cmd["state"])
            msg = self.peer.make_message(mto=cmd["to"], mtype="chat")
            ET.SubElement(msg.xml, "{%s}%s" % (NS_CHATSTATES, cmd["state"]))
            msg.send()
        elif name == "presence":
            self.peer.send_presence(pshow=cmd.get("show") or None, pstatus=cmd.get("status") or None,
                                    ptype=cmd.get("type") or None)
        elif name == "subscription":
            # subscribe, subscribed, unsubscribe, unsubscribed
            self.peer.send_presence(pto=cmd["to"], ptype=cmd["type"])
        elif name == "enable_carbons":
            iq = self.peer.make_iq_set()
            ET.SubElement(iq.xml, "{%s}enable" % NS_CARBONS)
            await iq.send(timeout=20)
        elif name == "raw":
            # Anything at all, for tests of hostile input.
            self.peer.send_raw(cmd["xml"])
        elif name == "upload":
            return await self.upload(cmd)
        elif name == "download":
            return await self.download(cmd)
        elif name == "disconnect":
            if self.peer:
                await self.peer.disconnect()
        elif name == "quit":
            if self.peer:
                self.peer.abort()
            self.loop.stop()
        else:
            raise ValueError("unknown command %r" % name)
        return {}


def main():
    serve(Driver)


if __name__ == "__main__":
    main()
