/* forwarded.c — addresses, networks, the trusted proxies, and X-Forwarded-For
 * read from the right (forwarded.h). */
#include "forwarded.h"

#include "options.h"
#include "text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ::ffff:0:0/96, the prefix of an IPv4-mapped IPv6 address. */
static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool ip_parse(const char *text, size_t len, ip_addr *out)
{
    char buf[IP_TEXT_MAX];
    if (len == 0 || len >= sizeof buf || memchr(text, '\0', len))
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->bytes) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out->bytes) != 1)
        return false;
    out->family = AF_INET6;
    if (memcmp(out->bytes, v4_mapped, sizeof v4_mapped) == 0) {
        memmove(out->bytes, out->bytes + 12, 4);
        memset(out->bytes + 4, 0, 12);
        out->family = AF_INET;
    }
    return true;
}

void ip_text(const ip_addr *a, char out[IP_TEXT_MAX])
{
    if (!inet_ntop(a->family, a->bytes, out, IP_TEXT_MAX))
        out[0] = '\0';
}

bool ip_net_parse(const char *text, size_t len, ip_net *out)
{
    const char *slash = memchr(text, '/', len);
    size_t addr_len = slash ? (size_t)(slash - text) : len;
    if (!ip_parse(text, addr_len, &out->base))
        return false;
    unsigned max = out->base.family == AF_INET ? 32 : 128;
    out->bits = max;
    if (!slash)
        return true;
    char bits[4];
    size_t bits_len = len - addr_len - 1;
    unsigned long n;
    if (bits_len == 0 || bits_len >= sizeof bits)
        return false;
    memcpy(bits, slash + 1, bits_len);
    bits[bits_len] = '\0';
    /* ::ffff:10.0.0.0/104 was read as IPv4: its prefix counts IPv4's bits. */
    bool mapped = out->base.family == AF_INET && memchr(text, ':', addr_len);
    if (!opt_parse_uint(bits, mapped ? 96 : 0, mapped ? 128 : max, &n))
        return false;
    out->bits = (unsigned)n - (mapped ? 96 : 0);
    return true;
}

bool ip_net_contains(const ip_net *net, const ip_addr *a)
{
    if (net->base.family != a->family)
        return false;
    unsigned whole = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->base.bytes, a->bytes, whole) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (net->base.bytes[whole] & mask) == (a->bytes[whole] & mask);
}

/* ---- The trusted proxies ------------------------------------------------------ */

static const char SEPARATORS[] = ", \t";

/* Each entry of text in turn to add (when set is not NULL); false at the
 * first that is not an address or a network. */
static bool each_net(proxy_set *set, const char *text, size_t *count)
{
    *count = 0;
    for (const char *p = text + strspn(text, SEPARATORS); *p; p += strspn(p, SEPARATORS)) {
        size_t len = strcspn(p, SEPARATORS);
        ip_net net;
        if (!ip_net_parse(p, len, &net))
            return false;
        if (set) {
            set->nets = xrealloc(set->nets, (set->n + 1) * sizeof *set->nets);
            set->nets[set->n++] = net;
        }
        (*count)++;
        p += len;
    }
    return true;
}

bool proxy_set_add(proxy_set *set, const char *text)
{
    if (strcmp(text, "none") == 0)
        return true;
    /* Checked whole before anything is added: a set is never half-made. */
    size_t count;
    return each_net(NULL, text, &count) && count > 0 && each_net(set, text, &count);
}

bool proxy_set_has(const proxy_set *set, const ip_addr *a)
{
    for (size_t i = 0; i < set->n; i++)
        if (ip_net_contains(&set->nets[i], a))
            return true;
    return false;
}

void proxy_set_free(proxy_set *set)
{
    free(set->nets);
    set->nets = NULL;
    set->n = 0;
}

/* ---- X-Forwarded-For ---------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool all_digits(const char *s, size_t len)
{
    if (len == 0 || len > 5)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* An entry of X-Forwarded-For: an address, or one with the client's port as
 * some proxies write it ("192.0.2.1:4711", "[2001:db8::1]:4711"); the port
 * is dropped (without that, every such visitor would count as the proxy). */
static bool entry_parse(const char *a, size_t len, ip_addr *out)
{
    if (ip_parse(a, len, out))
        return true;
    const char *colon = memchr(a, ':', len);
    if (a[0] == '[') {
        const char *close = memchr(a, ']', len);
        return close && close + 1 < a + len && close[1] == ':' &&
               all_digits(close + 2, (size_t)(a + len - close - 2)) &&
               ip_parse(a + 1, (size_t)(close - a - 1), out) && out->family == AF_INET6;
    }
    return colon && !memchr(colon + 1, ':', (size_t)(a + len - colon - 1)) &&
           all_digits(colon + 1, (size_t)(a + len - colon - 1)) && ip_parse(a, (size_t)(colon - a), out) &&
           out->family == AF_INET;
}

forwarded_from forwarded_client(const proxy_set *trusted, const ip_addr *peer, const char *xff,
                                ip_addr *client)
{
    *client = *peer;
    if (!xff || !proxy_set_has(trusted, peer))
        return FORWARDED_PEER;
    /* From the right: each trusted hop vouches for the entry to its left. An
     * entry that is no address stops the walk at the hop that passed it on
     * (refusing the request would refuse every visitor behind a proxy that
     * writes something odd; taking the text as the client would let anyone
     * who can put it there choose a fresh rate bucket per request). */
    forwarded_from from = FORWARDED_PEER;
    const char *end = xff + strlen(xff);
    while (end > xff) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        const char *a = start, *b = end;
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        end = start > xff ? start - 1 : xff;
        if (a == b)
            continue; /* an empty list element, which HTTP lists allow */
        ip_addr entry;
        if (!entry_parse(a, (size_t)(b - a), &entry))
            return FORWARDED_MALFORMED;
        *client = entry;
        if (!proxy_set_has(trusted, &entry))
            return FORWARDED_CLIENT;
        from = FORWARDED_ALL_TRUSTED;
    }
    return from;
}
