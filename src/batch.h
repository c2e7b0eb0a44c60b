/* Line mode: the engine with no curses, lines from standard input (batch.c). */
#ifndef BATCH_H
#define BATCH_H

#include "opts.h"
#include "outcome.h"

/* Run one session in line mode; *out says how it ended. */
void	batch_main(struct opts *, struct outcome *out);

#endif
