#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A misbehaving public-inbox for the lore tests (tests/integration).

    /usr/bin/python3 lore-server.py DIR [MBOX]

Listens on 127.0.0.1 (a free port), writes the port to DIR/port (and
stdout), and serves MBOX (default: a v1 and a v2 cover letter by
tess@example.com with change-id 20230101-frob-0123456789ab) as public-inbox
does: POST ...?x=m answers it gzipped, GET ...?x=A as an Atom feed.  The
first path segment picks how it misbehaves; the rest is the inbox path
(so a test's base URL is http://127.0.0.1:PORT/<mode>/all):

    ok              behaves
    fail500-N       the first N requests get HTTP 500, then it behaves
    always503       HTTP 503 every time
    failcid         HTTP 503 for a query with "change-id", else behaves
    429-S-N         the first N get 429 with "Retry-After: S", then behaves
    stall-S         says nothing for S seconds, then behaves
    cut             announces a body, sends half of it, closes
    truncated       a complete HTTP answer holding half of the gzip file
    big-N           N bytes, chunked (no length known in advance)
    biglen-N        N bytes with their Content-Length
    bomb-N          gzip of N zero bytes
    badxml          POST: HTML (no mbox); GET x=A: XML that does not nest
    badmbox         POST: gzip of HTML; GET x=A: HTTP 403
    atomonly        POST: HTTP 405; GET x=A: the feed
    notfound        HTTP 404 "No results found"
    redirect        302 to the same path under ok/
    redirloop       302 to itself
    ftp             302 to an ftp:// URL
    file            302 to file:///etc/passwd
    port-P          302 to the same path under ok/ on port P of 127.0.0.1

Each request adds one to DIR/count.<mode>, so a test can check retries;
DIR/log has a line per request with its method and User-Agent, and
"auth" when it came with an Authorization header.
It exits after 10 minutes, or when its parent (the test) is gone.
"""

import datetime
import email
import email.policy
import email.utils
import gzip
import http.server
import os
import re
import socketserver
import sys
import threading
import time
import urllib.parse
from email.utils import parseaddr

DEFAULT_MBOX = b"""\
From mboxrd@z Thu Jan  1 00:00:00 1970
From: Tess Ting <tess@example.com>
Subject: [PATCH v2 0/2] KVM: x86: Frob the widget
Date: Mon, 09 Jan 2023 10:00:00 +0000
Message-ID: <frob.v2.0@example.com>

Cover v2

change-id: 20230101-frob-0123456789ab

From mboxrd@z Thu Jan  1 00:00:00 1970
From: Tess Ting <tess@example.com>
Subject: [PATCH 0/2] KVM: x86: Frob the widget
Date: Mon, 02 Jan 2023 10:00:00 +0000
Message-ID: <frob.v1.0@example.com>

Cover v1
>From the start

---
change-id: 20230101-frob-0123456789ab

"""

LIFETIME = 600
lock = threading.Lock()
counts = {}


def xml_escape(s):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace('"', "&quot;")


def atom_of(mbox, base):
    """The Atom feed public-inbox would serve for the messages of mbox."""
    out = ['<?xml version="1.0" encoding="us-ascii"?>\n<feed\n'
           'xmlns="http://www.w3.org/2005/Atom"\n'
           'xmlns:thr="http://purl.org/syndication/thread/1.0">'
           '<title>search results</title>']
    for raw in re.split(rb"^From .*\n", mbox, flags=re.M)[1:]:
        raw = re.sub(rb"^>(>*From )", rb"\1", raw, flags=re.M)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        name, addr = parseaddr(str(msg.get("From", "")))
        mid = str(msg.get("Message-ID", "")).strip().strip("<>")
        when = email.utils.parsedate_to_datetime(str(msg["Date"]))
        when = when.astimezone(datetime.timezone.utc)
        irt = str(msg.get("In-Reply-To", "")).strip().strip("<>")
        if irt:
            irt = ('<thr:in-reply-to\nref="urn:uuid:0"\nhref="%s/%s/"/>'
                   % (base, urllib.parse.quote(irt, safe="@")))
        out.append(
            "<entry><author><name>%s</name><email>%s</email></author>"
            "<title>%s</title><updated>%s</updated>"
            '<link\nhref="%s/%s/"/><id>urn:uuid:0</id>%s<content\n'
            'type="xhtml"><div\nxmlns="http://www.w3.org/1999/xhtml">'
            "<pre>%s</pre></div></content></entry>"
            % (xml_escape(name), xml_escape(addr),
               xml_escape(str(msg.get("Subject", ""))),
               when.strftime("%Y-%m-%dT%H:%M:%SZ"), base,
               urllib.parse.quote(mid, safe="@"), irt,
               xml_escape(msg.get_content())))
    out.append("</feed>\n")
    return "".join(out).encode("ascii", "xmlcharrefreplace")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        with lock, open(os.path.join(self.server.dir, "log"), "a") as f:
            f.write("%s [%s]%s %s\n" % (self.command,
                                        self.headers.get("User-Agent", ""),
                                        " auth" if self.headers.get(
                                            "Authorization") else "",
                                        fmt % args))

    def count(self, mode):
        with lock:
            counts[mode] = counts.get(mode, 0) + 1
            n = counts[mode]
            path = os.path.join(self.server.dir, "count." + mode)
            with open(path + ".tmp", "w") as f:
                f.write("%d\n" % n)
            os.replace(path + ".tmp", path)
        return n

    def send(self, status, body, ctype="text/plain", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def behave(self, rest, query):
        base = "http://%s/%s" % (self.headers.get("Host", "127.0.0.1"),
                                 rest.split("/")[0])
        if self.command == "POST" and query.get("x") == ["m"]:
            self.send(200, gzip.compress(self.server.mbox),
                      "application/gzip")
        elif query.get("x") == ["A"]:
            self.send(200, atom_of(self.server.mbox, base),
                      "application/atom+xml")
        else:
            self.send(200, b"ok\n")

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        mode, _, rest = url.path.lstrip("/").partition("/")
        n = self.count(mode)
        post = self.command == "POST"
        m = re.fullmatch(r"([a-z0-9]+)(?:-(\d+))?(?:-(\d+))?", mode)
        name, a, b = (m.group(1), int(m.group(2) or 0),
                      int(m.group(3) or 0)) if m else ("", 0, 0)
        if name == "ok":
            self.behave(rest, query)
        elif name == "fail500":
            if n <= a:
                self.send(500, b"Internal Server Error\n")
            else:
                self.behave(rest, query)
        elif name == "always503":
            self.send(503, b"Service Unavailable\n")
        elif name == "failcid":
            if "change-id" in query.get("q", [""])[0]:
                self.send(503, b"Service Unavailable\n")
            else:
                self.behave(rest, query)
        elif name == "429":
            if n <= b:
                self.send(429, b"Too Many Requests\n",
                          headers=[("Retry-After", str(a))])
            else:
                self.behave(rest, query)
        elif name == "stall":
            time.sleep(a)
            self.behave(rest, query)
        elif name == "cut":
            body = gzip.compress(self.server.mbox)
            self.send_response(200)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif name == "truncated":
            body = gzip.compress(self.server.mbox)
            self.send(200, body[:len(body) // 2], "application/gzip")
        elif name == "big":
            self.send_response(200)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            left = a
            try:
                while left > 0:
                    part = chunk[:min(left, len(chunk))]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    left -= len(part)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif name == "biglen":
            try:
                self.send(200, b"x" * a, "application/gzip")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
        elif name == "bomb":
            self.send(200, gzip.compress(b"\0" * a), "application/gzip")
        elif name == "badxml":
            if post:
                self.send(200, b"<html><body>search</body></html>\n",
                          "text/html")
            else:
                self.send(200, b'<?xml version="1.0"?>\n<feed>\n<entry>'
                          b"<title>x</entry></feed>\n",
                          "application/atom+xml")
        elif name == "badmbox":
            if post:
                self.send(200, gzip.compress(b"<html>not an mbox</html>\n"),
                          "application/gzip")
            else:
                self.send(403, b"Forbidden\n")
        elif name == "atomonly":
            if post:
                self.send(405, b"Method Not Allowed\n")
            else:
                self.behave(rest, query)
        elif name == "notfound":
            self.send(404, b"No results found\n")
        elif name in ("redirect", "redirloop", "ftp", "file", "port"):
            target = {"redirect": "/ok/" + rest,
                      "redirloop": self.path,
                      "ftp": "ftp://127.0.0.1:9/x",
                      "file": "file:///etc/passwd",
                      "port": "http://127.0.0.1:%d/ok/%s" % (a, rest)}[name]
            if name in ("redirect", "port") and url.query:
                target += "?" + url.query
            self.send(302, b"", headers=[("Location", target)])
        else:
            self.send(400, b"unknown mode\n")

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def watchdog(parent):
    start = time.monotonic()
    while time.monotonic() - start < LIFETIME and os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: lore-server.py DIR [MBOX]")
    server = Server(("127.0.0.1", 0), Handler)
    server.dir = sys.argv[1]
    server.mbox = DEFAULT_MBOX
    if len(sys.argv) == 3:
        with open(sys.argv[2], "rb") as f:
            server.mbox = f.read()
    threading.Thread(target=watchdog, args=(os.getppid(),),
                     daemon=True).start()
    port = server.server_address[1]
    path = os.path.join(server.dir, "port")
    with open(path + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.replace(path + ".tmp", path)
    print(port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
