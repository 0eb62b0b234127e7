#!/usr/bin/env python3
"""visitors.py — visitors searching as they type, through a reverse proxy.

Each visitor comes from its own loopback address (127.0.0.10 and up: Linux
routes all of 127.0.0.0/8 to loopback, so the proxy sees distinct clients),
opens one keep-alive HTTPS connection (before typing, as a page that loaded
the search box's script has), and types a phrase: one request per
keystroke from the second character on, as the search box sends them, 150 ms
apart. Visitors start spread over the first second. Optionally one more
visitor (127.0.0.250) sends 200 requests within a second over 8 connections.
Prints "name value" lines for the shell test to check: counts by status, and
the visitors' latencies.

usage: visitors.py PORT HOST VISITORS [--abuser]
  PORT, HOST   the proxy's HTTPS port on 127.0.0.1 and the name it serves
"""
import asyncio
import ssl
import sys
import time
import urllib.parse

PHRASES = ["workshop", "bus timetable", "open data", "air quality", "community",
           "council spending", "manchester", "transport", "hack day", "liverpool"]
KEYSTROKE = 0.150
MIN_CHARS = 2  # the search box waits for two characters


def tls():
    """One context for every connection: the test's own self-signed certificate
    is not verified, so no certificate store is read (reading one per
    connection stalls every visitor's event loop for tens of milliseconds)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


TLS = tls()


async def read_response(reader):
    """The status of one response, its body read by Content-Length or chunks."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return int(lines[0].split()[1])


class Session:
    """One keep-alive connection from a source address, reopened if closed."""

    def __init__(self, port, host, source):
        self.port, self.host, self.source = port, host, source
        self.reader = self.writer = None

    async def get(self, path):
        for attempt in (0, 1):
            try:
                if self.writer is None:
                    await self.connect()
                self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n"
                                  "Accept: application/json\r\n\r\n".encode())
                return await read_response(self.reader)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
                self.close()
                if attempt:
                    return 0
        return 0

    async def connect(self):
        self.reader, self.writer = await asyncio.open_connection(
            "127.0.0.1", self.port, ssl=TLS, server_hostname=self.host,
            local_addr=(self.source, 0))

    def close(self):
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None


def search_path(q):
    return ("/search?format=json&partial=1&facets=0&per_page=6&q=" +
            urllib.parse.quote(q))


async def visitor(port, host, i, start_at, results):
    session = Session(port, host, f"127.0.0.{10 + i}")
    phrase = PHRASES[i % len(PHRASES)]
    await asyncio.sleep(start_at)
    # Connected before the first keystroke, as a browser is once the page has
    # loaded the search box's script from the same server.
    try:
        await session.connect()
    except OSError:
        pass
    due = time.monotonic()
    for n in range(MIN_CHARS, len(phrase) + 1):
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        t0 = time.monotonic()
        status = await session.get(search_path(phrase[:n]))
        results.append((status, (time.monotonic() - t0) * 1000))
        due += KEYSTROKE
    session.close()


async def abuser(port, host, statuses):
    """200 requests within a second: 8 connections, 25 each, paced."""
    async def one(k):
        session = Session(port, host, "127.0.0.250")
        start = time.monotonic()
        for j in range(25):
            await asyncio.sleep(max(0.0, start + j * 0.038 - time.monotonic()))
            statuses.append(await session.get(search_path(f"data {k} {j}")))
        session.close()
    await asyncio.gather(*(one(k) for k in range(8)))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0


async def run(port, host, n, with_abuser):
    results, abused = [], []
    tasks = [visitor(port, host, i, i / n, results) for i in range(n)]
    if with_abuser:
        async def late_abuser():
            await asyncio.sleep(0.5)
            await abuser(port, host, abused)
        tasks.append(late_abuser())
    t0 = time.monotonic()
    await asyncio.gather(*tasks)
    ms = [m for _, m in results]
    codes = [s for s, _ in results]
    print("seconds", round(time.monotonic() - t0, 1))
    print("visitor_requests", len(results))
    print("visitor_2xx", sum(200 <= s < 300 for s in codes))
    print("visitor_429", codes.count(429))
    print("visitor_5xx", sum(500 <= s < 600 for s in codes))
    print("visitor_failed", codes.count(0))
    print("p50_ms", round(percentile(ms, 0.50)))
    print("p95_ms", round(percentile(ms, 0.95)))
    print("max_ms", round(max(ms, default=0)))
    if with_abuser:
        print("abuser_requests", len(abused))
        print("abuser_2xx", sum(200 <= s < 300 for s in abused))
        print("abuser_429", abused.count(429))


def main():
    port, host, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    asyncio.run(run(port, host, n, "--abuser" in sys.argv[4:]))


if __name__ == "__main__":
    main()
