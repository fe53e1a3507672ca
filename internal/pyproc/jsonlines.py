"""The Python side of pyproc's protocol: JSON lines on stdin and stdout.

A peer script calls serve(make_driver): make_driver(loop) returns an object
with an async handle(cmd) that returns a dict of extra fields for the
"done" event, or raises (the error goes back to the test, never fatal).
The end of stdin stops the loop; so does a handle that stops it ("quit").
"""

import asyncio
import json
import sys
import traceback


def emit(**fields):
    """Reports one event to the driver."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


async def run(driver, line):
    try:
        cmd = json.loads(line)
    except ValueError as e:
        emit(event="done", seq=-1, error="bad command: %s" % e)
        return
    seq = cmd.get("seq", 0)
    try:
        extra = await driver.handle(cmd) or {}
        emit(event="done", seq=seq, **extra)
    except Exception as e:  # reported to the driver, never fatal
        traceback.print_exc()
        emit(event="done", seq=seq, error="%s: %s" % (type(e).__name__, e))


def serve(make_driver):
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    driver = make_driver(loop)
    queue = asyncio.Queue()

    def readable():
        line = sys.stdin.readline()
        if not line:
            loop.remove_reader(sys.stdin.fileno())
            loop.stop()
            return
        queue.put_nowait(line)

    async def commands():
        # Commands run one after the other, in the order sent.
        while True:
            await run(driver, await queue.get())

    loop.add_reader(sys.stdin.fileno(), readable)
    task = loop.create_task(commands())
    emit(event="ready")
    loop.run_forever()
    task.cancel()
