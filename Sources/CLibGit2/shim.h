#ifndef WEBJCASE_CLIBGIT2_SHIM_H
#define WEBJCASE_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/repository.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/mempack.h>

/* git_libgit2_opts is C-variadic, which Swift cannot call: one wrapper per option used. */

static inline int webjcase_git_set_fsync_gitdir(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}

static inline int webjcase_git_set_strict_object_creation(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}

static inline int webjcase_git_set_search_path_empty(int level) {
    /* Ignore the user's and system's git configuration: a node's behaviour must not
       depend on ~/.gitconfig. */
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
}

static inline int webjcase_git_set_cache_max_size(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

static inline int webjcase_git_set_tree_cache_limit(size_t bytes) {
    /* The largest tree the object cache keeps (libgit2 keeps none over 4 KiB by default). */
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, bytes);
}

static inline int webjcase_git_set_mwindow(size_t window, size_t mapped_limit) {
    int result = git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window);
    return result < 0 ? result : git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped_limit);
}

/* Whether two object database backends are the same implementation (the same free function):
   GitKit finds the mempack backend it added to a repository's odb by comparing it with a new one. */
static inline int webjcase_git_odb_backends_same_kind(const git_odb_backend *a, const git_odb_backend *b) {
    return a->free == b->free;
}

#endif
