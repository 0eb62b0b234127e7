// widget.test.mjs — the search box and the results page in a real browser:
// Debian's chromium driven by playwright-core, checked for accessibility with
// axe-core. The demo blog page is served from one origin and the search server
// runs on another, as on a real site.
// env: LOOM_SERVE (server binary), LOOM_ROOT (index root), LOOM_SHOTS (folder
// for screenshots), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { serve, launchBrowser } from "./lib.mjs";

const require = createRequire(import.meta.url);
const here = new URL(".", import.meta.url).pathname;
const demoHtml = readFileSync(`${here}/../../web/demo.html`, "utf8");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const shots = process.env.LOOM_SHOTS || `${here}/screenshots`;
mkdirSync(shots, { recursive: true });

let server, searchBase, blog, blogBase, browser, stranger, strangerBase;

// The search server on a free port, told which origin may call it.
function startSearchServer(allowOrigin, rate = ["--rate", "0"]) {
  return serve(["--db", process.env.LOOM_ROOT, ...rate, "--allow-origin", allowOrigin]);
}

before(async () => {
  // The blog: another origin, serving the demo page pointed at the search server.
  // ?search=URL points the page at another search server than the main one.
  const page = (req, res) => {
    if (req.url.startsWith("/demo.html")) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      const other = new URL(req.url, "http://x").searchParams.get("search");
      res.end(demoHtml.replaceAll("http://127.0.0.1:8080", other || searchBase));
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
    }
  };
  blog = createServer(page);
  // A site the search server was not told about: its pages' searches are refused by the browser.
  stranger = createServer(page);
  await new Promise((r) => stranger.listen(0, "127.0.0.1", r));
  strangerBase = `http://127.0.0.1:${stranger.address().port}`;
  await new Promise((r) => blog.listen(0, "127.0.0.1", r));
  blogBase = `http://127.0.0.1:${blog.address().port}`;
  [server, searchBase] = await startSearchServer(blogBase);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  blog?.close();
  stranger?.close();
});

async function axeViolations(page) {
  await page.evaluate(axeSource); // through the debugger, so the page's CSP does not apply
  const result = await page.evaluate(async () => await window.axe.run(document));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

test("typing shows highlighted results from another origin, keys move, Enter opens the full page", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${blogBase}/demo.html`);
  const box = page.locator("input[name=q]");
  await page.keyboard.press("/");
  assert.equal(await box.evaluate((e) => e === document.activeElement), true, "'/' focuses the box");
  await box.pressSequentially("workshop", { delay: 40 });
  const list = page.locator("[role=listbox]");
  // Wait for the answer to the whole word: answers to "wor", "works" may show first.
  await list.locator('.loomsearch-all[data-href$="q=workshop"]').waitFor({ state: "attached" });
  await list.locator("[role=option] mark").first().waitFor();
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  const status = await page.locator("[role=status]").textContent();
  assert.match(status, /^\d+ results?/, "the live region announces the count");
  const total = Number(status.split(" ")[0]);
  assert.ok(total > 0);
  assert.match(await list.locator(".loomsearch-all").textContent(), new RegExp(`See all ${total} result`));
  assert.equal(new URL(page.url()).searchParams.get("q"), "workshop", "the query is kept in the page's URL");
  await page.keyboard.press("ArrowDown");
  const first = list.locator("[role=option]").first();
  assert.equal(await first.getAttribute("aria-selected"), "true", "ArrowDown selects the first result");
  assert.equal(await box.getAttribute("aria-activedescendant"), await first.getAttribute("id"));
  await page.screenshot({ path: `${shots}/widget-results.png` });
  assert.deepEqual(await axeViolations(page), [], "no serious or critical accessibility violations");
  await page.keyboard.press("Escape");
  assert.equal(await list.isHidden(), true, "Escape closes the list");
  assert.equal(await box.inputValue(), "workshop", "and keeps what was typed");
  await page.keyboard.press("Enter");
  await page.waitForURL(/format=html/);
  assert.equal(new URL(page.url()).origin, searchBase, "Enter opens the full results page");
  await page.locator(".loom-hit").first().waitFor();
  assert.match(await page.locator(".loom-count").textContent(), new RegExp(`${total} results? for`));
  assert.deepEqual(errors, []);
  await page.close();
});

test("without JavaScript the form submits to the HTML results page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${blogBase}/demo.html`);
  await page.fill("input[name=q]", "air quality");
  await Promise.all([page.waitForURL(/\/search\?/), page.click("button[type=submit]")]);
  assert.equal(new URL(page.url()).origin, searchBase);
  const hits = page.locator(".loom-hit");
  await hits.first().waitFor();
  assert.ok(await hits.count() >= 3);
  assert.ok(await page.locator(".loom-hit mark").count() > 0, "matches are marked");
  await page.screenshot({ path: `${shots}/results-page-nojs.png`, fullPage: true });
  await context.close();
});

test("the results page passes the accessibility check", async () => {
  const page = await browser.newPage();
  await page.goto(`${searchBase}/search?q=open+data&format=html`);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test("a typo shows the correction's results, the count, and the words as typed one press away", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(`${blogBase}/demo.html`);
  await page.locator("input[name=q]").pressSequentially("wrokshop", { delay: 40 });
  const note = page.locator(".loomsearch-correction");
  await note.filter({ hasText: "Showing results for workshop" }).waitFor();
  const count = page.locator(".loomsearch-count");
  assert.equal(await count.isVisible(), true, "the count is visible, not only announced");
  assert.equal(await count.textContent(), "9 results");
  assert.equal(await page.locator(".loomsearch-hit").count(), 6);
  assert.match(await page.locator(".loomsearch-all").getAttribute("data-href"), /q=workshop$/, "see all opens the corrected search");
  await page.screenshot({ path: `${shots}/widget-correction.png` });
  assert.deepEqual(await axeViolations(page), [], "no serious or critical accessibility violations");
  await note.getByRole("button", { name: "wrokshop" }).click();
  await count.filter({ hasText: "No results" }).waitFor();
  assert.equal(await page.locator(".loomsearch-hit").count(), 0, "the words as typed find nothing");
  assert.equal(await note.count(), 0, "and no correction is offered for them");
  assert.match(await page.locator(".loomsearch-all").getAttribute("data-href"), /correct=0&q=wrokshop$/);
  await page.close();
});

test("a search the browser refuses (an origin not allowed) says so, visibly and aloud", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(`${strangerBase}/demo.html`);
  await page.locator("input[name=q]").pressSequentially("workshop", { delay: 20 });
  const message = page.locator(".loomsearch-message");
  await message.filter({ hasText: "cannot be reached" }).waitFor();
  assert.equal(await message.isVisible(), true);
  assert.equal(await message.getAttribute("aria-live"), "assertive");
  assert.equal(await page.locator(".loomsearch-panel").isHidden(), true, "no stale results");
  await page.screenshot({ path: `${shots}/widget-unreachable.png` });
  await page.close();
});

test("a stopped server: the message says the search cannot be reached", async () => {
  const [stopped, stoppedBase] = await startSearchServer(blogBase);
  const page = await browser.newPage();
  await page.goto(`${blogBase}/demo.html?search=${encodeURIComponent(stoppedBase)}`);
  await page.locator("input[name=q]").waitFor();
  await page.waitForFunction(() => document.querySelector(".loomsearch"));
  stopped.kill("SIGTERM");
  await new Promise((r) => stopped.on("exit", r));
  await page.locator("input[name=q]").pressSequentially("workshop", { delay: 20 });
  await page.locator(".loomsearch-message").filter({ hasText: "cannot be reached" }).waitFor();
  await page.close();
});

test("rate-limited (429): the box says it will try again, and does after Retry-After", async () => {
  const [limited, limitedBase] = await startSearchServer(blogBase, ["--rate", "1", "--burst", "4"]);
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${blogBase}/demo.html?search=${encodeURIComponent(limitedBase)}`);
    await page.waitForFunction(() => document.querySelector(".loomsearch"));
    // Spend the page's allowance, as a visitor typing fast in several tabs would.
    const statuses = await page.evaluate(async (b) => Promise.all([...Array(6)].map((_, i) =>
      fetch(`${b}/search?q=data${i}&format=json`, { cache: "no-store" }).then((r) => r.status))), limitedBase);
    assert.ok(statuses.includes(429), "the server refuses past the burst");
    // Keep it spent while the widget asks: the bucket refills one search a second, and on a
    // busy machine typing can take longer than that.
    await page.evaluate((b) => {
      window.spending = setInterval(() => fetch(`${b}/search?q=data&format=json`, { cache: "no-store" }), 20);
    }, limitedBase);
    const box = page.locator("input[name=q]");
    const message = page.locator(".loomsearch-message");
    const refused = message.filter({ hasText: /Too many searches at once: trying again in \d+ seconds?\./ });
    // The widget's search can still be the first to meet a refilled token, and be answered;
    // then the visitor's next keystroke asks again (the last letter, taken back and retyped).
    let shown = false;
    for (let attempt = 0; attempt < 4 && !shown; attempt++) {
      if (attempt) await box.press("Backspace");
      await box.pressSequentially(attempt ? "p" : "workshop", { delay: 10 });
      shown = await refused.waitFor({ timeout: 8000 }).then(() => true, () => false);
    }
    await page.evaluate(() => clearInterval(window.spending));
    assert.ok(shown, `a refused search is said so; the box showed: ${await page.locator(".loomsearch").innerText()}`);
    assert.equal(await message.isVisible(), true);
    await page.screenshot({ path: `${shots}/widget-rate-limited.png` });
    await page.locator(".loomsearch-count").filter({ hasText: "9 results" }).waitFor({ timeout: 10000 });
    assert.equal(await message.isHidden(), true, "the message goes when the results come");
    await page.close();
  } finally {
    limited.kill("SIGTERM");
  }
});

test("a search that stays busy (503) is tried again three times, then the box stops and says so", async () => {
  // A real server still waiting for its first index: 503 with Retry-After 5.
  const empty = mkdtempSync(join(tmpdir(), "loom-empty-"));
  const [server, base] = await serve(["--db", empty, "--wait-for-index", "--rate", "0",
    "--allow-origin", blogBase]);
  try {
    const page = await browser.newPage();
    // Searches for the whole word: on a slow machine the typing can outlast the
    // debounce, and a search for "work" goes too (and its tries end with the next key).
    let searches = 0;
    page.on("request", (r) => {
      if (r.url().startsWith(`${base}/search`) && r.url().endsWith("q=workshop")) searches++;
    });
    await page.goto(`${blogBase}/demo.html?search=${encodeURIComponent(base)}`);
    await page.waitForFunction(() => document.querySelector(".loomsearch"));
    await page.locator("input[name=q]").pressSequentially("workshop", { delay: 10 });
    const message = page.locator(".loomsearch-message");
    await message.filter({ hasText: "The search is busy: trying again in 5 seconds." }).waitFor();
    await message.filter({ hasText: "still busy" }).waitFor({ timeout: 25000 });
    const asked = searches;
    await new Promise((r) => setTimeout(r, 6000));
    assert.equal(searches, asked, "no search after it gave up");
    assert.equal(asked, 4, "the search and three tries again");
    await page.close();
  } finally {
    server.kill("SIGTERM");
    rmSync(empty, { recursive: true, force: true });
  }
});

test("a page that found nothing offers ways on, and a hit found by its tags says so", async () => {
  const page = await browser.newPage();
  await page.goto(`${searchBase}/search?q=zzyzx&tag=events&format=html`);
  assert.equal(await page.locator(".loom-empty a", { hasText: "Search again without the tag “events”" }).count(), 1);
  assert.equal(await page.locator(".loom-empty .loom-hit").count(), 5);
  assert.deepEqual(await axeViolations(page), []);
  await page.goto(`${searchBase}/search?q=hackathon&format=html`);
  assert.equal(await page.locator(".loom-why").first().textContent(), "Matched in: tags");
  await page.goto(`${searchBase}/search?q=${"w".repeat(600)}&format=html`);
  assert.match(await page.locator(".loom-error").textContent(), /q is longer than 512 bytes/);
  assert.equal(await page.locator("input[name=q]").count(), 1, "the form to try again");
  await page.close();
});
