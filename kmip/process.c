/* SPDX-License-Identifier: Apache-2.0 */
/* The pid is kept in a page the kernel zeroes in a forked child
 * (MADV_WIPEONFORK, Linux 4.14): a child finds 0 and asks the kernel once.
 * No pthread_atfork handler, which a dlclose'd module could leave behind.
 * Where the page cannot be had, every call asks the kernel. Each copy of
 * kmip/ (module, provider) has its own page. */
#include "kmip/process.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

static _Atomic(pid_t) *_Atomic known;
static pthread_once_t page_once = PTHREAD_ONCE_INIT;

static void page_map(void)
{
    long size = sysconf(_SC_PAGESIZE);
    void *page = size > 0 ? mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                          : MAP_FAILED;

    if (page == MAP_FAILED)
        return;
    if (madvise(page, (size_t)size, MADV_WIPEONFORK) != 0) {
        munmap(page, (size_t)size);
        return;
    }
    atomic_store(&known, page);
}

pid_t kmip_process_id(void)
{
    pthread_once(&page_once, page_map);
    _Atomic(pid_t) *slot = atomic_load(&known);
    if (slot == NULL)
        return getpid();
    pid_t pid = atomic_load_explicit(slot, memory_order_relaxed);
    if (pid == 0) {
        pid = getpid();
        atomic_store_explicit(slot, pid, memory_order_relaxed);
    }
    return pid;
}

/* At dlclose or exit, later calls (exit handlers) ask the kernel. The
 * page stays mapped (a page per dlopen and dlclose): a thread still in a
 * call at exit may be reading it. */
__attribute__((destructor)) static void page_forget(void)
{
    atomic_store(&known, NULL);
}
