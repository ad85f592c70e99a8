/* SPDX-License-Identifier: ISC */
/* Unit tests for the control commands' one list (vdpd/ctl/ctl_commands.h):
 * every command in it is dispatched by the interpreter, listed by `help`
 * (text and JSON) and by the unknown-command error, printed by `vdpctl
 * --help`, and documented in man/vdpctl.8; and every answer, text `help`
 * and `version` included, carries the format version.  A command added to
 * the list but missed in one of those places fails here.
 *
 * MAN_VDPCTL names the man page; the test runs from the build directory
 * (tools/vdpctl/vdpctl, or $VDPCTL).
 */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "ctl/ctl_commands.h"
#include "ctl/ctl_proto.h"
#include "log.h"
#include "core/vdpd.h"

struct command {
	const char *name, *args, *help;
};

static const struct command commands[] = {
#define CTL_ENTRY(id, name, args, help) {name, args, help},
    CTL_COMMANDS(CTL_ENTRY)
#undef CTL_ENTRY
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static struct vdpd d;
static struct strbuf out = STRBUF_INIT;

static void setup(void)
{
	struct conf c;
	char err[256];
	log_open("check_ctl_commands", true, LOG_ERR);
	conf_defaults(&c);
	snprintf(c.bridge, sizeof(c.bridge), "br0");
	c.nports = 1;
	snprintf(c.ports[0].name, IFNAMSIZ, "p0");
	c.nranges = 1;
	c.pool[0] = (struct conf_range){100, 199};
	ck_assert_msg(vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
}

static void teardown(void)
{
	vdpd_fini(&d);
	sb_free(&out);
}

static const char *run(const char *req)
{
	ctl_exec(&d, req, 0, &out);
	return sb_str(&out);
}

/* "NAME ARGS..." with each placeholder replaced by "x". */
static void request_of(const struct command *c, bool json, char *buf, size_t cap)
{
	size_t off = (size_t)snprintf(buf, cap, "%s", c->name);
	for (const char *p = c->args; *p; p++)
		if (*p != ' ' && (p == c->args || p[-1] == ' '))
			off += (size_t)snprintf(buf + off, cap - off, " x");
	snprintf(buf + off, cap - off, "%s", json ? " json" : "");
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

START_TEST(every_command_dispatches)
{
	char req[128], end[64];
	snprintf(end, sizeof(end), ",\"format_version\":%d}\n", CTL_FORMAT_VERSION);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		request_of(&commands[i], false, req, sizeof(req));
		const char *a = run(req);
		ck_assert_msg(!strstr(a, "unknown command") && !strstr(a, "usage:"), "%s: %s", req,
		              a);
		/* Every JSON answer, a refusal too ("x" is no VSIID, no port),
		 * ends with the format version. */
		request_of(&commands[i], true, req, sizeof(req));
		a = run(req);
		ck_assert_msg(a[0] == '{' && ends_with(a, end), "%s: %s", req, a);
	}
}
END_TEST

START_TEST(wrong_word_counts_get_usage)
{
	char req[128], want[160];
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		if (strchr(c->name, ' '))
			continue; /* "show" alone names several commands: see below */
		snprintf(req, sizeof(req), "%s%s", c->name, *c->args ? "" : " extra");
		snprintf(want, sizeof(want), "error: usage: %s%s%s\n", c->name, *c->args ? " " : "",
		         c->args);
		ck_assert_str_eq(run(req), want);
	}
	ck_assert(strstr(run("show"), "unknown command 'show'; try: "));
}
END_TEST

START_TEST(unknown_command_lists_every_command)
{
	const char *a = run("frobnicate");
	ck_assert(strncmp(a, "error: unknown command 'frobnicate'; try: ", 42) == 0);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i].name, *sp = strchr(name, ' ');
		char item[64];
		/* "show ports|vsis|...": each command's last name word is there. */
		snprintf(item, sizeof(item), "%s%s%s", sp ? sp + 1 : name,
		         *commands[i].args ? " " : "", commands[i].args);
		ck_assert_msg(strstr(a, item), "%s missing from: %s", item, a);
	}
}
END_TEST

START_TEST(help_text_and_json)
{
	char line[256];
	const char *a = run("help");
	ck_assert(strncmp(a, "COMMAND", 7) == 0);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		ck_assert_msg(strstr(a, commands[i].name), "%s", commands[i].name);
		ck_assert_msg(strstr(a, commands[i].help), "%s", commands[i].help);
	}
	snprintf(line, sizeof(line), "\nformat-version: %d\n", CTL_FORMAT_VERSION);
	ck_assert_msg(ends_with(a, line), "%s", a);

	a = run("help json");
	ck_assert(strncmp(a, "{\"commands\":[{\"name\":\"", 22) == 0);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		snprintf(line, sizeof(line),
		         "{\"name\":\"%s\",\"arguments\":[%s%s%s],\"help\":\"%s\"}", c->name,
		         *c->args ? "\"" : "", c->args, *c->args ? "\"" : "", c->help);
		ck_assert_msg(strstr(a, line), "%s missing from: %s", line, a);
	}
}
END_TEST

START_TEST(version_text_and_json)
{
	char want[128];
	snprintf(want, sizeof(want), "version: %s\nformat-version: %d\n", PACKAGE_VERSION,
	         CTL_FORMAT_VERSION);
	ck_assert_str_eq(run("version"), want);
	snprintf(want, sizeof(want), "{\"version\":\"%s\",\"format_version\":%d}\n",
	         PACKAGE_VERSION, CTL_FORMAT_VERSION);
	ck_assert_str_eq(run("version json"), want);
}
END_TEST

/* The daemon's default socket (its configuration's) is the one vdpctl
 * asks by default (the protocol's): conf/ may not include ctl/, so the two
 * constants are tied here. */
START_TEST(default_socket_agrees)
{
	ck_assert_str_eq(CONF_DEFAULT_CTL_PATH, CTL_SOCKET_DEFAULT);
}
END_TEST

/* --- vdpctl --help and vdpctl(8) --------------------------------------- */

static char *slurp_cmd(const char *bin, const char *arg)
{
	static char buf[16384];
	int p[2], status;
	size_t len = 0;
	ssize_t n;
	ck_assert_msg(access(bin, X_OK) == 0, "%s not built", bin);
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(bin, bin, arg, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (len + 1 < sizeof(buf) && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return buf;
}

START_TEST(vdpctl_help_lists_every_command)
{
	const char *bin = getenv("VDPCTL") ? getenv("VDPCTL") : "tools/vdpctl/vdpctl";
	const char *help = slurp_cmd(bin, "--help");
	char line[160], cmd[64];
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		snprintf(cmd, sizeof(cmd), "%s%s%s", commands[i].name, *commands[i].args ? " " : "",
		         commands[i].args);
		snprintf(line, sizeof(line), "\n  %-20s %s\n", cmd, commands[i].help);
		ck_assert_msg(strstr(help, line), "'%s' missing from vdpctl --help:\n%s", line,
		              help);
	}
}
END_TEST

/* Each command has its own section, ".SS NAME" (arguments follow in the
 * man page's own markup). */
START_TEST(man_page_lists_every_command)
{
	FILE *f = fopen(MAN_VDPCTL, "r");
	static char man[1 << 17];
	char want[80];
	ck_assert_msg(f != NULL, "%s", MAN_VDPCTL);
	size_t n = fread(man, 1, sizeof(man) - 1, f);
	man[n] = '\0';
	fclose(f);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i].name;
		snprintf(want, sizeof(want), "\n.SS %s%s", name, *commands[i].args ? " " : "\n");
		ck_assert_msg(strstr(man, want), "vdpctl(8) has no section '.SS %s'", name);
	}
	ck_assert_msg(strstr(man, "\n.SH STABILITY\n"), "vdpctl(8) has no STABILITY section");
}
END_TEST

static Suite *commands_suite(void)
{
	Suite *s = suite_create("ctl-commands");
	TCase *tc = tcase_create("interpreter");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_command_dispatches);
	tcase_add_test(tc, wrong_word_counts_get_usage);
	tcase_add_test(tc, unknown_command_lists_every_command);
	tcase_add_test(tc, help_text_and_json);
	tcase_add_test(tc, version_text_and_json);
	tcase_add_test(tc, default_socket_agrees);
	suite_add_tcase(s, tc);
	tc = tcase_create("documents");
	tcase_add_test(tc, vdpctl_help_lists_every_command);
	tcase_add_test(tc, man_page_lists_every_command);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(commands_suite());
	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
