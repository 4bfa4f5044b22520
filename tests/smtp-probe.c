// SPDX-License-Identifier: GPL-2.0-only
/*
 * smtp-probe: drives the delivery code (include/kvmx86/smtp.h) from the
 * command line, for the integration tests (tests/integration/t-smtp-*.sh)
 * and the end-to-end tests of `kvmx86 send`.  Not installed.
 *
 *   smtp-probe [-C DIR] [--identity ID] [--insecure] [--from ADDR]
 *              [--keep-going] --to ADDR [--to ADDR...] FILE...
 *   smtp-probe [-C DIR] [--identity ID] [--insecure] --conf
 *
 * Reads the git configuration of the repository at DIR (default: the
 * current directory), resolves where the mails go, opens a session and
 * sends each FILE (a whole mail, LF line ends) from the envelope sender
 * (sendemail.envelopeSender, or else ADDR, the From address, default
 * probe@example.com) to the --to addresses, printing one line per mail:
 *
 *   <FILE> accepted|refused|unknown|failed [refused=<addr>] [reply=<text>]
 *
 * and errors as "error: ..." and "hint: ..." on stderr.  --conf prints the
 * resolved configuration instead (never the password).  A mail not
 * accepted stops the run, as `kvmx86 send` stops, unless --keep-going.  Exit: 0 every mail accepted,
 * 1 an error or a mail not accepted, 129 usage.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/smtp.h"
#include "kvmx86/util.h"
#include "../lib/io/io.h"

enum {
	OPT_IDENTITY = 0x100, OPT_INSECURE, OPT_FROM, OPT_TO, OPT_CONF,
	OPT_KEEP_GOING,
};

static int usage(void)
{
	fputs("usage: smtp-probe [-C DIR] [--identity ID] [--insecure] "
	      "[--from ADDR] [--keep-going] --to ADDR... FILE...\n"
	      "       smtp-probe [-C DIR] [--identity ID] [--insecure] "
	      "--conf\n", stderr);
	return 129;
}

static int report(void)
{
	const char *hint = kx_error_last_hint();

	fprintf(stderr, "error: %s\n", kx_error_last());
	if (*hint)
		fprintf(stderr, "hint: %s\n", hint);
	return 1;
}

static const char *const kinds[] = { "server", "program", "shell" };
static const char *const tlses[] = { "unset", "starttls", "ssl", "none" };
static const char *const outcomes[] = {
	"accepted", "refused", "unknown", "failed",
};

static void print_conf(const struct kx_smtp_conf *c)
{
	size_t i;

	printf("kind %s\n", kinds[c->kind]);
	printf("server %s\n", c->server ? c->server : "");
	if (c->sendmail_cmd)
		printf("sendmail_cmd %s\n", c->sendmail_cmd);
	printf("port %u\n", c->port);
	printf("tls %s\n", tlses[c->tls]);
	printf("user %s\n", c->user ? c->user : "");
	printf("pass %s\n", c->pass ? "(set)" : "");
	printf("auth %s\n", c->auth ? c->auth : "");
	printf("domain %s\n", c->domain ? c->domain : "");
	printf("envelope_sender %s\n",
	       c->envelope_sender ? c->envelope_sender : "");
	printf("ca_path %s\n", c->ca_path ? c->ca_path : "");
	printf("batch_size %u\n", c->batch_size);
	printf("relogin_delay %u\n", c->relogin_delay);
	printf("identity %s\n", c->identity ? c->identity : "");
	for (i = 0; i < c->origin.nr; i++)
		printf("origin %s\n", c->origin.items[i]);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "identity", required_argument, NULL, OPT_IDENTITY },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "conf", no_argument, NULL, OPT_CONF },
		{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
		{ NULL, 0, NULL, 0 },
	};
	struct kx_smtp_conf conf = { 0 };
	struct kx_strlist to = KX_STRLIST_INIT;
	const char *dir = ".", *identity = NULL, *from = NULL;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct kx_smtp *s = NULL;
	bool insecure = false, show = false, keep_going = false;
	int c, rc = 0, error;

	while ((c = getopt_long(argc, argv, "C:", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
			dir = optarg;
			break;
		case OPT_IDENTITY:
			identity = optarg;
			break;
		case OPT_INSECURE:
			insecure = true;
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			kx_strlist_add(&to, optarg);
			break;
		case OPT_CONF:
			show = true;
			break;
		case OPT_KEEP_GOING:
			keep_going = true;
			break;
		default:
			return usage();
		}
	}
	if (!show && (!to.nr || optind >= argc)) {
		kx_strlist_release(&to);
		return usage();
	}
	git_libgit2_init();
	if ((error = kx_git(git_repository_open_ext(&repo, dir, 0, NULL))) < 0 ||
	    (error = kx_git(git_repository_config_snapshot(&cfg, repo))) < 0) {
		rc = report();
		goto done;
	}
	if (kx_smtp_conf_resolve(&conf, kx_config_lookup, cfg, identity,
				 insecure) < 0) {
		rc = report();
		goto done;
	}
	if (show) {
		print_conf(&conf);
		goto done;
	}
	/* as kvmx86 send does: envelopeSender, unless unset or "auto" */
	from = kx_smtp_conf_envelope(&conf, from ? from : "probe@example.com");
	if (kx_smtp_open(&s, &conf, git_repository_path(repo)) < 0) {
		rc = report();
		goto done;
	}
	for (; optind < argc; optind++) {
		struct kx_smtp_result res = { 0 };
		char *msg = NULL;
		size_t len = 0;

		if (kx_file_read(&msg, &len, argv[optind], 64 << 20) < 0) {
			rc = report();
			break;
		}
		error = kx_smtp_send(s, from, (const char *const *)to.items,
				     to.nr, msg, len, &res);
		printf("%s %s", argv[optind], outcomes[res.outcome]);
		if (res.refused)
			printf(" refused=%s", res.refused);
		if (res.reply)
			printf(" reply=%s", res.reply);
		putchar('\n');
		fflush(stdout);
		free(msg);
		if (error < 0)
			report();
		if (res.outcome != KX_SMTP_ACCEPTED)
			rc = 1;
		kx_smtp_result_release(&res);
		if (rc && !keep_going)
			break;
	}
done:
	kx_smtp_close(s);
	kx_smtp_conf_release(&conf);
	kx_strlist_release(&to);
	git_config_free(cfg);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
