/* Allocation wrappers that never return NULL: on failure they print and exit. */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Wipe len bytes at p (the compiler may not elide it). */
void	 xwipe(void *p, size_t len);
/* Wipe then free a buffer that held a secret; NULL is fine. */
void	 xfree_secret(void *p, size_t len);
/* Same for a NUL-terminated string. */
void	 xfree_secret_str(char *s);

#endif
