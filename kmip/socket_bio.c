/* SPDX-License-Identifier: Apache-2.0 */
/* OpenSSL's socket BIO writes with write(2), which raises SIGPIPE when the
 * server has gone; a library must not kill its host process for that. The
 * method is made once per process (or per load of a module that links
 * kmip/) and freed when the process exits or the module is unloaded. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/bio.h>

#include "client_internal.h"

static BIO_METHOD *socket_method;
static pthread_once_t socket_method_once = PTHREAD_ONCE_INIT;

static int bio_fd(BIO *bio)
{
    return (int)(intptr_t)BIO_get_data(bio);
}

static bool would_block(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

static int socket_write(BIO *bio, const char *data, size_t len, size_t *written)
{
    BIO_clear_retry_flags(bio);
    ssize_t n = send(bio_fd(bio), data, len, MSG_NOSIGNAL);
    if (n < 0) {
        if (would_block())
            BIO_set_retry_write(bio);
        return 0;
    }
    *written = (size_t)n;
    return 1;
}

static int socket_read(BIO *bio, char *data, size_t len, size_t *read_len)
{
    BIO_clear_retry_flags(bio);
    ssize_t n = recv(bio_fd(bio), data, len, 0);
    if (n < 0) {
        if (would_block())
            BIO_set_retry_read(bio);
        return 0;
    }
    if (n == 0)
        errno = 0; /* end of stream, not an error in errno */
    *read_len = (size_t)n;
    return n > 0;
}

static long socket_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
    (void)num;
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_C_GET_FD:
        if (ptr != NULL)
            *(int *)ptr = bio_fd(bio);
        return bio_fd(bio);
    default:
        return 0;
    }
}

static void socket_method_create(void)
{
    BIO_METHOD *method = BIO_meth_new(
        BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
        "kmip socket");
    if (method == NULL)
        return;
    if (!BIO_meth_set_write_ex(method, socket_write) ||
        !BIO_meth_set_read_ex(method, socket_read) ||
        !BIO_meth_set_ctrl(method, socket_ctrl)) {
        BIO_meth_free(method);
        return;
    }
    socket_method = method;
}

/* Runs at dlclose of the module and at exit, after every connection is
 * closed (C_Finalize, OPENSSL_cleanup run first). */
__attribute__((destructor)) static void socket_method_free(void)
{
    BIO_meth_free(socket_method);
    socket_method = NULL;
}

BIO *kmip_socket_bio_new(int fd)
{
    if (pthread_once(&socket_method_once, socket_method_create) != 0 ||
        socket_method == NULL)
        return NULL;
    BIO *bio = BIO_new(socket_method);
    if (bio == NULL)
        return NULL;
    BIO_set_data(bio, (void *)(intptr_t)fd);
    BIO_set_init(bio, 1);
    return bio;
}
