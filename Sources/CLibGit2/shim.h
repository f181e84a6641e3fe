#ifndef WEBJCASE_CLIBGIT2_SHIM_H
#define WEBJCASE_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/repository.h>

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

#endif
