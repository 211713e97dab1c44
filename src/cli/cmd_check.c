/* flopgate check: placeholder until the command lands. */
#include <stdio.h>

#include "cli.h"

int fg_cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("flopgate: `check` is not available in this build\n", stderr);
	return FG_EXIT_INPUT;
}
