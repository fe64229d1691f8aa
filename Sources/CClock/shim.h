/* adjtimex and struct timex, which Swift's Glibc module does not import (sys/timex.h). */
#include <sys/timex.h>
