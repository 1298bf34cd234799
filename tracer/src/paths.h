/* paths.h — turn a path as a process gave it into the absolute, normalised path whittle
 * records: relative paths joined to the process's cwd or dirfd, "." and ".." and symlinks
 * resolved inside the process's root, the workload's own /proc/<pid> written /proc/self. */
#ifndef WHITTLE_PATHS_H
#define WHITTLE_PATHS_H

#include <stdbool.h>
#include <sys/types.h>
#include "agg.h"

/* Is this pid (a tgid or tid) part of the session's process tree? Set by the session. */
typedef bool (*pid_in_session_fn)(pid_t pid);
void paths_init(pid_in_session_fn in_session);

/* Resolve `path` for process `pid`. `base` is the directory a relative path is relative to
 * (NULL when path is absolute, or unknown). follow_last: resolve a final symlink (open, stat,
 * exec do; lstat, unlink, rename do not). Symlinks walked through are recorded as items.
 * Returns a malloc'd absolute path, or NULL for an empty path. */
char *path_resolve(pid_t pid, const char *base, const char *path, bool follow_last, const struct origin *o);

/* Lexical normalisation only: join, squeeze "//", drop ".", apply "..". Malloc'd. */
char *path_lexical(const char *base, const char *path);

/* Forget cached facts about a process (it exited). */
void paths_forget_pid(pid_t pid);

#endif
