/* flopgate hardware: placeholder until the command lands. */
#include <stdio.h>

#include "cli.h"

int fg_cmd_hardware(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("flopgate: `hardware` is not available in this build\n", stderr);
	return FG_EXIT_INPUT;
}
