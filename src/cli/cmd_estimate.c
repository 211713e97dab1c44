/* flopgate estimate: placeholder until the command lands. */
#include <stdio.h>

#include "cli.h"

int fg_cmd_estimate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("flopgate: `estimate` is not available in this build\n", stderr);
	return FG_EXIT_INPUT;
}
