/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of `ctoffload`, one file each. */
#ifndef _CTO_COMMANDS_H
#define _CTO_COMMANDS_H

int cmd_sysctl(int argc, char **argv);
int cmd_clock(int argc, char **argv);
int cmd_flowtable(int argc, char **argv);
int cmd_steering(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
