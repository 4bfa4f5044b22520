#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Writes the vectors of test-patatt.c from Debian's patatt 0.6 (python3-
# patatt) and git mailinfo: for each mail, what git mailinfo makes of it
# (the input of kx_patatt_canonicalize()), what patatt signs (canonical
# headers, h=, body) and patatt's own signed mail for a fixed time and a
# fixed test key.  Run: python3 gen-patatt-vectors.py > patatt-vectors.h
import base64
import os
import subprocess
import tempfile
import time

import patatt
from nacl.signing import SigningKey

# A throw-away test key: the seed is 32 bytes 0x01..0x20, never a real key.
SEED = bytes(range(1, 33))
KEY = base64.b64encode(SEED)
T = 1796650000

MAILS = {
    'ascii': (b'From: Tess Ting <tess@example.com>\n'
              b'Date: Mon, 7 Dec 2026 14:00:00 +0000\n'
              b'Subject: [PATCH 1/2] KVM: x86: Fix the thing\n'
              b'To: kvm@vger.kernel.org\n'
              b'Cc: Sean Christopherson <seanjc@google.com>,\n'
              b'\tPaolo Bonzini <pbonzini@redhat.com>\n'
              b'Message-ID: <20261207-fix-v1-1-abc@example.com>\n'
              b'MIME-Version: 1.0\n'
              b'Content-Type: text/plain; charset="utf-8"\n'
              b'Content-Transfer-Encoding: 7bit\n'
              b'\n'
              b'Fix  the thing.   \n'
              b'\n'
              b'Signed-off-by: Tess Ting <tess@example.com>\n'
              b'---\n'
              b' arch/x86/kvm/x86.c | 2 +-\n'
              b' 1 file changed, 1 insertion(+), 1 deletion(-)\n'
              b'\n'
              b'diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n'
              b'--- a/arch/x86/kvm/x86.c\n'
              b'+++ b/arch/x86/kvm/x86.c\n'
              b'@@ -1,3 +1,3 @@\n'
              b' a \n'
              b'-b\t\n'
              b'+c  \n'
              b' \n'
              b'-- \n'
              b'2.39.5\n'
              b'\n'
              b'\n'),
    'utf8': (b'From: =?UTF-8?q?J=C3=B6rg=20T=C3=A9st?= <jorg@example.com>\n'
             b'Date: Mon, 7 Dec 2026 14:00:00 +0000\n'
             b'Subject: [PATCH v2 3/7] KVM: x86: a subject long enough that git format-patch\n'
             b' folds it\n'
             b'To: kvm@vger.kernel.org\n'
             b'Message-ID: <20261207-long-v2-3-def@example.com>\n'
             b'MIME-Version: 1.0\n'
             b'Content-Type: text/plain; charset=UTF-8\n'
             b'Content-Transfer-Encoding: quoted-printable\n'
             b'\n'
             b'A line with a trailing space =20\n'
             b'and a J=C3=B6rg, and a soft=\n'
             b' break.\n'
             b'\n'
             b'Signed-off-by: J=C3=B6rg T=C3=A9st <jorg@example.com>\n'
             b'---\n'
             b'diff --git a/x b/x\n'
             b'--- a/x\n'
             b'+++ b/x\n'
             b'@@ -1 +1 @@\n'
             b'-old=20\n'
             b'+new=09\n'),
    'inbody': (b'From: Tess Ting <tess@example.com>\n'
               b'Subject: [RFC PATCH] KVM: x86: =?UTF-8?q?=C3=A9t=C3=A9?=\n'
               b'Date: Mon, 7 Dec 2026 14:00:00 +0000\n'
               b'MIME-Version: 1.0\n'
               b'Content-Type: text/plain; charset=UTF-8\n'
               b'Content-Transfer-Encoding: 8bit\n'
               b'\n'
               b'From: \xc3\x89lodie Author <elodie@example.org>\n'
               b'\n'
               b'No Message-ID, an in-body From, an 8bit body: \xc3\xa9.\n'
               b'\n'
               b'Signed-off-by: \xc3\x89lodie Author <elodie@example.org>\n'),
    'crlf': (b'From: Tess Ting <tess@example.com>\r\n'
             b'Subject: [PATCH 0/2] KVM: x86: cover\r\n'
             b'Message-ID: <cover@example.com>\r\n'
             b'X-Developer-Signature: v=1; old\r\n'
             b'\r\n'
             b'Cover text.  \r\n'
             b'\r\n'),
}


def mailinfo(data):
    with tempfile.TemporaryDirectory() as td:
        m, p = os.path.join(td, 'm'), os.path.join(td, 'p')
        i = subprocess.run(['git', 'mailinfo', '--encoding=utf-8', '--no-scissors', m, p],
                           input=data.replace(b'\r\n', b'\n'), capture_output=True,
                           check=True).stdout
        mp = b''
        for f in (m, p):
            if os.path.exists(f):
                with open(f, 'rb') as fh:
                    mp += fh.read()
        return mp, i


def c_string(b, indent='\t'):
    out = []
    line = ''
    for ch in b:
        if ch == 0x0a:
            line += '\\n'
            out.append(line)
            line = ''
            continue
        if ch == 0x0d:
            line += '\\r'
        elif ch == 0x09:
            line += '\\t'
        elif ch == 0x22:
            line += '\\"'
        elif ch == 0x5c:
            line += '\\\\'
        elif 0x20 <= ch < 0x7f:
            line += chr(ch)
        else:
            # "" ends the escape: a hex digit after it would extend it
            line += '\\x%02x""' % ch
        if len(line) > 60:
            out.append(line)
            line = ''
    if line or not out:
        out.append(line)
    return '\n'.join('%s"%s"' % (indent, l) for l in out)


def vector(name, data):
    pm = patatt.PatattMessage(data)
    for h in list(pm.headers):
        if h.startswith(patatt.DEVSIG_HDR) or h.startswith(patatt.DEVKEY_HDR):
            pm.headers.remove(h)
    pm.git_canonicalize()
    ds = patatt.DevsigHeader()
    ds.set_headers(pm.canon_headers, mode='sign')
    ds.set_body(pm.canon_body)
    mp, info = mailinfo(b''.join(pm.headers) + pm.lf + pm.body)
    identity = pm.canon_identity

    # patatt's own signature, at time T with the test key
    real_time = time.time
    time.time = lambda: T
    try:
        signed = patatt.sign_message(data, 'ed25519', KEY, identity, 'test')
    finally:
        time.time = real_time
    sig = patatt.PatattMessage(signed).get_sigs()[0]
    unsigned_value = patatt.DevsigHeader._dkim_canonicalize_header(
        sig.hval.rsplit(b'b=', 1)[0] + b'b=')[:-2]
    print('static const struct vector vec_%s = {' % name)
    for field, value in (('mail', data), ('mp', mp), ('info', info),
                         ('headers', b''.join(ds._headervals)),
                         ('h', ds.hdata['h']), ('body', pm.canon_body),
                         ('identity', identity.encode()),
                         ('value', unsigned_value),
                         ('bh', ds._body_hash),
                         ('b', sig.get_field('b')),
                         ('signed', signed)):
        print('\t.%s =\n%s,' % (field, c_string(value, '\t\t')))
    print('\t.mail_len = %d, .mp_len = %d, .body_len = %d, .signed_len = %d,' %
          (len(data), len(mp), len(pm.canon_body), len(signed)))
    print('\t.t = %d,' % T)
    print('};\n')


print('/* Generated by gen-patatt-vectors.py from patatt %s and %s; do not edit. */\n'
      % (patatt.__VERSION__,
         subprocess.run(['git', '--version'], capture_output=True).stdout.decode().strip()))
print('static const char test_key[] = "%s\\n";\n' % KEY.decode())
print('static const char test_pk[] = "%s";\n' %
      base64.b64encode(SigningKey(SEED).verify_key.encode()).decode())
for n, d in MAILS.items():
    vector(n, d)
