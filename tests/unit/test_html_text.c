/* test_html_text.c — HTML to the post model's text (lib/html_text.c): tables of
 * HTML and the text, headings, alt text, link text and code it gives; sections
 * and their anchors; each error code; and hostile input that must be refused
 * quickly or read without recursion. */
#include "html_text.h"
#include "text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Expected pieces; NULL means "". */
typedef struct text_case {
    const char *html;
    const char *text, *headings, *alt, *links, *code;
    bool wordpress; /* read as WordPress content (html_options.wordpress) */
} text_case;

static post *read_html(const char *html, size_t len, const html_options *limits, post_status want)
{
    post *p = xcalloc(1, sizeof *p);
    post_error err;
    post_status rc = html_to_post(p, "case.html", html, len, limits, &err);
    if (rc != want)
        print_error("%s: %s\n", post_status_name(rc), rc ? err.message : "");
    assert_int_equal(rc, want);
    if (rc != POST_OK)
        assert_non_null(strstr(err.message, "case.html"));
    return p;
}

static void check_piece(size_t i, const char *what, const char *got, const char *want)
{
    want = want ? want : "";
    if (strcmp(got, want) != 0)
        print_error("case %zu %s: got \"%s\"\n", i, what, got);
    assert_string_equal(got, want);
}

static void check_cases(const text_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        html_options options = {.wordpress = cases[i].wordpress};
        post *p = read_html(cases[i].html, strlen(cases[i].html), &options, POST_OK);
        check_piece(i, "text", p->text, cases[i].text);
        check_piece(i, "headings", p->headings, cases[i].headings);
        check_piece(i, "alt_text", p->alt_text, cases[i].alt);
        check_piece(i, "link_text", p->link_text, cases[i].links);
        check_piece(i, "code", p->code, cases[i].code);
        post_free(p);
    }
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

static void paragraphs_and_inline(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {.html = "<p>One  two\nthree</p><p>Four</p>", .text = "One two three\nFour"},
        {.html = "<p>A <b>bold</b> and <em>it</em>al<i>ic</i> word</p>", .text = "A bold and italic word"},
        {.html = "<ul><li>one</li><li>two</li></ul>after", .text = "one\ntwo\nafter"},
        {.html = "<div>a<div>b</div>c</div>", .text = "a\nb\nc"},
        {.html = "line<br>break", .text = "line\nbreak"},
        {.html = "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", .text = "a b\nc"},
        {.html = "<blockquote><p>Quoted</p></blockquote>", .text = "Quoted"},
        {.html = "  \n\t ", .text = ""},
    };
    CHECK(cases);
}

static void images_links_code(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {.html = "<p>A <img src=x.png alt=\"red cat\"> sat</p>", .text = "A sat", .alt = "red cat"},
        {.html = "<img src=x.png alt=\"\"><img src=y.png>", .text = ""},
        {.html = "<figure><img src=a.jpg alt=Dog><figcaption>My dog Rex</figcaption></figure>",
         .text = "My dog Rex", .alt = "Dog\nMy dog Rex"},
        {.html = "<p>See <a href=/x>the notes</a> and <a href=/y>more</a>.</p>",
         .text = "See the notes and more.", .links = "the notes\nmore"},
        {.html = "<p>Run <code>make\n   -j2</code> now</p>", .text = "Run make -j2 now", .code = "make -j2"},
        {.html = "<pre><code>int main(void)\n{\n    return 0;\n}</code></pre><p>after</p>",
         .text = "int main(void)\n{\n    return 0;\n}\nafter", .code = "int main(void)\n{\n    return 0;\n}"},
        {.html = "<pre>[gallery ids=\"1\"]</pre>", .text = "[gallery ids=\"1\"]", .code = "[gallery ids=\"1\"]"},
    };
    CHECK(cases);
}

static void headings(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {.html = "<h1>Title</h1><p>x</p><h4>Small <i>one</i></h4>", .text = "Title\nx\nSmall one",
         .headings = "Title\nSmall one"},
        {.html = "<h2>Tips &amp; <a href=#>tricks</a></h2>", .text = "Tips & tricks", .headings = "Tips & tricks",
         .links = "tricks"},
    };
    CHECK(cases);
}

static void dropped(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {.html = "a<script>var x = '<p>no</p>';</script>b", .text = "ab"},
        {.html = "a <style>p { color: red }</style>b", .text = "a b"},
        {.html = "<nav><a href=/>Home</a></nav><p>Body</p>", .text = "Body"},
        {.html = "<template><p>Later</p></template><p>Now</p>", .text = "Now"},
        {.html = "<noscript>Enable JS</noscript><p>Now</p>", .text = "Now"},
        {.html = "<iframe src=x>fallback</iframe><p>Now</p>", .text = "Now"},
        {.html = "<p>Icon<svg><title>arrow</title><text>svgtext</text></svg></p>", .text = "Icon"},
        {.html = "<html><head><title>Page</title></head><body>Body</body></html>", .text = "Body"},
        {.html = "<p hidden>secret</p><p>shown</p>", .text = "shown"},
        {.html = "<p hidden=until-found>found</p>", .text = "found"},
        {.html = "<div aria-hidden=\"true\">x</div><div aria-hidden=false>y</div>", .text = "y"},
        {.html = "<span style=\"color: red; DISPLAY : None\">x</span>y", .text = "y"},
        {.html = "<span style=\"display:block\">x</span>", .text = "x"},
        {.html = "<div data-loomsearch-ignore><p>Related posts</p></div><p>Body</p>", .text = "Body"},
        {.html = "a<!-- note -->b", .text = "ab"},
        {.html = "<!-- wp:paragraph -->\n<p>Hello</p>\n<!-- /wp:paragraph -->", .text = "Hello"},
        /* an <svg> never closed ends where a browser ends it: at the next
         * HTML block, whose text is the post's (it had all been dropped) */
        {.html = "<p>one two</p><svg><path d=\"M0\"></path><h3>three four</h3><p>five six</p>",
         .text = "one two\nthree four\nfive six", .headings = "three four"},
        {.html = "<p>a</p><math><mi>x</mi><p>after math</p>", .text = "a\nx\nafter math"},
        /* Jetpack's older [youtube=URL] is a shortcode like [youtube URL] */
        {.html = "<p>Watch [youtube=http://www.youtube.com/watch?v=HqYJ3] now</p>", .text = "Watch now"},
        /* SyntaxHighlighter's pairs are code, line by line; an opener with no
         * closer is left as written */
        {.html = "<p>A makefile:</p>[code]hello: hello.c\n\tgcc -o hello hello.c[/code]<p>Done.</p>",
         .text = "A makefile:\nhello: hello.c\n\tgcc -o hello hello.c\nDone.",
         .code = "hello: hello.c\n\tgcc -o hello hello.c", .wordpress = true},
        {.html = "<p>[sourcecode language=\"bash\"]ls -l\npwd[/sourcecode] and [code] alone</p>",
         .text = "ls -l\npwd\nand [code] alone", .code = "ls -l\npwd", .wordpress = true},
        {.html = "<p>Markup:</p>[code lang=\"html\"]<div class=\"x\">&lt;b&gt;</div>[/code]",
         .text = "Markup:\n<div class=\"x\"><b></div>", .code = "<div class=\"x\"><b></div>", .wordpress = true},
        /* not WordPress's: a built page writes its code as <pre>, and may name the shortcode */
        {.html = "<p>Open with <code>[code]</code> and close with <code>[/code]</code>.</p>",
         .text = "Open with [code] and close with [/code].", .code = "[code]\n[/code]"},
    };
    CHECK(cases);
}

static void shortcodes(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {.html = "[caption id=\"a\" align=\"x\"]<img src=a.png alt=Cat> A cat[/caption]", .text = "A cat",
         .alt = "Cat"},
        {.html = "<p>[caption]Plain[/caption]</p>", .text = "Plain"},
        {.html = "<p>Pics [gallery ids=\"1,2,3\"] here</p>", .text = "Pics here"},
        {.html = "<p>Pics [gallery] here</p>", .text = "Pics here"},
        {.html = "<p>Watch [embed]https://youtu.be/x[/embed] this</p>", .text = "Watch this"},
        {.html = "<p>[embed width=\"5\"]no closer</p>", .text = "no closer"},
        {.html = "[audio src=\"a.mp3\"][/audio]Song[video mp4=\"v.mp4\" /][playlist ids=\"4\"]", .text = "Song"},
        {.html = "<p>[contact-form-7 id=\"12\" title=\"Contact\"] end [/contact-form-7]</p>", .text = "end"},
        {.html = "<p>Smith [1] said [sic] it [citation needed] and [a, b] [x]</p>",
         .text = "Smith [1] said [sic] it [citation needed] and [a, b] [x]"},
        {.html = "<p>[Caption] and [ caption] and [unclosed caption</p>",
         .text = "[Caption] and [ caption] and [unclosed caption"},
        {.html = "<p>in [/usr/bin] or [/sic and] [x=1] [/]</p>",
         .text = "in [/usr/bin] or [/sic and] [x=1] [/]"},
    };
    CHECK(cases);
}

static void entities_and_broken(void **state)
{
    (void)state;
    static const text_case cases[] = {
        {.html = "<p>caf&eacute; &lt;b&gt; &#8220;q&#8221; &nbsp;x &amp;amp</p>",
         .text = "caf\xc3\xa9 <b> \xe2\x80\x9cq\xe2\x80\x9d \xc2\xa0x &amp"},
        {.html = "<p>one<p>two<div>three", .text = "one\ntwo\nthree"},
        {.html = "a</div></div>b</span>", .text = "ab"},
        {.html = "<b><i>x</b>y</i>", .text = "xy"},
        {.html = "<p>ctl\x01\x1f\x7f\xc2\x85 ok</p>", .text = "ctl ok"},
        {.html = "&#1;&#x80;&#xD800;z", .text = "\xe2\x82\xac\xef\xbf\xbdz"},
    };
    CHECK(cases);
}

typedef struct section_case {
    const char *html;
    size_t n;
    post_section sections[4];
    bool as_served; /* html_options.ids_as_served */
} section_case;

static void sections(void **state)
{
    (void)state;
    static const section_case cases[] = {
        {"<p>Intro</p><h2>Setup</h2><p>a</p><h3 id=\"my-id\">Run it</h3><h4>Deep</h4>",
         2, {{"Setup", "setup", 6}, {"Run it", "my-id", 14}}, false},
        {"<h2>Notes</h2><h2>Notes</h2><h2 id=notes>x</h2><h2>Notes</h2>",
         4, {{"Notes", "notes", 0}, {"Notes", "notes-2", 6}, {"x", "notes", 12}, {"Notes", "notes-4", 14}}, false},
        {"<h1>Top</h1><h2>!!</h2><h2></h2>", 3, {{"Top", "top", 0}, {"!!", "section", 4}, {"", "section-2", 6}}, false},
        {"<h2>  Spaced   out </h2>", 1, {{"Spaced out", "spaced-out", 0}}, false},
        {"<h2 id=\"\">Empty id</h2>", 1, {{"Empty id", "empty-id", 0}}, false},
        /* a heading's permalink is no part of it; a heading all one link is its text */
        {"<h2 id=\"setup\">Setup <a class=\"heading-link\" href=\"#setup\"><span>Link to heading</span></a></h2>"
         "<h2 id=\"u\">Usage<a href=\"#u\">\xe2\x8c\x97</a></h2><h2 id=\"i\"><a href=\"#i\">\xc2\xb6</a>Intro</h2>"
         "<h2 id=\"w\"><a href=\"#w\">Whole</a></h2>",
         4, {{"Setup", "setup", 0}, {"Usage", "u", 6}, {"Intro", "i", 12}, {"Whole", "w", 18}}, false},
        {"<h2 id=\"caf\xc3\xa9\">Caf\xc3\xa9 <a href=\"#caf%C3%A9\">Link</a></h2>", 1,
         {{"Caf\xc3\xa9", "caf\xc3\xa9", 0}}, false},
        /* an id a URL cannot hold as written is %-escaped, as a browser finds it */
        {"<h2 id=\"a b<c>\">X</h2>", 1, {{"X", "a%20b%3Cc%3E", 0}}, false},
        /* a made-up anchor never names a heading that has its own */
        {"<h2 id=\"intro\">Introduction</h2><h2>Intro</h2>", 2,
         {{"Introduction", "intro", 0}, {"Intro", "intro-2", 13}}, false},
        /* a built page: a heading without an id has no anchor to link to */
        {"<h2>Setup</h2><h2 id=\"run\">Run</h2><h2>Setup</h2>", 3,
         {{"Setup", "", 0}, {"Run", "run", 6}, {"Setup", "", 10}}, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        html_options options = {.ids_as_served = cases[i].as_served};
        post *p = read_html(cases[i].html, strlen(cases[i].html), &options, POST_OK);
        if (p->n_sections != cases[i].n)
            print_error("case %zu: %zu sections in \"%s\"\n", i, p->n_sections, p->text);
        assert_int_equal(p->n_sections, cases[i].n);
        for (size_t k = 0; k < cases[i].n; k++) {
            const post_section *want = &cases[i].sections[k], *got = &p->sections[k];
            if (strcmp(got->anchor, want->anchor) != 0 || got->offset != want->offset)
                print_error("case %zu section %zu: %s at %zu\n", i, k, got->anchor, got->offset);
            assert_string_equal(got->heading, want->heading);
            assert_string_equal(got->anchor, want->anchor);
            assert_int_equal(got->offset, want->offset);
            assert_memory_equal(p->text + got->offset, got->heading, strlen(got->heading));
        }
        post_free(p);
    }
}

/* The other fields stay, the text fields are replaced. */
static void replaces_text_only(void **state)
{
    (void)state;
    post *p = read_html("<h2>Old</h2>old", 15, NULL, POST_OK);
    p->title = xstrdup("Kept");
    post_error err;
    assert_int_equal(html_to_post(p, "x", "<p>new</p>", 10, NULL, &err), POST_OK);
    assert_string_equal(p->title, "Kept");
    assert_string_equal(p->text, "new");
    assert_int_equal(p->n_sections, 0);
    assert_string_equal(err.message, "");
    post_free(p);
    p = read_html(NULL, 0, NULL, POST_OK); /* empty input */
    assert_string_equal(p->text, "");
    assert_string_equal(p->code, "");
    post_free(p);
}

static void errors(void **state)
{
    (void)state;
    post_free(read_html("caf\xe9", 4, NULL, POST_EUTF8));
    post_free(read_html("a\0b", 3, NULL, POST_EBINARY));
    html_options small = {.max_bytes = 10};
    post_free(read_html("<p>eleven!</p>", 14, &small, POST_ETOOBIG));
    html_options shallow = {.max_depth = 3};
    post_free(read_html("<div><div><div>x</div></div></div>", 34, &shallow, POST_OK));
    post_free(read_html("<div><div><div><div>x", 21, &shallow, POST_EFIELD));
    /* What the scan lets pass: closed siblings, flat tags, comments, scripts. */
    static const char *const flat[] = {
        "<div></div><div></div><div></div><div></div>",
        "<p>a<p>b<p>c<p>d<li>e<li>f<br><br><img><hr><td><tr>",
        "<div><svg><path/><path/><path/><path/></svg></div>",
        "<!-- <div><div><div><div> --><script>'<div><div><div><div>'</script>",
    };
    for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++)
        post_free(read_html(flat[i], strlen(flat[i]), &shallow, POST_OK));
    /* What it counts: stray closers of another name, "<div/>", deep foreignObject. */
    static const char *const deep[] = {
        "<div></span><div></span><div></span><div></span>",
        "<div/><div/><div/><div/>",
        "<svg><foreignObject><div/><div/><div/></foreignObject></svg>",
        "<div><b><i></div>x<div><b><i></div>x", /* gumbo reopens <b><i> in each block */
    };
    for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++)
        post_free(read_html(deep[i], strlen(deep[i]), &shallow, POST_EFIELD));
}

/* 100,000 nested <div>s (and the same of <b>) are refused at once; 300 levels,
 * under the default cap, are read by the walk without recursion. */
static void hostile(void **state)
{
    (void)state;
    static const char *const tags[] = {"<div>", "<b>", "<div/>", "<table><tr><td>"};
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        strbuf sb = {0};
        for (int i = 0; i < 100000; i++)
            sb_puts(&sb, tags[t]);
        clock_t start = clock();
        post_free(read_html(sb.data, sb.len, NULL, POST_EFIELD));
        assert_true(clock() - start < CLOCKS_PER_SEC);
        sb_free(&sb);
    }
    strbuf sb = {0};
    for (int i = 0; i < 150; i++)
        sb_puts(&sb, "<div><b>");
    sb_puts(&sb, "deep");
    post *p = read_html(sb.data, sb.len, NULL, POST_OK);
    assert_string_equal(p->text, "deep");
    post_free(p);
    sb_free(&sb);
    /* A caller's higher cap: 10,000 levels are walked and freed without recursion. */
    html_options high = {.max_depth = 30000};
    for (int i = 0; i < 10000; i++)
        sb_puts(&sb, "<div>");
    sb_puts(&sb, "bottom");
    p = read_html(sb.data, sb.len, &high, POST_OK);
    assert_string_equal(p->text, "bottom");
    post_free(p);
    sb_free(&sb);
    /* Brackets and tags without ends stay linear (the time allows a sanitizer build). */
    for (int i = 0; i < 50000; i++)
        sb_puts(&sb, "[a x<1 [embed] [caption ");
    clock_t start = clock();
    post_free(read_html(sb.data, sb.len, NULL, POST_OK));
    assert_true(clock() - start < 5 * CLOCKS_PER_SEC);
    sb_free(&sb);
    /* A tag of many attributes (quadratic in gumbo) is refused; 256 are read. */
    static const char *const attrs[] = {" a", " a<b", " b=\"x y z\"", " a<1"};
    for (size_t t = 0; t < sizeof attrs / sizeof attrs[0]; t++) {
        for (int k = 0; k < 2; k++) {
            sb_puts(&sb, "<p");
            for (int i = 0; i < (k ? 100000 : 256); i++)
                sb_puts(&sb, attrs[t]);
            sb_puts(&sb, ">x");
            post_free(read_html(sb.data, sb.len, NULL, k ? POST_EFIELD : POST_OK));
            sb_free(&sb);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paragraphs_and_inline), cmocka_unit_test(images_links_code),
        cmocka_unit_test(headings),              cmocka_unit_test(dropped),
        cmocka_unit_test(shortcodes),            cmocka_unit_test(entities_and_broken),
        cmocka_unit_test(sections),              cmocka_unit_test(replaces_text_only),
        cmocka_unit_test(errors),                cmocka_unit_test(hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
