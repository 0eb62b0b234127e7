#!/usr/bin/env node
// md2groonga.js — write Groonga `load` commands for a tree of Markdown posts.
//
// usage: node bench/httppeers/md2groonga.js CORPUS_MD_DIR > load.grn
//
// Walks CORPUS_MD_DIR for *.md files (any depth; names starting with "." are
// ignored), reads the small YAML front matter our posts use (title, date,
// author, tags: [..], slug, summary, draft) and emits records for the Posts
// table in batches of 500 per `load` command, one JSON record per line. Posts
// with `draft: true` are left out. The body is the Markdown after the closing
// `---`, unchanged. On stderr: `md2groonga: <posts> posts, <drafts> drafts
// skipped`.
'use strict';
const fs = require('fs');
const path = require('path');

const root = process.argv[2];
if (!root) {
    process.stderr.write('usage: md2groonga.js CORPUS_MD_DIR\n');
    process.exit(2);
}

function* markdownFiles(dir) {
    const entries = fs.readdirSync(dir, { withFileTypes: true })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) yield* markdownFiles(full);
        else if (e.isFile() && e.name.endsWith('.md')) yield full;
    }
}

// Values in our front matter are plain, "double quoted" or 'single quoted'
// scalars, or [flow, lists]. That is all this handles.
function scalar(v) {
    v = v.trim();
    if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') {
        return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
    }
    if (v.length >= 2 && v[0] === "'" && v[v.length - 1] === "'") {
        return v.slice(1, -1).replace(/''/g, "'");
    }
    return v;
}

function parsePost(file) {
    const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    const meta = {};
    let body = text;
    const m = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
    if (m) {
        body = text.slice(m[0].length);
        for (const line of m[1].split('\n')) {
            const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
            if (!kv) continue;
            const [, key, raw] = kv;
            const v = raw.trim();
            if (v.startsWith('[') && v.endsWith(']')) {
                meta[key] = v.slice(1, -1).split(',').map(scalar).filter(s => s !== '');
            } else {
                meta[key] = scalar(v);
            }
        }
    }
    return { meta, body };
}

// Groonga Time columns take seconds since the epoch; dates are taken as UTC.
function epoch(date) {
    if (!date) return 0;
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? date + 'T00:00:00Z' : date);
    return Number.isNaN(t) ? 0 : t / 1000;
}

const BATCH = 500;
let batch = [];
let posts = 0;
let drafts = 0;
function flush() {
    if (batch.length === 0) return;
    process.stdout.write('load --table Posts\n[\n' + batch.join(',\n') + '\n]\n');
    batch = [];
}

for (const file of markdownFiles(root)) {
    const { meta, body } = parsePost(file);
    if (String(meta.draft).toLowerCase() === 'true') { drafts++; continue; }
    const tags = Array.isArray(meta.tags) ? meta.tags : (meta.tags ? [meta.tags] : []);
    batch.push(JSON.stringify({
        _key: meta.slug || path.basename(file, '.md'),
        title: meta.title || '',
        date: epoch(meta.date),
        author: meta.author || '',
        tags,
        summary: meta.summary || '',
        body,
    }));
    posts++;
    if (batch.length >= BATCH) flush();
}
flush();
process.stderr.write(`md2groonga: ${posts} posts, ${drafts} drafts skipped\n`);
