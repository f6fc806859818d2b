#include "shell.h"

#include <stdio.h>

int shell_run(const ShellOptions *opts, Deck *deck)
{
    (void)opts;
    deck_free(deck);
    fprintf(stderr, "kiosk: the display shell is not built yet\n");
    return 3;
}
