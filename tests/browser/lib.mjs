// lib.mjs — what the browser tests share: a real loomsearch-serve on a free
// port, and Debian's chromium started headless.
// env: LOOM_SERVE (server binary), CHROMIUM (default /usr/bin/chromium).
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

// loomsearch-serve with args (--listen is added), resolved with [process,
// "http://HOST:PORT"] once it prints where it listens.
export function serve(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.env.LOOM_SERVE, [...args, "--listen", "127.0.0.1:0"],
      { stdio: ["ignore", "pipe", "inherit"] });
    p.stdout.on("data", (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve([p, `http://${m[1]}`]);
    });
    p.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
