/* The process the indirect-function probe test traces: waits for a line on stdin (so the test can attach first),
 * then calls strlen(), an indirect function (STT_GNU_IFUNC) of the C library, `count` times through its PLT entry,
 * and prints the total length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 1;
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return 1;
    size_t total = 0;
    for (int i = 0; i < count; i++)
        total += strlen(argv[i % argc]);
    printf("%zu\n", total);
    return 0;
}
