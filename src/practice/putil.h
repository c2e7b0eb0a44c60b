/* Small helpers shared by the practice server: memory, time, logging, files. */
#ifndef PUTIL_H
#define PUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The program name used as a prefix on every message on standard error. */
#define PUTIL_PROGNAME "smtpcon-practice"

/*
 * Allocation wrappers that never return NULL: on failure they print a
 * message and exit with status 1.
 */
void	*putil_malloc(size_t);
void	*putil_calloc(size_t, size_t);
void	*putil_reallocarray(void *, size_t, size_t);
char	*putil_strdup(const char *);
char	*putil_strndup(const char *, size_t);
char	*putil_asprintf(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
char	*putil_vasprintf(const char *, va_list)
	    __attribute__((format(printf, 1, 0)));

/* Wipe len bytes at p (the compiler may not elide it); NULL is fine. */
void	 putil_wipe(void *p, size_t len);
/* Wipe then free a NUL-terminated string that held a secret; NULL is fine. */
void	 putil_free_secret(char *s);

/* Milliseconds on the monotonic clock. */
int64_t	 putil_now_ms(void);

/*
 * When set, putil_log is silent; putil_warn always prints.  Set once by
 * main before anything is logged.
 */
extern int putil_quiet;

/* Print "smtpcon-practice: " and the message with a newline on stderr. */
void	 putil_log(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 putil_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copy at most max bytes of src into a new string that is safe to print:
 * control characters, DEL and bytes above 0x7e become \xNN (tab stays).
 * Longer input is cut and ends with "...".  The caller frees the result.
 */
char	*putil_vis(const char *src, size_t len, size_t max);

/*
 * Create dir and its missing parents with the given mode.  Returns 0, or -1
 * with *errstr allocated (the caller frees it).
 */
int	 putil_mkdirs(const char *dir, int mode, char **errstr);

/*
 * Write len bytes to path atomically: a temporary file in the same
 * directory, created with mode, synced, then renamed over path.  Returns
 * 0, or -1 with *errstr allocated.
 */
int	 putil_write_file(const char *path, const void *data, size_t len,
	    int mode, char **errstr);

/* The host name, made safe for a Maildir file name ('/' and ':' escaped). */
char	*putil_hostname(void);

#endif
