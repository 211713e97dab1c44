/* SPDX-License-Identifier: Apache-2.0 */
/* flopgate benchmark helper: the CPU time and peak memory of a command,
 * from the kernel's accounting of the child (wait4), not from a wall
 * clock: the machine is shared, and wall time measures the neighbours.
 *
 *   measure [-n N] [-o OUT] [-e ERR] [-x MAXSTATUS] -- CMD ARG...
 *
 * Runs CMD N times (default 1), one after another, with stdin from
 * /dev/null, stdout to OUT and stderr to ERR (default /dev/null both).
 * Prints one line:
 *
 *   user=U sys=S cpu=C maxrss_kib=M runs=N status=X
 *
 * U, S and C (= U + S) are seconds summed over the N runs, to the
 * microsecond; M is the largest peak resident set of any run; X the last
 * exit status.  Fails (exit 1) when a run exits above MAXSTATUS (default
 * 0: a gate that may fail passes -x 1) or is killed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0666);

	if (f < 0 || dup2(f, fd) < 0)
		return -1;
	close(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char *out = "/dev/null", *errpath = "/dev/null";
	long n = 1, i, max_status = 0;
	double user = 0, sys = 0;
	long maxrss = 0;
	int status = 0, opt;

	while ((opt = getopt(argc, argv, "n:o:e:x:")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 'o': out = optarg; break;
		case 'e': errpath = optarg; break;
		case 'x': max_status = atol(optarg); break;
		default: goto usage;
		}
	}
	if (optind >= argc || n < 1)
		goto usage;
	for (i = 0; i < n; i++) {
		struct rusage ru;
		pid_t pid = fork();

		if (pid < 0) {
			perror("measure: fork");
			return 1;
		}
		if (pid == 0) {
			if (redirect("/dev/null", 0, O_RDONLY) ||
			    redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC) ||
			    redirect(errpath, 2, O_WRONLY | O_CREAT | O_TRUNC))
				_exit(127);
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) != pid) {
			perror("measure: wait4");
			return 1;
		}
		user += seconds(ru.ru_utime);
		sys += seconds(ru.ru_stime);
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (!WIFEXITED(status) || WEXITSTATUS(status) > max_status) {
			fprintf(stderr, "measure: %s %s\n", argv[optind],
				WIFEXITED(status) ? "failed" : "was killed");
			printf("user=%.6f sys=%.6f cpu=%.6f maxrss_kib=%ld "
			       "runs=%ld status=%d\n", user, sys, user + sys,
			       maxrss, i + 1, WIFEXITED(status)
			       ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			return 1;
		}
	}
	printf("user=%.6f sys=%.6f cpu=%.6f maxrss_kib=%ld runs=%ld "
	       "status=%d\n", user, sys, user + sys, maxrss, n,
	       WEXITSTATUS(status));
	return 0;
usage:
	fputs("usage: measure [-n N] [-o OUT] [-e ERR] [-x MAXSTATUS] -- CMD "
	      "ARG...\n", stderr);
	return 2;
}
