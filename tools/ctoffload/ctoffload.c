// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload - the command-line client of ctoffloadd.
 *
 *   ctoffload [-n NAME] exec CMD [ARGS...]
 *   ctoffload [-n NAME] sysctl ...
 *   ctoffload [-n NAME] clock ...
 *   ctoffload [-n NAME] flowtable [-j]
 *   ctoffload [-n NAME] steering [show] [-j] | dot
 *   ctoffload [-n NAME] trace [-j | -v] [--commit] in_port DEV [FLOWER-KEYS... | --pcap FILE]
 *   ctoffload [-n NAME] trace --live DEV [--count N] [--timeout S] [-j | -v] [FLOWER-KEYS...]
 *   ctoffload [-n NAME] explain filter dev DEV [chain C] [prio P] [-j]
 *   ctoffload [-n NAME] explain conn [zone Z] [proto P] [src A] [dst B] [sport P] [dport Q] | --all
 *
 * `exec` runs an unmodified netlink client (tc, ip, conntrack) against the
 * daemon NAME: it preloads the netlink shim (tools/lib/nlshim.c), which sits
 * next to this executable, and hands it the daemon's socket in
 * CTOFFLOAD_SOCK.  Subcommands live in one table, so adding one is adding a
 * function and a line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uapi/ctoffload/nlshim.h>
#include "cto_nl.h"
#include "commands.h"

#define CTO_SHIM_NAME		"libctoffload-nlshim.so"
#define CTO_RUNDIR_ENV		"CTOFFLOAD_RUNDIR"
#define CTO_DEFAULT_NAME	"default"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

/* The daemon instance the subcommands talk to, from -n. */
const char *daemon_name = CTO_DEFAULT_NAME;

static int cmd_exec(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "exec", cmd_exec,
	  "exec CMD [ARGS...]  run CMD with its netlink sent to the daemon" },
	{ "sysctl", cmd_sysctl,
	  "sysctl [-n] [-w] NAME[=VALUE]... | -a   the daemon's tunables, as sysctl(8)" },
	{ "clock", cmd_clock,
	  "clock [show | virtual | advance DURATION]   the daemon's clock (tests)" },
	{ "flowtable", cmd_flowtable,
	  "flowtable [-j]      every zone's act_ct flowtable entries" },
	{ "steering", cmd_steering,
	  "steering [show] [-j] | dot   the eswitch model's tables, FTEs and counters" },
	{ "trace", cmd_trace,
	  "trace [-j | -v] [--commit] in_port DEV [FLOWER-KEYS...]\n"
	  "  trace [-j | -v] [--commit] in_port DEV --pcap FILE [--index N]\n"
	  "                      a packet through the datapath, stage by stage (dry run\n"
	  "                      unless --commit); keys as tc flower takes them\n"
	  "  trace --live DEV [--count N] [--timeout SECONDS] [-j | -v] [FLOWER-KEYS...]\n"
	  "                      the next N real packets entering DEV that match the keys\n"
	  "                      (`ctoffload trace help` lists the keys); -v: the\n"
	  "                      steering's internal ids too" },
	{ "explain", cmd_explain,
	  "explain filter dev DEV [chain C] [prio P] [-j]\n"
	  "  explain conn [zone Z] [proto P] [src A] [dst B] [sport P] [dport Q] [-j]\n"
	  "  explain conn --all [-j]\n"
	  "                      whether a filter or connection is in hardware, and why not" },
	{ "help", cmd_help,
	  "help                this text" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: ctoffload [-n NAME] COMMAND [ARGS...]\n"
		"  -n, --name NAME     daemon instance (default \"%s\")\n"
		"  -h, --help          this text\n"
		"Commands:\n", CTO_DEFAULT_NAME);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(out, "  %s\n", cmds[i].help);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

/* $CTOFFLOAD_RUNDIR/NAME.sock, the path ctoffloadd listens on. */
int daemon_sock_path(char *buf, size_t size)
{
	const char *rundir = getenv(CTO_RUNDIR_ENV);
	int n;

	if (!rundir || !*rundir)
		rundir = CTO_RUNDIR_DEFAULT;
	n = snprintf(buf, size, "%s/%s.sock", rundir, daemon_name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* The shim is installed beside us, wherever the build or package put us. */
static int shim_path(char *buf, size_t size)
{
	char exe[PATH_MAX];
	int n;

	if (!realpath("/proc/self/exe", exe))
		return -errno;
	n = snprintf(buf, size, "%s/%s", dirname(exe), CTO_SHIM_NAME);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* Ours goes first so that it wraps whatever else the caller preloads. */
static int preload_shim(const char *shim)
{
	const char *old = getenv("LD_PRELOAD");
	char *val;
	int err;

	if (!old || !*old)
		return setenv("LD_PRELOAD", shim, 1) ? -errno : 0;
	if (asprintf(&val, "%s:%s", shim, old) < 0)
		return -ENOMEM;
	err = setenv("LD_PRELOAD", val, 1) ? -errno : 0;
	free(val);
	return err;
}

static int cmd_exec(int argc, char **argv)
{
	char sock[PATH_MAX], shim[PATH_MAX];
	struct stat st;
	int err;

	if (argc < 2) {
		fprintf(stderr, "ctoffload: exec needs a command\n");
		return 2;
	}
	err = daemon_sock_path(sock, sizeof(sock));
	if (err) {
		fprintf(stderr, "ctoffload: socket path too long\n");
		return 1;
	}
	if (stat(sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "ctoffload: daemon '%s' is not running (no %s)\n",
			daemon_name, sock);
		return 1;
	}
	err = shim_path(shim, sizeof(shim));
	if (!err && access(shim, R_OK) < 0)
		err = -errno;
	if (err) {
		fprintf(stderr, "ctoffload: cannot find the netlink shim %s: %s\n",
			shim, strerror(-err));
		return 1;
	}
	if (setenv(CTO_ENV_SOCK, sock, 1) < 0 || preload_shim(shim) < 0) {
		fprintf(stderr, "ctoffload: cannot set environment: %s\n",
			strerror(errno));
		return 1;
	}

	execvp(argv[1], argv + 1);
	fprintf(stderr, "ctoffload: cannot run %s: %s\n", argv[1],
		strerror(errno));
	return 127;
}

static const struct cmd *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const struct cmd *cmd;
	int c;

	/* '+': stop at the subcommand, its arguments are not ours */
	while ((c = getopt_long(argc, argv, "+n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!*optarg || strchr(optarg, '/')) {
				fprintf(stderr, "ctoffload: bad daemon name '%s'\n",
					optarg);
				return 2;
			}
			daemon_name = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = cmd_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "ctoffload: unknown command '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	return cmd->fn(argc - optind, argv + optind);
}
