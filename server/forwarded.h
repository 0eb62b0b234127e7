/* forwarded.h — who a request is from when proxies stand in between: IP
 * addresses and networks (IPv4, IPv6, CIDR), the set of proxies trusted to
 * say, and X-Forwarded-For read from the right (forwarded.c). No sockets and
 * no libmicrohttpd: request_limits.c hands in the peer and the header. */
#ifndef LOOM_SERVER_FORWARDED_H
#define LOOM_SERVER_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>

/* An address, IPv4 in the first 4 bytes. An IPv4-mapped IPv6 address
 * (::ffff:192.0.2.1, what a dual-stack socket reports) is read as IPv4, so
 * one client has one spelling. */
typedef struct ip_addr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
} ip_addr;

typedef struct ip_net {
    ip_addr base;
    unsigned bits; /* prefix length: 32 or 128 for a single address */
} ip_net;

/* Longest text of an address, with its terminating NUL. */
#define IP_TEXT_MAX 46

/* text[0..len) is an IPv4 or IPv6 address and nothing else. */
bool ip_parse(const char *text, size_t len, ip_addr *out);
/* The address in its canonical spelling (inet_ntop's). */
void ip_text(const ip_addr *a, char out[IP_TEXT_MAX]);
/* text[0..len) is an address or a network ADDRESS/BITS; bits past the prefix
 * in ADDRESS are ignored. */
bool ip_net_parse(const char *text, size_t len, ip_net *out);
bool ip_net_contains(const ip_net *net, const ip_addr *a);

/* The proxies whose X-Forwarded-For is believed. */
typedef struct proxy_set {
    ip_net *nets;
    size_t n;
} proxy_set;

/* Add what text names: addresses and networks separated by commas or spaces.
 * "none" names nothing (and is valid only alone). False, adding nothing,
 * when any entry is neither. set may be NULL to check text only. */
bool proxy_set_add(proxy_set *set, const char *text);
bool proxy_set_has(const proxy_set *set, const ip_addr *a);
void proxy_set_free(proxy_set *set);

typedef enum forwarded_from {
    FORWARDED_PEER,      /* not from a trusted proxy, or no header: the peer itself */
    FORWARDED_CLIENT,    /* the right-most address that is not a trusted proxy */
    FORWARDED_ALL_TRUSTED, /* every entry a trusted proxy: the left-most */
    FORWARDED_MALFORMED, /* an entry that is not an address: the trusted hop that passed it on */
} forwarded_from;

/* The client of a request that came from peer with X-Forwarded-For xff (every
 * such header's value, joined with commas in the order received; NULL: none).
 * Read only when peer is trusted, from the right: each entry a trusted proxy
 * wrote names the one before it, so the first untrusted entry is the client,
 * and whatever lies further left is that client's own claim. */
forwarded_from forwarded_client(const proxy_set *trusted, const ip_addr *peer, const char *xff,
                                ip_addr *client);

#endif
