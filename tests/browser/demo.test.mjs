// demo.test.mjs — the demo as a visitor meets it: the sample archive rendered
// as a small blog (scripts/demo-site) and served with the search from one
// origin, as scripts/demo does, on a free port. A typo is corrected as it is
// typed, a result opens its post, the form works without JavaScript, the tag
// feeds open their posts, and no request fails or is refused on the way.
// env: LOOM_SERVE (server binary), LOOM_ROOT (index root of corpus/),
// LOOM_SHOTS (folder for screenshots), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launchBrowser } from "./lib.mjs";

const here = new URL(".", import.meta.url).pathname;
const src = join(here, "..", "..");
const shots = process.env.LOOM_SHOTS || `${here}/screenshots`;
mkdirSync(shots, { recursive: true });

let server, base, browser, site;

before(async () => {
  site = mkdtempSync(join(tmpdir(), "loom-demo-site-"));
  execFileSync(join(src, "scripts", "demo-site"), [join(src, "corpus"), site], { stdio: "ignore" });
  [server, base] = await serve(["--db", process.env.LOOM_ROOT, "--site-root", site]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (site) rmSync(site, { recursive: true, force: true });
});

// Every request the page makes that fails, is refused (CORS included: the
// browser reports those as failed) or answers 4xx/5xx. A search superseded by
// the next keystroke is aborted on purpose, and is not a failure.
function watch(page) {
  const bad = [];
  page.on("requestfailed", (r) => {
    const superseded = r.failure()?.errorText === "net::ERR_ABORTED" && /\/search\?format=json/.test(r.url());
    if (!superseded) bad.push(`${r.failure()?.errorText} ${r.url()}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) bad.push(`${r.status()} ${r.url()}`); });
  page.on("pageerror", (e) => bad.push(String(e)));
  return bad;
}

// A post page: it is one of the blog's (its own heading), and the section the
// result named is on it.
async function checkPost(page) {
  assert.match(new URL(page.url()).pathname, /^\/\d{4}\/\d{2}\/[a-z0-9-]+\/$/, "a post's address");
  await page.locator("article h1").waitFor();
  const hash = new URL(page.url()).hash.slice(1);
  if (hash) assert.equal(await page.locator(`[id="${hash}"]`).count(), 1, `the section #${hash} is on the page`);
}

test("a visitor types a typo, sees the correction and opens a result", async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 850 } });
  const bad = watch(page);
  await page.goto(`${base}/`);
  assert.equal(await page.locator("ul.posts li").count(), 43, "the blog lists its posts");
  const box = page.locator("input[name=q]");
  await box.pressSequentially("wrokshop", { delay: 60 });
  const correction = page.locator(".loomsearch-correction");
  await correction.filter({ hasText: "Showing results for workshop" }).waitFor();
  const count = page.locator(".loomsearch-count");
  assert.equal(await count.isVisible(), true, "the count is shown");
  assert.match(await count.textContent(), /^9 results$/);
  assert.ok(await page.locator(".loomsearch-hit").count() > 0, "the correction's results are listed");
  assert.ok(await page.locator(".loomsearch-hit mark").count() > 0, "with the corrected word marked");
  await page.screenshot({ path: `${shots}/demo-typo-corrected.png` });
  await Promise.all([page.waitForURL(/\/\d{4}\/\d{2}\//), page.locator(".loomsearch-hit").first().dispatchEvent("mousedown")]);
  await checkPost(page);
  await page.screenshot({ path: `${shots}/demo-post.png` });
  // From the post, Enter opens the full results page, and its first result its post.
  await page.locator("input[name=q]").pressSequentially("air quality", { delay: 30 });
  await page.locator(".loomsearch-count").filter({ hasText: /results/ }).waitFor();
  await Promise.all([page.waitForURL(/format=html/), page.keyboard.press("Enter")]);
  await page.locator(".loom-hit").first().waitFor();
  await Promise.all([page.waitForURL(/\/\d{4}\/\d{2}\//), page.locator(".loom-title a").first().click()]);
  await checkPost(page);
  assert.deepEqual(bad, [], "no request failed");
  await page.close();
});

test("without JavaScript the blog's form gives the results page, and a result its post", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const bad = watch(page);
  await page.goto(`${base}/2025/02/lcr-data-community-launch/`);
  await page.fill("input[name=q]", "air quality");
  await Promise.all([page.waitForURL(/\/search\?/), page.click("button[type=submit]")]);
  assert.ok(await page.locator(".loom-hit").count() >= 3);
  await page.screenshot({ path: `${shots}/demo-nojs-results.png`, fullPage: true });
  await Promise.all([page.waitForURL(/\/\d{4}\/\d{2}\//), page.locator(".loom-title a").first().click()]);
  await checkPost(page);
  await page.goto(`${base}/search?q=zzyzx+comunity&format=html`);
  assert.ok(await page.locator(".loom-empty .loom-hit").count() === 5, "a page that found nothing offers the newest posts");
  await page.screenshot({ path: `${shots}/demo-nothing-found.png`, fullPage: true });
  assert.deepEqual(bad, [], "no request failed");
  await context.close();
});

test("a post's tag feeds are Atom whose entries open the blog's posts", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/2025/08/what-is-this-thing-called-ai-workshops/`);
  const feeds = await page.locator('a[href$="format=atom"]').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(feeds.length >= 1);
  for (const feed of feeds) {
    const xml = await (await page.request.get(feed)).text();
    const links = [...xml.matchAll(/<entry>[\s\S]*?<link rel="alternate" type="text\/html" href="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(links.length > 0, `${feed} has entries`);
    for (const link of links) {
      assert.ok(link.startsWith(base), `${link} is on the blog`);
      assert.equal((await page.request.get(link)).status(), 200, `${link} opens`);
    }
  }
  await page.close();
});
