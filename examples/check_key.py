#!/usr/bin/env python3
"""Self-check for the newsweave example corpus and its answer key.

Run from anywhere:  python3 examples/check_key.py
Standard library only. Exits 1 and lists every problem if the key and the
corpus disagree; prints a short summary otherwise.

Invariants checked (this list is the documentation of the key):
  * every article file / JSONL record exists and is keyed exactly once, and
    every key in answer-key.json points at a real file or record;
  * every article belongs to exactly one story, and its "story" field agrees;
  * text files: line 1 is the title; every blank-line-separated block after
    it is exactly one body paragraph, one debris item or one template-residue
    line (nothing unclassified); body paragraphs appear in key order; only the
    first body paragraph may carry a "date YYYY-MM-DD " header and/or a wire
    dateline prefix, and those must match "published" / "dateline";
  * HTML (files and the JSONL "html" record): every <p>/<h2>/<li> inside
    <article> is exactly one body paragraph, debris item or template-residue
    line (text content, whitespace collapsed, entities decoded); <h1>,
    og:title, og:site_name, meta author and article:published_time agree
    with the key;
  * every debris string occurs in its raw source (HTML: collapsed, decoded;
    cp1252 file: after decoding cp1252) and no body paragraph contains any
    debris or residue string of its article (case-insensitive);
  * every trap is a substring of a body paragraph; every heading is a body
    entry that looks like a heading (short, no final punctuation);
  * every conflict / compatible / unique-detail / upstream / quote text is a
    substring of the named article's body (upstream evidence may instead be
    the article's dateline); unique details occur in no other article;
  * syndicated copies have the original's body except for the last paragraph;
  * every independent-source count has an "anchor": an article of its story and a substring of that
    article's body that states the claim (the key's claim is a summary; tests find the claim by it);
  * template residue recurs verbatim in every article of its outlet;
  * the windows-1252 file is not valid UTF-8, the CRLF file uses CRLF, every
    other file is UTF-8 with LF endings;
  * >= 20 articles, >= 7 outlets, >= 5 stories, 150-400 words per article,
    dates within Oct-Nov 2025, and no real news-organisation names.
"""
import html
import json
import os
import re
import sys
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
ERRORS = []


def err(msg):
    ERRORS.append(msg)


def collapse(s):
    return " ".join(s.split())


# ---------------------------------------------------------------- HTML -----
class ArticleParser(HTMLParser):
    """Collects meta tags, <title>, and the text of block elements in <article>."""
    BLOCKS = {"p", "h1", "h2", "h3", "li"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta = {}
        self.title = ""
        self.in_title = False
        self.article_depth = 0
        self.stack = []          # open block elements inside <article>: [tag, [text parts]]
        self.blocks = []         # (tag, text) in document order of closing... fixed below
        self.order = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            k = a.get("property") or a.get("name")
            if k:
                self.meta[k] = a.get("content", "")
        elif tag == "title":
            self.in_title = True
        elif tag in ("script", "style"):
            self.in_script = True
        elif tag == "article":
            self.article_depth += 1
        elif tag in self.BLOCKS and self.article_depth:
            entry = [tag, []]
            self.order.append(entry)
            self.stack.append(entry)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in ("script", "style"):
            self.in_script = False
        elif tag == "article":
            self.article_depth -= 1
        elif tag in self.BLOCKS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_script:
            return
        if self.in_title:
            self.title += data
        if self.stack:
            self.stack[-1][1].append(data)

    def result(self):
        return [(t, collapse("".join(parts))) for t, parts in self.order]


def page_text(raw_html):
    """Whole page as one collapsed, entity-decoded string (tags removed)."""
    no_tags = re.sub(r"<[^>]+>", " ", raw_html)
    return collapse(html.unescape(no_tags))


# ----------------------------------------------------------- loading -----
def load_key():
    def no_dupes(pairs):
        seen = {}
        for k, v in pairs:
            if k in seen:
                err("answer-key.json: duplicate key %r" % k)
            seen[k] = v
        return seen
    with open(os.path.join(HERE, "answer-key.json"), encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=no_dupes)


def discover():
    """Return {article_key: source dict} for every article in the corpus."""
    found = {}
    for sub, exts in (("text", (".txt", ".md")), ("html", (".html",))):
        d = os.path.join(HERE, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(exts):
                found["%s/%s" % (sub, name)] = {"kind": "html" if sub == "html" else "text",
                                               "path": os.path.join(d, name)}
    d = os.path.join(HERE, "feeds")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(d, name), "rb") as f:
            raw = f.read()
        try:
            lines = raw.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            err("feeds/%s is not UTF-8" % name)
            continue
        if b"\r" in raw:
            err("feeds/%s has CR characters" % name)
        if lines and lines[-1] == "":
            lines.pop()
        for i, line in enumerate(lines, 1):
            try:
                rec = json.loads(line)
            except ValueError as e:
                err("feeds/%s line %d: bad JSON (%s)" % (name, i, e))
                continue
            found["feeds/%s#%d" % (name, i)] = {"kind": "record", "record": rec}
    return found


def read_text_file(key, path):
    with open(path, "rb") as f:
        raw = f.read()
    if "cp1252" in key:
        try:
            raw.decode("utf-8")
            err("%s: named cp1252 but decodes as UTF-8" % key)
        except UnicodeDecodeError:
            pass
        text = raw.decode("cp1252")
        if text.isascii():
            err("%s: cp1252 file has no non-ASCII characters" % key)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            err("%s: not valid UTF-8" % key)
            text = raw.decode("utf-8", "replace")
    if "crlf" in key:
        if "\r\n" not in text or re.search(r"(?<!\r)\n", text):
            err("%s: expected CRLF line endings throughout" % key)
    elif "\r" in text:
        err("%s: unexpected CR characters" % key)
    return text.replace("\r\n", "\n")


# ------------------------------------------------------- per-article -----
DATE_HDR = re.compile(r"^date (\d{4}-\d{2}-\d{2}) ")


def strip_prefix(first_raw, body0, art, key):
    """Check that first_raw == [date header][dateline ]body0."""
    if first_raw == body0:
        if art.get("dateline"):
            err("%s: dateline %r not found before first paragraph" % (key, art["dateline"]))
        return
    if not first_raw.endswith(body0):
        err("%s: first body paragraph does not match source block:\n    key: %r\n    raw: %r"
            % (key, body0[:80], first_raw[:80]))
        return
    prefix = first_raw[: len(first_raw) - len(body0)]
    m = DATE_HDR.match(prefix)
    if m:
        if m.group(1) != art.get("published"):
            err("%s: date header %s != published %s" % (key, m.group(1), art.get("published")))
        prefix = prefix[m.end():]
    dl = art.get("dateline")
    if dl:
        if prefix != dl + " ":
            err("%s: prefix %r does not match dateline %r" % (key, prefix, dl))
    elif prefix:
        err("%s: unexplained prefix %r before first paragraph" % (key, prefix))


def classify(key, art, units, first_body_may_prefix=True):
    """units: list of source strings (text blocks or HTML element texts) in order."""
    body = art["body"]
    debris = art["debris"]
    residue = art["template_residue"]
    bi = 0
    debris_left = list(debris)
    for u in units:
        if bi < len(body) and (u == body[bi] or (bi == 0 and first_body_may_prefix and u.endswith(body[0]))):
            if bi == 0:
                strip_prefix(u, body[0], art, key)
            bi += 1
        elif u in debris_left:
            debris_left.remove(u)
        elif u in residue:
            pass
        else:
            err("%s: source block not in key (body #%d expected next): %r" % (key, bi, u[:100]))
    if bi != len(body):
        err("%s: only %d of %d body paragraphs found in order; next expected: %r"
            % (key, bi, len(body), body[bi][:80] if bi < len(body) else ""))
    for d in debris_left:
        err("%s: debris item not found as its own block: %r" % (key, d[:80]))


def check_text(key, art, text, has_title_line, is_md):
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    for b in blocks:
        if "\n" in b:
            err("%s: block spans several lines (use blank lines between items): %r" % (key, b[:60]))
    if has_title_line:
        title = blocks.pop(0)
        if is_md:
            title = re.sub(r"^#\s+", "", title)
        if title != art["title"]:
            err("%s: title line %r != key title %r" % (key, title, art["title"]))
    if is_md:
        blocks = [re.sub(r"^#{2,6}\s+", "", b) for b in blocks]
    classify(key, art, blocks)
    return text


def check_html(key, art, raw_html, outlet_meta=True):
    p = ArticleParser()
    p.feed(raw_html)
    p.close()
    elems = p.result()
    h1 = [t for tag, t in elems if tag == "h1"]
    if h1 != [art["title"]]:
        err("%s: <h1> %r != title %r" % (key, h1, art["title"]))
    if p.meta.get("og:title") not in (None, art["title"]):
        err("%s: og:title differs from key title" % key)
    if p.meta.get("og:site_name") != art["outlet"]:
        err("%s: og:site_name %r != outlet %r" % (key, p.meta.get("og:site_name"), art["outlet"]))
    if p.meta.get("author") != art["author"]:
        err("%s: meta author %r != author %r" % (key, p.meta.get("author"), art["author"]))
    pt = p.meta.get("article:published_time", "")
    if pt[:10] != art["published"]:
        err("%s: article:published_time %r != published %r" % (key, pt, art["published"]))
    if not p.title.strip():
        err("%s: empty <title>" % key)
    units = [t for tag, t in elems if tag != "h1"]
    for tag, t in elems:
        if t in art["headings"] and tag != "h2":
            err("%s: heading %r is a <%s>, expected <h2>" % (key, t, tag))
    classify(key, art, units)
    return page_text(raw_html)


def check_article(key, src, art):
    if src["kind"] == "text":
        text = read_text_file(key, src["path"])
        check_text(key, art, text, True, key.endswith(".md"))
        return text
    if src["kind"] == "html":
        with open(src["path"], "rb") as f:
            raw = f.read()
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError:
            err("%s: not UTF-8" % key)
            s = raw.decode("utf-8", "replace")
        if "\r" in s:
            err("%s: unexpected CR characters" % key)
        if not s.lstrip().lower().startswith("<!doctype html>"):
            err("%s: missing doctype" % key)
        return check_html(key, art, s)
    rec = src["record"]
    for field in ("title", "url", "outlet", "published", "author"):
        if field not in rec:
            err("%s: record lacks %r" % (key, field))
    if rec.get("title") != art["title"]:
        err("%s: record title != key title" % key)
    if rec.get("outlet") != art["outlet"]:
        err("%s: record outlet %r != key outlet %r" % (key, rec.get("outlet"), art["outlet"]))
    if rec.get("author") != art["author"]:
        err("%s: record author != key author" % key)
    if str(rec.get("published", ""))[:10] != art["published"]:
        err("%s: record published %r != key %r" % (key, rec.get("published"), art["published"]))
    if ("text" in rec) == ("html" in rec):
        err("%s: record must have exactly one of text/html" % key)
    if "html" in rec:
        return check_html(key, art, rec["html"])
    check_text(key, art, rec.get("text", ""), False, False)
    return rec.get("text", "")


# ------------------------------------------------------------- main -----
REAL_OUTLETS = ["Reuters", "Associated Press", "Washington Post", "New York Times", "BBC", "CNN",
                "Bloomberg", "Agence France", "AFP", "The Guardian", "El País", "Al Jazeera",
                "Wall Street Journal", "Financial Times", "Le Monde", "Der Spiegel", "NPR", "Fox News",
                "Anadolu", "EFE", "Xinhua", "Lusa", "dpa"]
AD_PLACEHOLDERS = ["Advertisement", "ADVERTISEMENT", "Anzeige", "Publicidad", "Reklam y\u00fckleniyor...",
                   "Publicit\u00e9", "Pubblicit\u00e0", "\u0420\u0435\u043a\u043b\u0430\u043c\u0430",
                   "Scroll to continue with content"]
RESIDUE_FORBIDDEN = re.compile(r"share|subscri|newsletter|copyright|\u00a9|all rights|cookie|comment|"
                               r"advertis|follow us|sign up|read more|related", re.I)


def main():
    key = load_key()
    arts = key["articles"]
    corpus = discover()

    # --- existence / uniqueness
    for k in corpus:
        if k not in arts:
            err("%s: in corpus but not in answer-key.json" % k)
    for k in arts:
        if k not in corpus:
            err("%s: in answer-key.json but no such file/record" % k)

    # --- stories
    story_ids = [s["id"] for s in key["stories"]]
    if len(set(story_ids)) != len(story_ids):
        err("duplicate story ids")
    listed = {}
    for s in key["stories"]:
        for a in s["articles"]:
            listed.setdefault(a, []).append(s["id"])
    for k, art in arts.items():
        ss = listed.get(k, [])
        if len(ss) != 1:
            err("%s: listed in %d stories %s" % (k, len(ss), ss))
        elif ss[0] != art["story"]:
            err("%s: story field %r but listed under %r" % (k, art["story"], ss[0]))
    for pair in key["same_kind_pairs"]:
        for sid in pair:
            if sid not in story_ids:
                err("same_kind_pairs: unknown story %r" % sid)

    # --- per-article source checks
    raw_text = {}
    for k, art in arts.items():
        if k not in corpus:
            continue
        for f in ("story", "outlet", "title", "author", "published", "dateline", "body", "headings",
                  "debris", "traps", "template_residue"):
            if f not in art:
                err("%s: key entry lacks %r" % (k, f))
        raw_text[k] = check_article(k, corpus[k], art)

    bodies = {k: "\n".join(a["body"]) for k, a in arts.items()}
    for k, art in arts.items():
        raw = raw_text.get(k, "")
        for d in art["debris"] + art["template_residue"]:
            if d not in raw:
                err("%s: debris/residue not in raw source: %r" % (k, d[:80]))
            for para in art["body"]:
                if d.lower() in para.lower():
                    err("%s: body paragraph contains debris %r" % (k, d[:60]))
        for para in art["body"]:
            if art["title"] and para == art["title"]:
                err("%s: title repeated as body paragraph" % k)
            if DATE_HDR.match(para) or (art["dateline"] and para.startswith(art["dateline"])):
                err("%s: body paragraph keeps a date header or dateline" % k)
        for t in art["traps"]:
            if not any(t in para for para in art["body"]):
                err("%s: trap not in any body paragraph: %r" % (k, t[:80]))
        for h in art["headings"]:
            if h not in art["body"]:
                err("%s: heading %r not a body entry" % (k, h))
            if len(h.split()) > 8 or h[-1] in ".!?:;,":
                err("%s: heading %r does not look like a heading" % (k, h))
        words = sum(len(p.split()) for p in art["body"] if p not in art["headings"])
        if not 150 <= words <= 400:
            err("%s: %d body words (want 150-400)" % (k, words))
        pub = art["published"]
        if pub is not None and not re.match(r"2025-1[01]-\d\d$", pub):
            err("%s: published %r outside Oct-Nov 2025" % (k, pub))
        if (art["author"] and corpus.get(k, {}).get("kind") != "record"
                and not any(art["author"] in d for d in art["debris"])):
            err("%s: no byline/bio debris line names the author %r" % (k, art["author"]))

    def in_body(k, text, what, allow_dateline=False):
        if k not in arts:
            err("%s: unknown article %r" % (what, k))
            return
        if text in bodies[k]:
            return
        if allow_dateline and arts[k]["dateline"] and text == arts[k]["dateline"]:
            return
        err("%s: text not in body of %s: %r" % (what, k, text[:90]))

    def story_of(k):
        return arts[k]["story"] if k in arts else None

    # --- conflicts
    for c in key["conflicts"]:
        seen = set()
        for val, ks in c["values"].items():
            for k in ks:
                if k in seen:
                    err("conflict %s/%s: %s listed under two values" % (c["story"], c["kind"], k))
                seen.add(k)
                if story_of(k) != c["story"]:
                    err("conflict %s: %s is not in that story" % (c["story"], k))
        for val, ev in c["evidence"].items():
            ks = c["values"].get(val, [])
            if not any(ev in bodies.get(k, "") for k in ks):
                err("conflict %s/%s: evidence for %r not in any article with that value" % (c["story"], c["kind"], val))
            if c["kind"] != "date" and val not in ev:
                err("conflict %s/%s: value %r not in its evidence" % (c["story"], c["kind"], val))
        if len(c["values"]) < 2:
            err("conflict %s/%s: needs two values" % (c["story"], c["kind"]))
    kinds = {c["kind"] for c in key["conflicts"]}
    for need in ("designator", "number"):
        if need not in kinds:
            err("no %s conflict in the key" % need)

    for c in key["compatible"]:
        for s in c["statements"]:
            in_body(s["article"], s["text"], "compatible/%s" % c["story"])
            if story_of(s["article"]) != c["story"]:
                err("compatible %s: %s not in story" % (c["story"], s["article"]))
    for q in key["quote_variants"]:
        texts = set()
        for v in q["variants"]:
            in_body(v["article"], v["text"], "quote_variants/%s" % q["story"])
            texts.add(v["text"])
        if len(texts) < 2:
            err("quote_variants %s: variants are identical" % q["story"])
    for u in key["unique_details"]:
        in_body(u["article"], u["text"], "unique_details/%s" % u["story"])
        others = [k for k in arts if k != u["article"] and u["text"] in bodies[k]]
        if others:
            err("unique detail also in %s: %r" % (others, u["text"][:60]))
    outlets = {a["outlet"] for a in arts.values()}
    for up in key["upstream"]:
        in_body(up["article"], up["evidence"], "upstream", allow_dateline=True)
        if up["credits"] not in outlets:
            err("upstream credits unknown outlet %r" % up["credits"])
        if up["article"] in arts and arts[up["article"]]["outlet"] == up["credits"]:
            err("upstream: %s credits its own outlet" % up["article"])
    for syn in key["syndicated"]:
        ob = arts[syn["original"]]["body"]
        for cp in syn["copies"]:
            cb = arts[cp]["body"]
            if cb[:-1] != ob[:-1]:
                err("syndicated: %s body differs from %s before the last paragraph" % (cp, syn["original"]))
            if cb[-1] == ob[-1]:
                err("syndicated: %s has the same last paragraph as the original" % cp)
            if arts[cp]["dateline"] != arts[syn["original"]]["dateline"]:
                err("syndicated: %s dateline differs" % cp)
    for ind in key["independent_sources"]:
        if ind["story"] not in story_ids or not isinstance(ind["count"], int) or ind["count"] < 1:
            err("independent_sources: bad entry %r" % ind["claim"][:50])
        anchor = ind.get("anchor") or {}
        if anchor.get("article") not in arts or not any(anchor.get("text", "\0") in p for p in arts[anchor["article"]]["body"]):
            err("independent_sources: anchor of %r is not a substring of its article's body" % ind["claim"][:50])
        elif arts[anchor["article"]]["story"] != ind["story"]:
            err("independent_sources: anchor of %r is in another story" % ind["claim"][:50])

    # --- template residue
    by_outlet = {}
    for k, a in arts.items():
        by_outlet.setdefault(a["outlet"], []).append(k)
    residue_outlets = set()
    for k, a in arts.items():
        for r in a["template_residue"]:
            residue_outlets.add(a["outlet"])
            if RESIDUE_FORBIDDEN.search(r):
                err("%s: template residue %r looks like a known debris kind" % (k, r))
            for other in by_outlet[a["outlet"]]:
                if r not in arts[other]["template_residue"] or r not in raw_text.get(other, ""):
                    err("template residue %r missing from %s" % (r, other))
    if len([o for o in residue_outlets if len(by_outlet[o]) >= 2]) < 2:
        err("need template residue for at least two outlets with 2+ articles")

    # --- corpus-wide requirements
    all_debris = [d for a in arts.values() for d in a["debris"]]
    for ph in AD_PLACEHOLDERS:
        if ph not in all_debris:
            err("ad placeholder %r not planted" % ph)
    for label, pat in (("comment policy", r"^Comments are moderated"), ("cookie notice", r"We use cookies"),
                       ("copyright", r"^(\u00a9|Copyright) 2025 "), ("bio", r" (is|covers) .*(for|at) "),
                       ("related/read more", r"^(Related:?|Read more:?)$"), ("contact", r"^Contact the author"),
                       ("share", r"^Share this"), ("newsletter", r"^Sign up"), ("subscribe", r"^Subscribe"),
                       ("follow", r"^Follow us")):
        n = sum(1 for d in all_debris if re.search(pat, d))
        if n < 2:
            err("debris kind %s planted only %d times" % (label, n))
    if sum(len(a["traps"]) for a in arts.values()) < 4:
        err("fewer than 4 traps")
    if sum(1 for a in arts.values() if a["headings"]) < 3:
        err("fewer than 3 articles with sub-headings")
    def short(outlet):
        return re.sub(r"^The ", "", outlet)
    only_debris = [k for k, a in arts.items() if corpus.get(k, {}).get("kind") == "text"
                   and short(a["outlet"]) not in a["title"] + "\n" + bodies[k]
                   and short(a["outlet"]) not in " ".join(a["template_residue"])]
    if not only_debris:
        err("no text file names its outlet only in a copyright or bio line")
    date_hdr = sum(1 for k in arts if corpus.get(k, {}).get("kind") == "text"
                   and re.search(r"(^|\n)date \d{4}-\d\d-\d\d ", raw_text.get(k, "")))
    if date_hdr < 2:
        err("fewer than two text files with a glued date header")

    everything = ""
    for root, _, files in os.walk(HERE):
        for name in files:
            if name.endswith((".txt", ".md", ".html", ".jsonl", ".json")):
                with open(os.path.join(root, name), "rb") as f:
                    b = f.read()
                everything += b.decode("cp1252" if "cp1252" in name else "utf-8", "replace")
    for real in REAL_OUTLETS:
        if re.search(r"\b%s\b" % re.escape(real), everything):
            err("real outlet name %r appears in the corpus" % real)

    fmt = {"text": 0, "md": 0, "html": 0, "record": 0}
    for k, s in corpus.items():
        fmt["md" if k.endswith(".md") else s["kind"]] += 1
    if len(arts) < 20:
        err("only %d articles" % len(arts))
    if len(outlets) < 7:
        err("only %d outlets" % len(outlets))
    if len(story_ids) < 5:
        err("only %d stories" % len(story_ids))

    if ERRORS:
        print("check_key: %d problem(s)" % len(ERRORS))
        for e in ERRORS:
            print("  -", e)
        sys.exit(1)
    print("check_key: OK")
    print("  %d articles (%d txt, %d md, %d html, %d jsonl records), %d outlets, %d stories"
          % (len(arts), fmt["text"], fmt["md"], fmt["html"], fmt["record"], len(outlets), len(story_ids)))
    print("  %d debris items, %d template-residue lines, %d traps, %d headings"
          % (len(all_debris), sum(len(a["template_residue"]) for a in arts.values()),
             sum(len(a["traps"]) for a in arts.values()), sum(len(a["headings"]) for a in arts.values())))
    print("  %d conflicts, %d compatible groups, %d quote-variant groups, %d unique details, "
          "%d upstream credits, %d syndication groups"
          % (len(key["conflicts"]), len(key["compatible"]), len(key["quote_variants"]),
             len(key["unique_details"]), len(key["upstream"]), len(key["syndicated"])))
    print("  outlet named only in debris: %s" % ", ".join(sorted(only_debris)))


if __name__ == "__main__":
    main()
