// SPDX-License-Identifier: GPL-2.0-only
/* Where the mails go, from git send-email's configuration (lib/core/smtpconf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/smtp.h"
#include "kvmx86/util.h"

/* A configuration as "key", "value" pairs; keys compared as git does. */
struct cfg {
	const char *const *kv;
};

static int lookup(void *data, const char *key, char **out)
{
	const struct cfg *c = data;
	size_t i;

	for (i = 0; c->kv[i]; i += 2)
		if (!strcasecmp(c->kv[i], key)) {
			*out = kx_xstrdup(c->kv[i + 1]);
			return 0;
		}
	return KX_ENOTFOUND;
}

static bool none_executable(const char *path)
{
	(void)path;
	return false;
}

static bool lib_sendmail(const char *path)
{
	return !strcmp(path, "/usr/lib/sendmail");
}

/* /etc/services in small */
static int services(const char *name)
{
	if (!strcmp(name, "smtp"))
		return 25;
	if (!strcmp(name, "submission"))
		return 587;
	if (!strcmp(name, "submissions"))
		return 465;
	return 0;
}

static int resolve(struct kx_smtp_conf *out, const char *const *kv,
		   const char *identity)
{
	struct cfg c = { kv };

	return kx_smtp_conf_resolve_with(out, lookup, &c, identity, false,
					 none_executable, services);
}

static bool has_origin(const struct kx_smtp_conf *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->origin.nr; i++)
		if (!strcmp(c->origin.items[i], s))
			return true;
	return false;
}

static void test_smtpconf__precedence(void **state)
{
	static const char *const kv[] = {
		"sendemail.smtpServer", "plain.example.org",
		"sendemail.work.smtpServer", "work.example.org",
		"kvmx86.smtpServer", "kvmx86.example.org",
		"sendemail.smtpUser", "plainuser",
		"sendemail.work.smtpUser", "workuser",
		"sendemail.smtpDomain", "plain.example",
		"sendemail.identity", "work",
		"sendemail.smtpEncryption", "tls",
		NULL,
	};
	struct kx_smtp_conf c;

	(void)state;
	assert_int_equal(resolve(&c, kv, NULL), 0);
	assert_int_equal(c.kind, KX_SMTP_SERVER);
	assert_string_equal(c.server, "kvmx86.example.org");
	assert_string_equal(c.user, "workuser");
	assert_string_equal(c.domain, "plain.example");
	assert_string_equal(c.identity, "work");
	assert_int_equal(c.tls, KX_SMTP_TLS_STARTTLS);
	assert_int_equal(c.port, 25);
	assert_true(has_origin(&c, "smtpServer=kvmx86.smtpServer"));
	assert_true(has_origin(&c, "smtpUser=sendemail.work.smtpUser"));
	assert_true(has_origin(&c, "smtpDomain=sendemail.smtpDomain"));
	kx_smtp_conf_release(&c);

	/* --identity wins over sendemail.identity */
	assert_int_equal(resolve(&c, kv + 4, "other"), 0);
	assert_string_equal(c.server, "kvmx86.example.org");
	assert_string_equal(c.user, "plainuser");
	assert_string_equal(c.identity, "other");
	kx_smtp_conf_release(&c);

	/* without kvmx86.smtpServer, the identity's server */
	{
		static const char *const kv2[] = {
			"sendemail.smtpServer", "plain.example.org",
			"sendemail.work.smtpServer", "work.example.org",
			"sendemail.identity", "work",
			NULL,
		};

		assert_int_equal(resolve(&c, kv2, NULL), 0);
		assert_string_equal(c.server, "work.example.org");
		kx_smtp_conf_release(&c);
	}
}

static void test_smtpconf__defaults(void **state)
{
	static const char *const empty[] = { NULL };
	static const char *const ssl[] = {
		"sendemail.smtpServer", "mail.example.org",
		"sendemail.smtpEncryption", "ssl", NULL,
	};
	static const char *const port[] = {
		"sendemail.smtpServer", "mail.example.org",
		"sendemail.smtpServerPort", "587", NULL,
	};
	struct kx_smtp_conf c;
	struct cfg cfg = { empty };

	(void)state;
	assert_int_equal(resolve(&c, empty, NULL), 0);
	assert_int_equal(c.kind, KX_SMTP_SERVER);
	assert_string_equal(c.server, "localhost");
	assert_int_equal(c.port, 25);
	assert_int_equal(c.tls, KX_SMTP_TLS_UNSET);
	assert_null(c.user);
	assert_null(c.pass);
	assert_null(c.identity);
	assert_int_equal(c.batch_size, 0);
	assert_true(has_origin(&c, "smtpServer=default"));
	assert_int_equal(kx_smtp_conf_check(&c), 0);
	kx_smtp_conf_release(&c);

	/* git send-email's sendmail when one is executable */
	assert_int_equal(kx_smtp_conf_resolve_with(&c, lookup, &cfg, NULL,
						   false, lib_sendmail, services), 0);
	assert_int_equal(c.kind, KX_SMTP_PROGRAM);
	assert_string_equal(c.server, "/usr/lib/sendmail");
	assert_int_equal(c.port, 0);
	kx_smtp_conf_release(&c);

	assert_int_equal(resolve(&c, ssl, NULL), 0);
	assert_int_equal(c.port, 465);
	assert_int_equal(c.tls, KX_SMTP_TLS_IMPLICIT);
	/* git send-email's smtp_host_string, for git credential */
	assert_string_equal(c.cred_host, "mail.example.org:465");
	kx_smtp_conf_release(&c);

	assert_int_equal(resolve(&c, port, NULL), 0);
	assert_int_equal(c.port, 587);
	assert_string_equal(c.cred_host, "mail.example.org:587");
	kx_smtp_conf_release(&c);
}

static void test_smtpconf__programs(void **state)
{
	static const char *const prog[] = {
		"sendemail.smtpServer", "/usr/bin/msmtp",
		"sendemail.smtpServerPort", "2525", NULL,
	};
	static const char *const cmd[] = {
		"sendemail.smtpServer", "/usr/bin/msmtp",
		"sendemail.sendmailCmd", "msmtp -a work", NULL,
	};
	struct kx_smtp_conf c;

	(void)state;
	assert_int_equal(resolve(&c, prog, NULL), 0);
	assert_int_equal(c.kind, KX_SMTP_PROGRAM);
	assert_string_equal(c.server, "/usr/bin/msmtp");
	assert_int_equal(c.port, 0);
	assert_int_equal(kx_smtp_conf_check(&c), 0);
	kx_smtp_conf_release(&c);

	/* the command wins, as in git send-email */
	assert_int_equal(resolve(&c, cmd, NULL), 0);
	assert_int_equal(c.kind, KX_SMTP_SHELL);
	assert_string_equal(c.sendmail_cmd, "msmtp -a work");
	kx_smtp_conf_release(&c);

	/* but kvmx86.smtpServer overrides sendemail.sendmailCmd */
	{
		static const char *const kv[] = {
			"kvmx86.smtpServer", "127.0.0.1",
			"sendemail.sendmailCmd", "msmtp -a work", NULL,
		};
		static const char *const both[] = {
			"kvmx86.smtpServer", "127.0.0.1",
			"kvmx86.sendmailCmd", "msmtp -a work", NULL,
		};

		assert_int_equal(resolve(&c, kv, NULL), 0);
		assert_int_equal(c.kind, KX_SMTP_SERVER);
		assert_string_equal(c.server, "127.0.0.1");
		assert_null(c.sendmail_cmd);
		kx_smtp_conf_release(&c);
		assert_int_equal(resolve(&c, both, NULL), 0);
		assert_int_equal(c.kind, KX_SMTP_SHELL);
		kx_smtp_conf_release(&c);
	}
}

static void test_smtpconf__bad_values_name_the_key(void **state)
{
	static const struct {
		const char *key, *value;
	} bad[] = {
		{ "sendemail.smtpServerPort", "0" },
		{ "sendemail.smtpServerPort", "65536" },
		{ "sendemail.smtpServerPort", "no-such-service" },
		{ "sendemail.smtpServerPort", "587x" },
		{ "sendemail.smtpServer", "mail.example.org:" },
		{ "sendemail.smtpServer", "mail.example.org:0" },
		{ "sendemail.smtpServer", "mail.example.org:no-such-service" },
		{ "sendemail.smtpServer", "[::1]:99999" },
		{ "sendemail.envelopeSender", "not an address" },
		{ "sendemail.envelopeSender", "Dev Eloper" },
		{ "sendemail.envelopeSender", "A <a@example.org>, B <b@example.org>" },
		{ "sendemail.envelopeSender", "-oQ/tmp" },
		{ "sendemail.envelopeSender", "<>" },
		{ "sendemail.smtpServerPort", "" },
		{ "sendemail.smtpServerPort", "-25" },
		{ "sendemail.smtpEncryption", "starttls" },
		{ "sendemail.smtpAuth", "plain" },
		{ "sendemail.smtpDomain", "a b" },
		{ "sendemail.smtpServer", "mail.example.org;rm" },
		{ "sendemail.smtpSSLCertPath", "" },
		{ "sendemail.smtpBatchSize", "ten" },
		{ "kvmx86.smtpServerPort", "99999" },
	};
	struct kx_smtp_conf c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *kv[] = { bad[i].key, bad[i].value, NULL };

		assert_int_equal(resolve(&c, kv, NULL), KX_EINVALID);
		assert_non_null(strstr(kx_error_last(), bad[i].key));
		kx_smtp_conf_release(&c);
	}
	{
		static const char *const kv[] = {
			"sendemail.smtpReloginDelay", "5", NULL,
		};

		assert_int_equal(resolve(&c, kv, NULL), KX_EINVALID);
		kx_smtp_conf_release(&c);
	}
}

static void test_smtpconf__batch_and_auth(void **state)
{
	static const char *const kv[] = {
		"sendemail.smtpServer", "mail.example.org",
		"sendemail.smtpUser", "tess",
		"sendemail.smtpPass", "s3cret",
		"sendemail.smtpAuth", "PLAIN LOGIN",
		"sendemail.smtpBatchSize", "10",
		"sendemail.smtpReloginDelay", "3",
		"sendemail.envelopeSender", "auto",
		"sendemail.smtpSSLCertPath", "/etc/ssl/private-ca.pem",
		NULL,
	};
	static const char *const none[] = {
		"sendemail.smtpUser", "tess",
		"sendemail.smtpAuth", "none", NULL,
	};
	struct kx_smtp_conf c;
	size_t i;

	(void)state;
	assert_int_equal(resolve(&c, kv, NULL), 0);
	assert_string_equal(c.user, "tess");
	assert_string_equal(c.pass, "s3cret");
	assert_string_equal(c.auth, "PLAIN LOGIN");
	assert_int_equal(c.batch_size, 10);
	assert_int_equal(c.relogin_delay, 3);
	assert_string_equal(c.ca_path, "/etc/ssl/private-ca.pem");
	assert_string_equal(kx_smtp_conf_envelope(&c, "t@example.com"),
			    "t@example.com");
	/* the origin names keys, never values */
	for (i = 0; i < c.origin.nr; i++)
		assert_null(strstr(c.origin.items[i], "s3cret"));
	kx_smtp_conf_release(&c);

	/* smtpAuth=none: no AUTH, as in git send-email */
	assert_int_equal(resolve(&c, none, NULL), 0);
	assert_null(c.user);
	assert_null(c.auth);
	kx_smtp_conf_release(&c);
}

static void test_smtpconf__loopback(void **state)
{
	static const char *const yes[] = {
		"localhost", "LocalHost", "127.0.0.1", "127.1.2.3",
		"127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1",
		"::ffff:127.0.0.1",
	};
	static const char *const no[] = {
		"example.org", "localhost.example.org", "128.0.0.1",
		"10.0.0.1", "192.0.2.1", "::2", "::", "fe80::1", "127.1",
		"127.0.0.1.example.org", "1.127.0.0", "", "localhostx",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(yes); i++)
		assert_true(kx_smtp_host_is_loopback(yes[i]));
	for (i = 0; i < ARRAY_SIZE(no); i++)
		assert_false(kx_smtp_host_is_loopback(no[i]));
}

static void test_smtpconf__tls_policy(void **state)
{
	static const char *const plain_remote[] = {
		"sendemail.smtpServer", "192.0.2.1",
		"sendemail.smtpEncryption", "none", NULL,
	};
	static const char *const unset_remote[] = {
		"sendemail.smtpServer", "mail.example.org", NULL,
	};
	static const char *const plain_local[] = {
		"sendemail.smtpServer", "127.0.0.1",
		"sendemail.smtpEncryption", "none", NULL,
	};
	struct kx_smtp_conf c;
	struct cfg cfg = { plain_remote };

	(void)state;
	assert_int_equal(resolve(&c, plain_remote, NULL), 0);
	assert_int_equal(kx_smtp_conf_check(&c), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "192.0.2.1"));
	assert_non_null(strstr(kx_error_last_hint(), "--smtp-insecure"));
	kx_smtp_conf_release(&c);

	assert_int_equal(kx_smtp_conf_resolve_with(&c, lookup, &cfg, NULL,
						   true, none_executable,
						   services), 0);
	assert_true(c.insecure);
	assert_int_equal(kx_smtp_conf_check(&c), 0);
	kx_smtp_conf_release(&c);

	/* unset: STARTTLS required, which the transport enforces */
	assert_int_equal(resolve(&c, unset_remote, NULL), 0);
	assert_int_equal(kx_smtp_conf_check(&c), 0);
	kx_smtp_conf_release(&c);

	assert_int_equal(resolve(&c, plain_local, NULL), 0);
	assert_int_equal(kx_smtp_conf_check(&c), 0);
	kx_smtp_conf_release(&c);
}

static void test_smtpconf__server_with_port(void **state)
{
	static const char *const host_port[] = {
		"sendemail.smtpServer", "127.0.0.1:2525", NULL,
	};
	static const char *const both[] = {
		"sendemail.smtpServerPort", "587",
		"kvmx86.smtpServer", "mail.example.org:2525", NULL,
	};
	static const char *const v6[] = {
		"sendemail.smtpServer", "[::1]:2525", NULL,
	};
	static const char *const bare_v6[] = {
		"sendemail.smtpServer", "::1", NULL,
	};
	static const char *const named[] = {
		"sendemail.smtpServer", "mail.example.org:submission", NULL,
	};
	static const char *const both_bad[] = {
		"sendemail.smtpServer", "mail.example.org:2525",
		"sendemail.smtpServerPort", "nope-nope", NULL,
	};
	struct kx_smtp_conf c;

	(void)state;
	assert_int_equal(resolve(&c, host_port, NULL), 0);
	assert_int_equal(c.kind, KX_SMTP_SERVER);
	assert_string_equal(c.server, "127.0.0.1");
	assert_int_equal(c.port, 2525);
	/* as git: the server as given, then the port it defaults to */
	assert_string_equal(c.cred_host, "127.0.0.1:2525:25");
	assert_true(has_origin(&c, "smtpServerPort=sendemail.smtpServer"));
	kx_smtp_conf_release(&c);

	/* git send-email: Net::SMTP's socket takes the host's port */
	assert_int_equal(resolve(&c, both, NULL), 0);
	assert_string_equal(c.server, "mail.example.org");
	assert_int_equal(c.port, 2525);
	assert_true(has_origin(&c, "smtpServerPort=kvmx86.smtpServer"));
	assert_false(has_origin(&c, "smtpServerPort=sendemail.smtpServerPort"));
	kx_smtp_conf_release(&c);

	assert_int_equal(resolve(&c, v6, NULL), 0);
	assert_string_equal(c.server, "[::1]");
	assert_int_equal(c.port, 2525);
	assert_true(kx_smtp_host_is_loopback(c.server));
	kx_smtp_conf_release(&c);

	assert_int_equal(resolve(&c, bare_v6, NULL), 0);
	assert_string_equal(c.server, "::1");
	assert_int_equal(c.port, 25);
	kx_smtp_conf_release(&c);

	assert_int_equal(resolve(&c, named, NULL), 0);
	assert_string_equal(c.server, "mail.example.org");
	assert_int_equal(c.port, 587);
	kx_smtp_conf_release(&c);

	/* the port given twice: a bad one still names its key */
	assert_int_equal(resolve(&c, both_bad, NULL), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "sendemail.smtpServerPort"));
	kx_smtp_conf_release(&c);
}

static void test_smtpconf__symbolic_port(void **state)
{
	static const char *const kv[] = {
		"sendemail.smtpServer", "mail.example.org",
		"sendemail.smtpServerPort", "submission", NULL,
	};
	struct kx_smtp_conf c;

	(void)state;
	assert_int_equal(resolve(&c, kv, NULL), 0);
	assert_int_equal(c.port, 587);
	assert_true(has_origin(&c, "smtpServerPort=sendemail.smtpServerPort"));
	kx_smtp_conf_release(&c);
}

static void test_smtpconf__envelope_sender(void **state)
{
	static const struct {
		const char *value, *want;
	} ok[] = {
		{ "Dev Eloper <dev@devel.example.org>", "dev@devel.example.org" },
		{ "\"Eloper, Dev\" <dev@devel.example.org>", "dev@devel.example.org" },
		{ "<dev@devel.example.org>", "dev@devel.example.org" },
		{ " dev@devel.example.org ", "dev@devel.example.org" },
		/* git's extract_valid_address(): a local address */
		{ "dev", "dev" },
		{ "auto", "auto" },
		{ "AUTO", "auto" },
	};
	struct kx_smtp_conf c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		const char *kv[] = {
			"sendemail.smtpServer", "mail.example.org",
			"sendemail.envelopeSender", ok[i].value, NULL,
		};

		assert_int_equal(resolve(&c, kv, NULL), 0);
		assert_string_equal(c.envelope_sender, ok[i].want);
		kx_smtp_conf_release(&c);
	}
	{
		static const char *const kv[] = {
			"sendemail.envelopeSender", "Dev <dev@devel.example.org>",
			NULL,
		};

		assert_int_equal(resolve(&c, kv, NULL), 0);
		assert_string_equal(kx_smtp_conf_envelope(&c, "from@example.org"),
				    "dev@devel.example.org");
		kx_smtp_conf_release(&c);
	}
}

/* sendemail.confirm as git send-email takes it, the identity's first. */
static void test_smtpconf__confirm(void **state)
{
	static const struct {
		const char *value;
		enum kx_confirm want;
	} ok[] = {
		{ "always", KX_CONFIRM_AUTO }, { "auto", KX_CONFIRM_AUTO },
		{ "cc", KX_CONFIRM_AUTO }, { "never", KX_CONFIRM_NEVER },
		{ "compose", KX_CONFIRM_NEVER },
	};
	struct kx_smtp_conf c;
	size_t i;

	(void)state;
	{
		static const char *const kv[] = { NULL };

		assert_int_equal(resolve(&c, kv, NULL), 0);
		assert_int_equal(c.confirm, KX_CONFIRM_UNSET);
		kx_smtp_conf_release(&c);
	}
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		const char *kv[] = { "sendemail.confirm", ok[i].value, NULL };

		assert_int_equal(resolve(&c, kv, NULL), 0);
		assert_int_equal(c.confirm, ok[i].want);
		kx_smtp_conf_release(&c);
	}
	{
		static const char *const kv[] = {
			"sendemail.confirm", "never",
			"sendemail.work.confirm", "always", NULL,
		};

		assert_int_equal(resolve(&c, kv, "work"), 0);
		assert_int_equal(c.confirm, KX_CONFIRM_AUTO);
		kx_smtp_conf_release(&c);
	}
	{
		static const char *const kv[] = { "sendemail.confirm", "sometimes", NULL };

		assert_int_equal(resolve(&c, kv, NULL), KX_EINVALID);
		assert_non_null(strstr(kx_error_last(), "'sendemail.confirm'"));
		kx_smtp_conf_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smtpconf__confirm),
		cmocka_unit_test(test_smtpconf__precedence),
		cmocka_unit_test(test_smtpconf__defaults),
		cmocka_unit_test(test_smtpconf__programs),
		cmocka_unit_test(test_smtpconf__bad_values_name_the_key),
		cmocka_unit_test(test_smtpconf__batch_and_auth),
		cmocka_unit_test(test_smtpconf__loopback),
		cmocka_unit_test(test_smtpconf__tls_policy),
		cmocka_unit_test(test_smtpconf__server_with_port),
		cmocka_unit_test(test_smtpconf__symbolic_port),
		cmocka_unit_test(test_smtpconf__envelope_sender),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
