/* main.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include <stdio.h>
int main(void) { fputs("chokepoint: not built yet\n", stderr); return 1; }
