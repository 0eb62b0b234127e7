/* test_forwarded.c — who a request is from (server/forwarded.c): addresses and
 * networks as the --trusted-proxy option reads them, and X-Forwarded-For read
 * from the right, each case a row: the trusted set, the peer, the header, and
 * the client it must name. */
#include "forwarded.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

static ip_addr addr(const char *text)
{
    ip_addr a;
    assert_true(ip_parse(text, strlen(text), &a));
    return a;
}

static void test_addresses(void **state)
{
    (void)state;
    const char *good[][2] = {
        {"192.0.2.1", "192.0.2.1"},     {"2001:db8::1", "2001:db8::1"},
        {"2001:DB8:0::1", "2001:db8::1"}, {"::ffff:192.0.2.1", "192.0.2.1"},
        {"::1", "::1"},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char text[IP_TEXT_MAX];
        ip_addr a = addr(good[i][0]);
        ip_text(&a, text);
        assert_string_equal(text, good[i][1]);
    }
    const char *bad[] = {"", "unknown", "192.0.2", "192.0.2.1:80", "[2001:db8::1]", "192.0.2.01",
                         "192.0.2.256", " 192.0.2.1", "fe80::1%eth0", "_hidden", "1.2.3.4.5"};
    ip_addr a;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(ip_parse(bad[i], strlen(bad[i]), &a));
    assert_false(ip_parse("192.0.2.1\0" "9", 11, &a));
}

static void test_networks(void **state)
{
    (void)state;
    static const struct {
        const char *net, *addr;
        bool in;
    } rows[] = {
        {"10.0.0.0/8", "10.200.3.4", true},     {"10.0.0.0/8", "11.0.0.1", false},
        {"10.1.2.3/8", "10.9.9.9", true},       {"192.0.2.0/25", "192.0.2.127", true},
        {"192.0.2.0/25", "192.0.2.128", false}, {"192.0.2.7", "192.0.2.7", true},
        {"192.0.2.7", "192.0.2.8", false},      {"0.0.0.0/0", "203.0.113.9", true},
        {"0.0.0.0/0", "2001:db8::1", false},    {"2001:db8::/32", "2001:db8:ffff::1", true},
        {"2001:db8::/32", "2001:db9::1", false}, {"::1", "::1", true},
        {"::ffff:10.0.0.0/104", "10.1.1.1", true}, {"::ffff:10.0.0.0/104", "11.1.1.1", false},
        {"127.0.0.0/8", "::ffff:127.0.0.5", true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        ip_net net;
        ip_addr a = addr(rows[i].addr);
        assert_true(ip_net_parse(rows[i].net, strlen(rows[i].net), &net));
        if (ip_net_contains(&net, &a) != rows[i].in)
            fail_msg("%s in %s: want %d", rows[i].addr, rows[i].net, rows[i].in);
    }
    const char *bad[] = {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "::/129",
                         "10.0.0.0/ 8", "::ffff:10.0.0.0/95", "proxy.example.org", "10.0.0.0/08x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ip_net net;
        if (ip_net_parse(bad[i], strlen(bad[i]), &net))
            fail_msg("'%s' read as a network", bad[i]);
    }
}

static void test_proxy_lists(void **state)
{
    (void)state;
    proxy_set set = {0};
    assert_true(proxy_set_add(&set, "none"));
    assert_int_equal(set.n, 0);
    assert_true(proxy_set_add(&set, "10.0.0.0/8, 192.0.2.7 ::1"));
    assert_int_equal(set.n, 3);
    ip_addr in = addr("192.0.2.7"), out = addr("192.0.2.8"), v6 = addr("::1");
    assert_true(proxy_set_has(&set, &in));
    assert_true(proxy_set_has(&set, &v6));
    assert_false(proxy_set_has(&set, &out));
    /* A list with one bad entry adds nothing, not the good ones before it. */
    assert_false(proxy_set_add(&set, "203.0.113.1, proxy.example.org"));
    assert_false(proxy_set_add(&set, "none, 203.0.113.1"));
    assert_false(proxy_set_add(&set, " , "));
    assert_false(proxy_set_add(NULL, ""));
    assert_int_equal(set.n, 3);
    proxy_set_free(&set);
    assert_int_equal(set.n, 0);
}

/* The rows of X-Forwarded-For: the trusted set, the peer, the header (NULL:
 * none), the client, and how it was found. */
static const struct xff_row {
    const char *name, *trusted, *peer, *xff, *client;
    forwarded_from from;
} xff_rows[] = {
    {"no header: the peer", "127.0.0.1", "127.0.0.1", NULL, "127.0.0.1", FORWARDED_PEER},
    {"one entry from the proxy", "127.0.0.1", "127.0.0.1", "192.0.2.1", "192.0.2.1", FORWARDED_CLIENT},
    {"the right-most untrusted entry, not the client's own claim to its left", "127.0.0.1",
     "127.0.0.1", "198.51.100.9, 192.0.2.1", "192.0.2.1", FORWARDED_CLIENT},
    {"a forged header from an untrusted peer is ignored", "127.0.0.1", "203.0.113.5",
     "192.0.2.1", "203.0.113.5", FORWARDED_PEER},
    {"nothing is trusted: ignored", "none", "127.0.0.1", "192.0.2.1", "127.0.0.1", FORWARDED_PEER},
    {"trusted hops are skipped from the right", "10.0.0.0/8, 127.0.0.1", "127.0.0.1",
     "198.51.100.9, 192.0.2.1, 10.1.1.1, 10.2.2.2", "192.0.2.1", FORWARDED_CLIENT},
    {"a trusted hop's own entry, within a network", "10.0.0.0/8", "10.0.0.3", "10.9.9.9, 192.0.2.1",
     "192.0.2.1", FORWARDED_CLIENT},
    {"every entry trusted: the left-most", "10.0.0.0/8", "10.0.0.3", "10.1.1.1, 10.2.2.2",
     "10.1.1.1", FORWARDED_ALL_TRUSTED},
    {"a malformed right-most entry: the proxy itself", "127.0.0.1", "127.0.0.1", "192.0.2.1, junk",
     "127.0.0.1", FORWARDED_MALFORMED},
    {"a malformed entry past trusted hops: the hop that passed it on", "10.0.0.0/8", "10.0.0.3",
     "junk, 10.1.1.1", "10.1.1.1", FORWARDED_MALFORMED},
    {"a malformed entry left of the client is never read", "127.0.0.1", "127.0.0.1",
     "junk, 192.0.2.1", "192.0.2.1", FORWARDED_CLIENT},
    {"an address with the client's port: the port is dropped", "127.0.0.1", "127.0.0.1",
     "192.0.2.1:4711", "192.0.2.1", FORWARDED_CLIENT},
    {"an IPv6 address with a port, in brackets", "127.0.0.1", "127.0.0.1", "[2001:db8::1]:4711",
     "2001:db8::1", FORWARDED_CLIENT},
    {"a port that is no number is malformed", "127.0.0.1", "127.0.0.1", "192.0.2.1:http",
     "127.0.0.1", FORWARDED_MALFORMED},
    {"brackets without a port are malformed", "127.0.0.1", "127.0.0.1", "[2001:db8::1]",
     "127.0.0.1", FORWARDED_MALFORMED},
    {"an IPv4 address in brackets is malformed", "127.0.0.1", "127.0.0.1", "[192.0.2.1]:80",
     "127.0.0.1", FORWARDED_MALFORMED},
    {"empty list elements are skipped", "127.0.0.1", "127.0.0.1", " , 192.0.2.1 ,, ",
     "192.0.2.1", FORWARDED_CLIENT},
    {"an empty header: the peer", "127.0.0.1", "127.0.0.1", "", "127.0.0.1", FORWARDED_PEER},
    {"two headers joined: the later one's last entry", "127.0.0.1", "127.0.0.1",
     "198.51.100.9,192.0.2.1", "192.0.2.1", FORWARDED_CLIENT},
    {"IPv6 visitor, canonical spelling", "::1", "::1", "2001:DB8:0:0::7", "2001:db8::7",
     FORWARDED_CLIENT},
    {"IPv4-mapped peer is the IPv4 proxy", "127.0.0.1", "::ffff:127.0.0.1", "192.0.2.1",
     "192.0.2.1", FORWARDED_CLIENT},
    {"tabs around an entry", "127.0.0.1", "127.0.0.1", "\t192.0.2.1\t", "192.0.2.1",
     FORWARDED_CLIENT},
};

static void test_forwarded_for(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xff_rows / sizeof *xff_rows; i++) {
        const struct xff_row *r = &xff_rows[i];
        proxy_set set = {0};
        assert_true(proxy_set_add(&set, r->trusted));
        ip_addr peer = addr(r->peer), client;
        forwarded_from from = forwarded_client(&set, &peer, r->xff, &client);
        char text[IP_TEXT_MAX];
        ip_text(&client, text);
        if (strcmp(text, r->client) != 0 || from != r->from)
            fail_msg("%s: got %s (%d), want %s (%d)", r->name, text, from, r->client, r->from);
        proxy_set_free(&set);
    }
}

/* A long header of trusted hops is read in one pass and ends at its left. */
static void test_long_header(void **state)
{
    (void)state;
    static char xff[40000];
    size_t used = (size_t)snprintf(xff, sizeof xff, "192.0.2.1");
    while (used + 12 < sizeof xff)
        used += (size_t)snprintf(xff + used, sizeof xff - used, ", 10.0.0.1");
    proxy_set set = {0};
    assert_true(proxy_set_add(&set, "10.0.0.0/8"));
    ip_addr peer = addr("10.0.0.2"), client;
    assert_int_equal(forwarded_client(&set, &peer, xff, &client), FORWARDED_CLIENT);
    char text[IP_TEXT_MAX];
    ip_text(&client, text);
    assert_string_equal(text, "192.0.2.1");
    proxy_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),   cmocka_unit_test(test_networks),
        cmocka_unit_test(test_proxy_lists), cmocka_unit_test(test_forwarded_for),
        cmocka_unit_test(test_long_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
