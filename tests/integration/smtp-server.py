#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A real SMTP server on loopback for the delivery tests (tests/integration).

    /usr/bin/python3 smtp-server.py [OPTION...] DIR

Debian's aiosmtpd (python3-aiosmtpd) behind its Controller, on 127.0.0.1
(or --host).  It writes its port to DIR/port once it accepts connections
and stores each mail it takes as DIR/mail-NNN.eml (the exact bytes of the
DATA, dot-unstuffed, CRLF line ends as received) with DIR/mail-NNN.env
("from ADDR" and one "rcpt ADDR" per recipient); numbering goes on from
the mails already in DIR, so a restarted server (--port) adds to them.
DIR/log gets a line per event (connect, auth USER ok|failed, mail N,
drop ...); never a password.

Options:
    --port N              listen on N (default: a free port)
    --host ADDR           listen on ADDR (default 127.0.0.1)
    --user U --password P AUTH (PLAIN, LOGIN) with this one account
    --auth-required       refuse MAIL before AUTH
    --no-auth             offer no AUTH in the EHLO reply (plain text
                          only): a server that takes mail without a login
    --cert F --key F      the server's certificate and key (PEM)
    --starttls            offer STARTTLS and require it (needs --cert)
    --implicit            TLS from the first byte, as on port 465
                          (needs --cert)
    --refuse ADDR         answer 550 to RCPT TO ADDR (repeatable)
    --drop-after K        after the 250 of the K-th mail of this run,
                          close that connection and stop listening, then
                          exit (the server went away)
    --drop-before-reply K take the K-th mail of this run (it is stored),
                          then close the connection without its reply
    --reject-data K       answer the data of the K-th mail of this run
                          with 554 (not stored)
    --deliver PROG        hand each mail taken (LF line ends) to PROG's
                          stdin before the 250, as a list server hands
                          mail to its archive (public-inbox-mda); a
                          failing PROG makes the answer a 451

Without --starttls or --implicit, the server speaks plain text and allows
AUTH without TLS (auth_require_tls=False; but --no-auth): loopback tests
only.
It exits after 10 minutes, or when its parent (the test) is gone.
"""

import argparse
import asyncio
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LIFETIME = 600


def log(args, line):
    with open(os.path.join(args.dir, "log"), "a") as f:
        f.write(line + "\n")


def first_free_number(d):
    n = 0
    for name in os.listdir(d):
        if name.startswith("mail-") and name.endswith(".eml"):
            n = max(n, int(name[5:-4]))
    return n + 1


class Handler:
    def __init__(self, args, stop):
        self.args = args
        self.stop = stop
        self.taken = 0          # mails of this run
        self.next = first_free_number(args.dir)

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        log(self.args, "ehlo " + hostname)
        return responses

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address in self.args.refuse:
            log(self.args, "refuse " + address)
            return "550 5.1.1 <%s>: recipient refused" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.taken += 1
        if self.taken == self.args.reject_data:
            log(self.args, "reject the data of mail %d of this run"
                % self.taken)
            return "554 5.6.0 message refused"
        n = self.next
        self.next += 1
        base = os.path.join(self.args.dir, "mail-%03d" % n)
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("rcpt %s\n" % r)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        log(self.args, "mail %d" % n)
        if self.args.deliver:
            data = envelope.original_content.replace(b"\r\n", b"\n")
            rc = subprocess.run([self.args.deliver], input=data,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL).returncode
            log(self.args, "deliver mail %d: exit %d" % (n, rc))
            if rc != 0:
                return "451 4.3.0 the archive did not take it"
        if self.taken == self.args.drop_before_reply:
            log(self.args, "drop before the reply to mail %d" % n)
            server.transport.abort()
            return "250 OK"     # goes nowhere: the transport is gone
        if self.taken == self.args.drop_after:
            log(self.args, "drop after mail %d" % n)
            # once the 250 below is written: close, stop listening, exit
            asyncio.get_event_loop().call_soon(self.stop, server.transport)
        return "250 OK: queued as %d" % n


class Authenticator:
    def __init__(self, args):
        self.args = args

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode("utf-8", "replace")
        ok = (self.args.user is not None and
              auth_data.login == self.args.user.encode() and
              auth_data.password == self.args.password.encode())
        log(self.args, "auth %s %s %s" % (mechanism, user,
                                          "ok" if ok else "failed"))
        # handled=False: aiosmtpd then answers 535 itself
        return AuthResult(success=ok, handled=False)


def free_port(host):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def watchdog(parent):
    start = time.monotonic()
    while time.monotonic() - start < LIFETIME and os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--auth-required", action="store_true")
    p.add_argument("--no-auth", action="store_true")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--starttls", action="store_true")
    p.add_argument("--implicit", action="store_true")
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--drop-after", type=int, default=0)
    p.add_argument("--drop-before-reply", type=int, default=0)
    p.add_argument("--reject-data", type=int, default=0)
    p.add_argument("--deliver")
    args = p.parse_args()
    if args.no_auth and (args.starttls or args.implicit or args.user or
                         args.auth_required):
        p.error("--no-auth is for a plain-text server without accounts")
    os.makedirs(args.dir, exist_ok=True)

    ctx = None
    if args.starttls or args.implicit:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.cert, args.key)

    done = threading.Event()

    def stop(transport):
        transport.close()
        controller.server.close()
        done.set()

    kw = dict(decode_data=False,
              auth_required=args.auth_required)
    if args.user is not None:
        kw["authenticator"] = Authenticator(args)
    if args.starttls:
        kw.update(tls_context=ctx, require_starttls=True)
    elif not args.implicit and not args.no_auth:
        # with auth_require_tls (the default) and no TLS, aiosmtpd
        # offers no AUTH at all: --no-auth
        kw["auth_require_tls"] = False
    # a free port may be taken between the probe and the bind: retry
    for attempt in range(10):
        port = args.port or free_port(args.host)
        controller = Controller(Handler(args, stop), hostname=args.host,
                                port=port, server_hostname="smtp.test",
                                ssl_context=ctx if args.implicit else None,
                                **kw)
        try:
            controller.start()
            break
        except OSError:
            if args.port or attempt == 9:
                raise
    with open(os.path.join(args.dir, "port.tmp"), "w") as f:
        f.write("%d\n" % port)
    os.rename(os.path.join(args.dir, "port.tmp"),
              os.path.join(args.dir, "port"))
    print(port, flush=True)
    threading.Thread(target=watchdog, args=(os.getppid(),),
                     daemon=True).start()
    try:
        done.wait(LIFETIME)
    except KeyboardInterrupt:
        pass
    time.sleep(0.2)
    # the listener is closed already after a drop; the loop stops here
    controller.stop(no_assert=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
