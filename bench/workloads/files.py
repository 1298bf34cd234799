# A syscall-heavy file workload: create, stat, read and remove N files (absolute paths).
import os
import sys

d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
names = [os.path.join(d, f"f{i}.txt") for i in range(n)]
for p in names:
    with open(p, "w") as f:
        f.write("x" * 100)
for p in names:
    os.stat(p)
for p in names:
    with open(p) as f:
        f.read()
for p in names:
    os.unlink(p)
