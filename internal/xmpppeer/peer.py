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
enable_carbons, raw, disconnect, quit (see handle()).

Run with /usr/bin/python3: only Debian's python sees python3-slixmpp.
"""

import asyncio
import json
import sys
import uuid
import xml.etree.ElementTree as ET

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
CHAT_STATES = ("active", "composing", "paused", "inactive", "gone")


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def message_fields(xml):
    """The reportable fields of a <message/> element."""
    body = xml.find("{%s}body" % NS_CLIENT)
    origin = xml.find("{%s}origin-id" % NS_SID)
    delay = xml.find("{%s}delay" % NS_DELAY)
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


class Driver:
    def __init__(self, loop):
        self.loop = loop
        self.peer = None

    async def handle(self, cmd):
        name = cmd.get("cmd")
        if name == "connect":
            self.peer = Peer(cmd["jid"], cmd["password"], cmd.get("auto_receipts", True))
            if cmd.get("ca_file"):
                self.peer.ca_certs = cmd["ca_file"]
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

    async def run(self, line):
        try:
            cmd = json.loads(line)
        except ValueError as e:
            emit(event="done", seq=-1, error="bad command: %s" % e)
            return
        seq = cmd.get("seq", 0)
        try:
            extra = await self.handle(cmd) or {}
            emit(event="done", seq=seq, **extra)
        except Exception as e:  # reported to the driver, never fatal
            emit(event="done", seq=seq, error="%s: %s" % (type(e).__name__, e))


def main():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    driver = Driver(loop)
    queue = asyncio.Queue()

    def readable():
        line = sys.stdin.readline()
        if not line:
            loop.remove_reader(sys.stdin.fileno())
            loop.stop()
            return
        queue.put_nowait(line)

    async def serve():
        # Commands run one after the other, in the order sent.
        while True:
            line = await queue.get()
            await driver.run(line)

    loop.add_reader(sys.stdin.fileno(), readable)
    task = loop.create_task(serve())
    emit(event="ready")
    loop.run_forever()
    task.cancel()


if __name__ == "__main__":
    main()
