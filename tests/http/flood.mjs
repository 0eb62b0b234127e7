// flood.mjs — open N connections to the server at once, each sending one
// request, and count what happens to them: answered (with which status),
// closed without an answer, or failed to connect. Bounded by a deadline.
// usage: node flood.mjs HOST PORT N SECONDS
import net from "node:net";

const [host, port, n, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const counts = { answered: 0, closed: 0, refused: 0, statuses: {} };
let pending = n;
const done = () => {
  if (--pending === 0) finish();
};
const finish = () => {
  console.log(JSON.stringify(counts));
  process.exit(0);
};
setTimeout(finish, seconds * 1000);
for (let i = 0; i < n; i++) {
  const s = net.connect({ host, port });
  let data = "";
  let settled = false;
  const settle = (kind) => {
    if (settled) return;
    settled = true;
    if (kind === "answered") {
      counts.answered++;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] || "?";
      counts.statuses[status] = (counts.statuses[status] || 0) + 1;
    } else {
      counts[kind]++;
    }
    s.destroy();
    done();
  };
  s.on("connect", () => s.write(`GET /search?q=data&format=json&i=${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
  s.on("data", (d) => { data += d; });
  s.on("end", () => settle(data ? "answered" : "closed"));
  s.on("error", () => settle(data ? "answered" : (s.connecting ? "refused" : "closed")));
}
