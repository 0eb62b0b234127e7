#!/usr/bin/env node
// paced.mjs — open-loop load at a fixed request rate, for the loomsearch
// benchmark.
//
// usage: node bench/paced.mjs PATHS_FILE PORT RATE DURATION CONNS [HOST]
//
//   PATHS_FILE  request paths, one per line (bench/paths makes them);
//               blank lines and lines starting with # are skipped; the list is
//               replayed in order, wrapping round
//   PORT        server port on HOST (default 127.0.0.1)
//   RATE        requests per second to send
//   DURATION    seconds to keep sending
//   CONNS       keep-alive connections to spread the requests over
//
// Request i is due at start + i / RATE seconds and is handed to the HTTP agent
// at that moment whether or not earlier answers have come back (open loop). If
// all CONNS connections are busy it waits in the agent's queue, and that wait
// counts: each latency runs from the time the request was DUE to the end of
// its response body, so a server that falls behind shows it in the latency
// instead of quietly receiving fewer requests (no coordinated omission).
//
// After DURATION seconds no more requests are started; answers still on their
// way get up to GRACE seconds (env PACED_GRACE, default 30) to arrive. One line
// goes to stdout at the end:
//
//   RESULT sent=<n> completed=<n> rps=<completed per second of sending>
//          p50_ms=<x> p90_ms=<x> p99_ms=<x> max_ms=<x> non2xx=<n>
//          errors=<n> unfinished=<n> late_ms=<x>
//
// (on one line). errors counts failed requests (connection errors, resets,
// per-request timeouts) plus unfinished ones; unfinished requests enter the
// percentiles with the time they had waited when the grace period ended, a
// lower bound. late_ms is how far behind schedule this client itself got when
// sending (a large value means the client, not the server, was the limit).
// Exit status 0 when the run completed (whatever the server answered), 2 on
// bad usage, 1 when no request could be sent at all.

import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

function usage(msg) {
    if (msg) process.stderr.write(`paced: ${msg}\n`);
    process.stderr.write('usage: node bench/paced.mjs PATHS_FILE PORT RATE DURATION CONNS [HOST]\n');
    process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.length < 5 || argv.length > 6) usage();
const [pathsFile, portArg, rateArg, durationArg, connsArg] = argv;
const host = argv[5] || '127.0.0.1';
const port = Number(portArg);
const rate = Number(rateArg);
const duration = Number(durationArg);
const conns = Number(connsArg);
if (!Number.isInteger(port) || port < 1 || port > 65535) usage('PORT must be 1..65535');
if (!(rate > 0)) usage('RATE must be a positive number');
if (!(duration > 0)) usage('DURATION must be a positive number of seconds');
if (!Number.isInteger(conns) || conns < 1) usage('CONNS must be a positive integer');
const grace = Number(process.env.PACED_GRACE || 30);
const requestTimeoutMs = Number(process.env.PACED_TIMEOUT || 60) * 1000;

let paths;
try {
    paths = fs.readFileSync(pathsFile, 'utf8').split('\n')
        .map(s => s.trim())
        .filter(s => s !== '' && !s.startsWith('#'))
        .map(s => (s.startsWith('/') ? s : '/' + s));
} catch (e) {
    usage(`cannot read ${pathsFile}: ${e.message}`);
}
if (paths.length === 0) usage(`no request paths in ${pathsFile}`);

const agent = new http.Agent({ keepAlive: true, maxSockets: conns, maxFreeSockets: conns });
const total = Math.max(1, Math.round(rate * duration));
const intervalMs = 1000 / rate;

const latencies = [];   // ms, completed requests (any status)
let sent = 0;
let completed = 0;
let non2xx = 0;
let failed = 0;
let lateMax = 0;
const pending = new Map();  // id -> due time

function fire(id, due) {
    const path = paths[id % paths.length];
    pending.set(id, due);
    let settled = false;
    const finish = (ok, status) => {
        if (settled) return;
        settled = true;
        pending.delete(id);
        if (!ok) { failed++; return; }
        completed++;
        if (status < 200 || status > 299) non2xx++;
        latencies.push(performance.now() - due);
    };
    const req = http.request({ host, port, path, method: 'GET', agent }, res => {
        res.on('data', () => {});
        res.on('end', () => finish(true, res.statusCode));
        res.on('error', () => finish(false));
        res.on('aborted', () => finish(false));
    });
    req.setTimeout(requestTimeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => finish(false));
    req.end();
    sent++;
}

const start = performance.now() + 50;  // a moment for the first timer to settle
let next = 0;

function tick() {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
        const due = start + next * intervalMs;
        if (now - due > lateMax) lateMax = now - due;
        fire(next, due);
        next++;
    }
    if (next < total) {
        const wait = Math.max(0, start + next * intervalMs - performance.now());
        setTimeout(tick, Math.min(wait, 5));
    } else {
        drain(performance.now());
    }
}

function drain(sendingEnded) {
    const deadline = sendingEnded + grace * 1000;
    const check = () => {
        if (pending.size === 0 || performance.now() >= deadline) report(sendingEnded);
        else setTimeout(check, 20);
    };
    check();
}

function pct(sorted, q) {
    if (sorted.length === 0) return NaN;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
}

function report(sendingEnded) {
    const now = performance.now();
    const unfinished = pending.size;
    for (const due of pending.values()) latencies.push(now - due);
    latencies.sort((a, b) => a - b);
    const f = x => (Number.isFinite(x) ? x.toFixed(3) : 'nan');
    const sendSecs = Math.max(1e-9, (sendingEnded - start) / 1000);
    process.stdout.write(
        `RESULT sent=${sent} completed=${completed} rps=${(completed / Math.max(sendSecs, duration)).toFixed(1)}` +
        ` p50_ms=${f(pct(latencies, 0.5))} p90_ms=${f(pct(latencies, 0.9))}` +
        ` p99_ms=${f(pct(latencies, 0.99))} max_ms=${f(latencies[latencies.length - 1])}` +
        ` non2xx=${non2xx} errors=${failed + unfinished} unfinished=${unfinished}` +
        ` late_ms=${f(lateMax)}\n`);
    agent.destroy();
    process.exit(sent > 0 ? 0 : 1);
}

setTimeout(tick, 50);
