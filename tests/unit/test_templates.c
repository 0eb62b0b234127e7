/* test_templates.c — template syntax out of Markdown bodies (lib/templates.c):
 * tables of input and expected output, the counts by kind, and hostile
 * inputs that must stay linear and shallow. */
#include "templates.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct strip_case {
    const char *in, *out;
} strip_case;

static void check_cases(const strip_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *got = templates_strip(cases[i].in, strlen(cases[i].in), &len, NULL);
        if (strcmp(got, cases[i].out) != 0)
            print_error("case %zu: %s\n", i, cases[i].in);
        assert_string_equal(got, cases[i].out);
        assert_int_equal(len, strlen(got));
        free(got);
    }
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

/* Jekyll renders Liquid inside code too: with liquid_in_code it goes from
 * code, but for {% raw %}...{% endraw %} and code inside an outer raw pair;
 * without it, code stays as written. Each case: input, out with, out without. */
static void liquid_in_code(void **state)
{
    (void)state;
    static const struct {
        const char *in, *jekyll, *plain;
    } cases[] = {
        {"```\n{{ page.title }} and {% if x %}y{% endif %}\n```\n", "```\n and y\n```\n",
         "```\n{{ page.title }} and {% if x %}y{% endif %}\n```\n"},
        {"```\n{% raw %}{{ kept }}{% endraw %} {{ gone }}\n```\n", "```\n{{ kept }} \n```\n",
         "```\n{% raw %}{{ kept }}{% endraw %} {{ gone }}\n```\n"},
        {"Use `{{ site.url }}/x` here.\n", "Use `/x` here.\n", "Use `{{ site.url }}/x` here.\n"},
        {"    SIZE: {{ release.size }}\n", "    SIZE: \n", "    SIZE: {{ release.size }}\n"},
        {"{% raw %}\n```\n{{ kept }}\n```\n{% endraw %}\n", "\n```\n{{ kept }}\n```\n\n",
         "\n```\n{{ kept }}\n```\n\n"},
        {"```\n{{ open\n}} {{{{{{\n```\n", "```\n{{ open\n}} {{{{{{\n```\n",
         "```\n{{ open\n}} {{{{{{\n```\n"},
        /* a string's output is the string: how Jekyll posts show a Go template */
        {"```\n--format '{{ \"{{\" }} .Name }}'\n```\n", "```\n--format '{{ .Name }}'\n```\n",
         "```\n--format '{{ \"{{\" }} .Name }}'\n```\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int jekyll = 0; jekyll < 2; jekyll++) {
            size_t len;
            char *got = templates_strip_for(cases[i].in, strlen(cases[i].in), &len, NULL, jekyll, false);
            const char *want = jekyll ? cases[i].jekyll : cases[i].plain;
            if (strcmp(got, want) != 0)
                fail_msg("case %zu (%s): got [%s], want [%s]", i, jekyll ? "jekyll" : "plain", got, want);
            assert_int_equal(len, strlen(got));
            free(got);
        }
}

/* Hugo renders its shortcodes inside code too (taken out before Markdown is
 * read): with shortcodes_in_code they go from code, an escaped one shows as
 * the shortcode, and inside Hugo's highlight pair the nested ones go too.
 * Checked against pages built by Debian's hugo 0.111.3. Each case: input,
 * out with, out without. */
static void shortcodes_in_code(void **state)
{
    (void)state;
    static const struct {
        const char *in, *hugo, *plain;
    } cases[] = {
        {"```\nversion=\"{{< latest >}}\"\n```\n", "```\nversion=\"\"\n```\n",
         "```\nversion=\"{{< latest >}}\"\n```\n"},
        {"```\n{{</* latest */>}} {{%/* note */%}}\n```\n", "```\n{{< latest >}} {{% note %}}\n```\n",
         "```\n{{</* latest */>}} {{%/* note */%}}\n```\n"},
        {"Run `v{{< param v >}}` now.\n", "Run `v` now.\n", "Run `v{{< param v >}}` now.\n"},
        {"{{< highlight sh >}}\nrun {{< param v >}} x\n{{< /highlight >}}\n", "~~~~\nrun  x\n~~~~\n",
         "~~~~\nrun {{< param v >}} x\n~~~~\n"},
        {"```\n{{< open\n>}} {{ go }} {% liquid %}\n```\n", "```\n{{< open\n>}} {{ go }} {% liquid %}\n```\n",
         "```\n{{< open\n>}} {{ go }} {% liquid %}\n```\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int hugo = 0; hugo < 2; hugo++) {
            size_t len;
            char *got = templates_strip_for(cases[i].in, strlen(cases[i].in), &len, NULL, false, hugo);
            const char *want = hugo ? cases[i].hugo : cases[i].plain;
            if (strcmp(got, want) != 0)
                fail_msg("case %zu (%s): got [%s], want [%s]", i, hugo ? "hugo" : "plain", got, want);
            assert_int_equal(len, strlen(got));
            free(got);
        }
}

static void liquid(void **state)
{
    (void)state;
    static const strip_case cases[] = {
        /* an autolink that was all output leaves no "<>" */
        {"* <{{ release.url.gz }}>\n", "* \n"},
        {"a <{{ x }}b> c\n", "a <b> c\n"},
        {"See [the notes]({% link _docs/notes.md %}).\n", "See [the notes]().\n"},
        {"[older]: {% post_url 2015-01-02-older %}\n", "[older]: \n"},
        {"{% include banner.html %}\nText\n", "\nText\n"},
        {"Home is {{ site.url }}/blog.\n", "Home is /blog.\n"},
        {"# {{ page.title | escape }} today\n", "#  today\n"},
        {"{%- if shown -%}Shown{%- endif -%}\n", "Shown\n"},
        {"A [link]({{ site.repo\n}}/issues) over two lines\n", "A [link](\n/issues) over two lines\n"},
        {"Nunjucks {# a note to self #}done\n", "Nunjucks done\n"},
        {"Handlebars {{{ body }}} and {{#each posts}}x{{/each}}\n", "Handlebars  and x\n"},
        {"Go {{raw \"<b>bold</b>\"}} and {{image \"cat.png\" \"A cat\"}}.\n", "Go  and .\n"},
        {"Zola {{ youtube(id=\"abc\") }} video\n", "Zola  video\n"},
        /* a quoted string alone is what the page shows */
        {"Write {{ \"{{\" }} name }} or {{- '{%' -}} here.\n", "Write {{ name }} or {% here.\n"},
        {"Not {{ \"a\" | upcase }} nor {{ \"a\" \"b\" }}.\n", "Not  nor .\n"},
        {"{% note(kind=\"tip\") %}\nInner words\n{% end %}\n", "\nInner words\n\n"},
    };
    CHECK(cases);
}

static void verbatim_pairs(void **state)
{
    (void)state;
    static const strip_case cases[] = {
        {"Write {% raw %}{{ site.url }}{% endraw %} in a layout.\n", "Write {{ site.url }} in a layout.\n"},
        {"{% raw %}\nUse {% include x.html %} here\n{% endraw %}\n", "\nUse {% include x.html %} here\n\n"},
        /* the pair's own opening tag inside it is content, as in Liquid */
        {"{% raw %}{% raw %}{% endraw %} after {{ x }}\n", "{% raw %} after \n"},
        /* a raw inside a highlight marks the same content twice */
        {"{% highlight liquid %}{% raw %}\n{{ a }}\n{% endraw %}{% endhighlight %}\n", "\n{{ a }}\n\n"},
        /* a highlight pair alone on its lines is a code block: its tags become fences */
        {"{{< highlight go >}}\nfmt.Println(\"{{ x }}\")\n{{< /highlight >}}\n",
         "~~~~\nfmt.Println(\"{{ x }}\")\n~~~~\n"},
        {"Text.\n\n  {% highlight ruby %}\n# a comment, not a heading\n{% endhighlight %}\n",
         "Text.\n\n  ~~~~\n# a comment, not a heading\n~~~~\n"},
        /* not alone on its line, or indented as code, or with a fence inside: tags only go */
        {"See {% highlight ruby %}x = 1{% endhighlight %} here\n", "See x = 1 here\n"},
        {"    {% highlight ruby %}\n# c\n{% endhighlight %}\n", "    {% highlight ruby %}\n# c\n\n"},
        {"{% highlight ruby %}\n```\n# c\n```\n{% endhighlight %}\n", "\n```\n# c\n```\n\n"},
        {"Before{% comment %} hidden\n\n{{ words }}{% endcomment %}after\n", "Before\n\nafter\n"},
        /* an end tag inside code ends the pair; the code keeps it */
        {"{% raw %}\n```\n{{ kept }}\n{% endraw %}\n```\n{{ gone }}\n", "\n```\n{{ kept }}\n{% endraw %}\n```\n\n"},
    };
    CHECK(cases);
}

static void hugo_shortcodes(void **state)
{
    (void)state;
    static const strip_case cases[] = {
        {"{{< figure src=\"a.png\" caption=\"A\" >}}\nText\n", "\nText\n"},
        {"{{% note %}}Inner **text**{{% /note %}}\n", "Inner **text**\n"},
        {"Show {{</* figure src=\"x\" */>}} literally\n", "Show {{< figure src=\"x\" >}} literally\n"},
        {"Show {{%/* note */%}} too\n", "Show {{% note %}} too\n"},
        {"{{< tweet user=\"a\"\n  id=\"1\" >}}\nAfter\n", "\n\nAfter\n"},
    };
    CHECK(cases);
}

static void code_stays(void **state)
{
    (void)state;
    static const strip_case cases[] = {
        {"```liquid\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n```\n{{ x }}\n",
         "```liquid\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n```\n\n"},
        {"~~~~\n{{ a }}\n~~~\n{{ b }}\n~~~~\n{{ c }}\n", "~~~~\n{{ a }}\n~~~\n{{ b }}\n~~~~\n\n"},
        {"````\n```\n{{ a }}\n```\n````\n", "````\n```\n{{ a }}\n```\n````\n"},
        {"Text\n\n    {{ indented }}\n    <Code />\n\nAfter {{ x }}\n", "Text\n\n    {{ indented }}\n    <Code />\n\nAfter \n"},
        {"Text\n    {{ continuation }}\n", "Text\n    \n"},
        {"Use `{{ site.url }}` or ``{% raw %}`x` `` here {{ y }}\n", "Use `{{ site.url }}` or ``{% raw %}`x` `` here \n"},
        {"A span `{{ over\nlines }}` ends\n", "A span `{{ over\nlines }}` ends\n"},
        {"Escaped \\`{{ x }}` tick\n", "Escaped \\`` tick\n"},
        {"Unclosed ``{{ x }}` span\n", "Unclosed ``` span\n"},
        {"> ```\n> {{ quoted }}\n> ```\n", "> ```\n> {{ quoted }}\n> ```\n"},
        {"- item\n\n  ```\n  {{ listed }}\n  ```\n", "- item\n\n  ```\n  {{ listed }}\n  ```\n"},
        {"- item\n\n      {{ list code }}\n", "- item\n\n      {{ list code }}\n"},
        {"- item\n\n    {{ list text }}\n", "- item\n\n    \n"},
        {"Para\n```\n{{ fence interrupts }}\n```\n", "Para\n```\n{{ fence interrupts }}\n```\n"},
    };
    CHECK(cases);
}

static void mdx(void **state)
{
    (void)state;
    static const strip_case cases[] = {
        {"import Card from './Card.astro';\nimport { Tabs, TabItem } from \"x\";\n\n# Title\n",
         "\n\n\n# Title\n"},
        {"import {\n  A,\n  B,\n} from 'lib';\n\nText\n", "\n\n\n\n\nText\n"},
        {"export const meta = {\n  title: 'x',\n\n  tags: ['a'],\n};\n\nText\n", "\n\n\n\n\n\nText\n"},
        {"export default function Layout({ children }) { return children }\n\nText\n", "\n\nText\n"},
        {"import this advice into your life.\n", "import this advice into your life.\n"},
        {"<Aside type=\"note\">Inner text</Aside>\n", "Inner text\n"},
        {"<Image {...props} />\n<Foo.Bar x={a > b ? \"<\" : '>'}>\nIn\n</Foo.Bar>\n", "\n\nIn\n\n"},
        {"<details><summary>More</summary>Body</details>\n", "<details><summary>More</summary>Body</details>\n"},
        {"Before {/* a comment */} after\n", "Before  after\n"},
        {"{frontmatter.title}\n\nText\n", "\n\nText\n"},
        {"  {props.items.map(i => `${i}`)}\nText\n", "  \nText\n"},
        {"The set {a, b} is small.\n", "The set {a, b} is small.\n"},
        {"x < Y and Y > z\n", "x < Y and Y > z\n"},
        {"Mail <Ann@example.org> now\n", "Mail <Ann@example.org> now\n"},
        {"<EditorSettings\n  zed={{\n    a: `{\n\"x\": 1\n}`,\n  }}\n/>\nAfter\n", "\n\n\n\n\n\n\nAfter\n"},
    };
    CHECK(cases);
}

static void not_templates(void **state)
{
    (void)state;
    static const strip_case cases[] = {
        {"Math {{1}, {2}} stays\n", "Math {{1}, {2}} stays\n"},
        {"Rust's {{ needs a closer\n\nand }} here\n", "Rust's {{ needs a closer\n\nand }} here\n"},
        {"A {% with no end\n", "A {% with no end\n"},
        {"Percent 50{%} off\n", "Percent 50{%} off\n"},
        {"{{ }} empty\n", "{{ }} empty\n"},
        {"Unterminated <Aside type=\"x\n\nText\n", "Unterminated <Aside type=\"x\n\nText\n"},
        {"{% raw %} never ends {{ x }}\n", " never ends \n"},
        {"## Heading {#custom-id}\nText {#not-at-end} here\n", "## Heading \nText {#not-at-end} here\n"},
        {"Kramdown paragraph\n{: .note}\n", "Kramdown paragraph\n\n"},
        {"", ""},
        {"{", "{"},
        {"{{", "{{"},
        {"<", "<"},
        {"`", "`"},
    };
    CHECK(cases);
}

static void counts_by_kind(void **state)
{
    (void)state;
    const char *md = "import X from 'x'\n\n{% tag %}{{ out }}{{< sc >}}{{</* esc */>}}\n"
                     "{% raw %}{{ kept }}{% endraw %}<Comp />{# c #}\n{expr}\n## H {#id}\n";
    templates_counts c;
    size_t len;
    char *out = templates_strip(md, strlen(md), &len, &c);
    static const size_t want[TMPL_N_KINDS] = {
        [TMPL_TAG] = 1,       [TMPL_OUTPUT] = 1,    [TMPL_COMMENT] = 1,
        [TMPL_SHORTCODE] = 1, [TMPL_ESCAPED] = 1,   [TMPL_VERBATIM] = 1,
        [TMPL_ESM] = 1,       [TMPL_COMPONENT] = 1, [TMPL_EXPRESSION] = 1,
        [TMPL_ATTRIBUTE] = 1,
    };
    for (int k = 0; k < TMPL_N_KINDS; k++) {
        if (c.n[k] != want[k])
            print_error("kind %s\n", templates_kind_name(k));
        assert_int_equal(c.n[k], want[k]);
    }
    assert_string_equal(out, "\n\n{{< esc >}}\n{{ kept }}\n\n## H \n");
    assert_string_equal(templates_kind_name(TMPL_SHORTCODE), "shortcode");
    assert_string_equal(templates_kind_name(TMPL_N_KINDS), "unknown");
    free(out);
}

/* s repeated to n bytes or more, in a malloc'd buffer. */
static char *repeat(const char *s, size_t n, size_t *len)
{
    size_t k = strlen(s), times = n / k + 1;
    char *buf = malloc(times * k + 1);
    for (size_t i = 0; i < times; i++)
        memcpy(buf + i * k, s, k);
    buf[times * k] = '\0';
    *len = times * k;
    return buf;
}

/* Hostile inputs of about 512 KB each: every one must keep every newline and
 * never grow. Time is not asserted here (the benchmark measures speed); a
 * quadratic pass would take hours over these and trip the test's timeout in
 * tests/CMakeLists.txt, and the fuzz target runs the same function. */
static void hostile_inputs(void **state)
{
    (void)state;
    static const char *const units[] = {
        "{%", "{{", "{{<", "{{</*", "{% raw %}", "{% comment %}", "{% raw %}x{% endraw %}",
        "{{< highlight >}}", "{{% note %}}", "<A {", "<A \"", "<Aside>", "</Aside>", "{#", "{ ",
        "`", "``x", "\\`", "{\n", "import {\n", "export const a = {\n", "```\n", "> ", "- ",
        "    {{ x }}\n", "{#a}", "{{ a }}\n\n",
    };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t len, out_len;
        char *in = repeat(units[u], 1 << 19, &len);
        char *out = templates_strip(in, len, &out_len, NULL);
        size_t nl_in = 0, nl_out = 0;
        for (size_t i = 0; i < len; i++)
            nl_in += in[i] == '\n';
        for (size_t i = 0; i < out_len; i++)
            nl_out += out[i] == '\n';
        if (nl_in != nl_out)
            print_error("unit \"%s\": %zu newlines in, %zu out\n", units[u], nl_in, nl_out);
        assert_int_equal(nl_in, nl_out);
        assert_true(out_len <= len);
        free(in);
        free(out);
    }
}

/* Paired shortcodes 10,000 deep: no stack, inner text kept. */
static void deep_nesting(void **state)
{
    (void)state;
    size_t n = 10000, len = 0;
    char *in = malloc(n * 40 + 16);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(in + len, "{{%% box %%}}w");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(in + len, "{{%% /box %%}}");
    size_t out_len;
    char *out = templates_strip(in, len, &out_len, NULL);
    assert_int_equal(out_len, n);
    assert_int_equal(strspn(out, "w"), n);
    free(out);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(liquid),         cmocka_unit_test(verbatim_pairs),
        cmocka_unit_test(hugo_shortcodes), cmocka_unit_test(code_stays),
        cmocka_unit_test(mdx),            cmocka_unit_test(not_templates),
        cmocka_unit_test(counts_by_kind), cmocka_unit_test(hostile_inputs),
        cmocka_unit_test(deep_nesting),   cmocka_unit_test(liquid_in_code),
        cmocka_unit_test(shortcodes_in_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
