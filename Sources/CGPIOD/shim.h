/* libgpiod as pkg-config's libgpiod names it (1.6 or 2.x). This system library carries the
 * include path and the link; only CGPIOShim includes it, and Swift code calls only CGPIOShim. */
#include <gpiod.h>
