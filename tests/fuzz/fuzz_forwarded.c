/* fuzz_forwarded.c — libFuzzer target: any bytes as an X-Forwarded-For value
 * behind a trusted proxy, and as a --trusted-proxy list. The client named must
 * be the peer, an address written in the header, and never a trusted proxy
 * unless the header gave no other; a list is added whole or not at all. */
#include "forwarded.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0'; /* a header value ends at its first NUL, as libmicrohttpd hands it */
    proxy_set trusted = {0};
    if (!proxy_set_add(&trusted, "10.0.0.0/8, 127.0.0.1, 2001:db8::/32"))
        abort();
    ip_addr peer, client;
    if (!ip_parse("127.0.0.1", 9, &peer))
        abort();
    forwarded_from from = forwarded_client(&trusted, &peer, text, &client);
    char name[IP_TEXT_MAX];
    ip_text(&client, name);
    if (from == FORWARDED_CLIENT && (proxy_set_has(&trusted, &client) || !name[0]))
        abort();
    if ((from == FORWARDED_ALL_TRUSTED || from == FORWARDED_MALFORMED || from == FORWARDED_PEER) &&
        !proxy_set_has(&trusted, &client))
        abort();
    size_t before = trusted.n;
    bool added = proxy_set_add(&trusted, text);
    if (!added && trusted.n != before)
        abort();
    proxy_set_free(&trusted);
    free(text);
    return 0;
}
