/* flopgate rules: placeholder until the command lands. */
#include <stdio.h>

#include "cli.h"

int fg_cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("flopgate: `rules` is not available in this build\n", stderr);
	return FG_EXIT_INPUT;
}
