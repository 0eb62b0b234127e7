// widget.test.mjs — the search box and the results page in a real browser:
// Debian's chromium driven by playwright-core, checked for accessibility with
// axe-core. The demo blog page is served from one origin and the search server
// runs on another, as on a real site.
// env: LOOM_SERVE (server binary), LOOM_ROOT (index root), LOOM_SHOTS (folder
// for screenshots), CHROMIUM (default /usr/bin/chromium).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = new URL(".", import.meta.url).pathname;
const demoHtml = readFileSync(`${here}/../../web/demo.html`, "utf8");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const shots = process.env.LOOM_SHOTS || `${here}/screenshots`;
mkdirSync(shots, { recursive: true });

let server, searchBase, blog, blogBase, browser;

// The search server on a free port, told which origin may call it.
function startSearchServer(allowOrigin) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.env.LOOM_SERVE, ["--db", process.env.LOOM_ROOT, "--listen", "127.0.0.1:0", "--rate", "0",
      "--allow-origin", allowOrigin], { stdio: ["ignore", "pipe", "inherit"] });
    p.stdout.on("data", (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve([p, `http://${m[1]}`]);
    });
    p.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

before(async () => {
  // The blog: another origin, serving the demo page pointed at the search server.
  blog = createServer((req, res) => {
    if (req.url.startsWith("/demo.html")) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(demoHtml.replaceAll("http://127.0.0.1:8080", searchBase));
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((r) => blog.listen(0, "127.0.0.1", r));
  blogBase = `http://127.0.0.1:${blog.address().port}`;
  [server, searchBase] = await startSearchServer(blogBase);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  blog?.close();
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
