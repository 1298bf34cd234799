# Writes a C file with N small functions: a build that takes gcc -O2 a second or more.
import sys

n = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
with open(sys.argv[1], "w") as f:
    f.write("#include <string.h>\n#include <stdlib.h>\n")
    for i in range(n):
        f.write(
            f"int fn{i}(const char *s, int k) {{ int h = {i}; for (int j = 0; s[j]; j++) "
            f"h = h * 31 + s[j] * (k ^ {i}); if (h % 7 == {i % 7}) h += (int)strlen(s); return h; }}\n"
        )
    f.write("int main(int argc, char **argv) { int t = 0;\n")
    for i in range(0, n, 50):
        f.write(f" t += fn{i}(argv[0], argc);\n")
    f.write(" return t & 1; }\n")
