// SPDX-License-Identifier: GPL-2.0
/* mbmsctl entry point; everything else is testable without main(). */
#include "cli.h"

int main(int argc, char **argv)
{
	return mbmsctl_main(argc, argv);
}
