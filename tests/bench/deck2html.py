#!/usr/bin/env python3
"""Part of the on-demand benchmark (tests/bench.sh), not a test.

Turns a kiosk deck (YAML) into one HTML page that shows the same slide deck
the way a clinic would in a browser in kiosk mode (chromium --kiosk): the
same texts, pictures, colours and fonts (the deck's TrueType files through
@font-face), the same layouts (title, text with a picture beside it,
bullets, numbered steps, image, sign-up invitation), the same footer
(progress bar, Back / sign-up / Next buttons), the same cross-fade and
length (timing: transition_ms, 300 ms by default) and the same slide
durations (a slide's duration:, else the kiosk's rule: 4 s + 1 s per 3
words, 6 to 30 s). The slides loop forever, as the kiosk's attract loop.

  deck2html.py DECK.yaml OUT.html [--data DIR]

Pictures and fonts are looked up as the kiosk does (next to the deck, then in
DIR, the kiosk's data folder) and written as paths relative to OUT.html, so
the page works from file://. PAGE.html#NAME starts at the slide of that
name (its name:, else made from its title as the kiosk does), with no fade,
for a screenshot of one slide. Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import html
import json
import os
import re

import yaml

DEFAULT_THEME = {
    "background": "#F7F3EE", "text": "#2B2A28", "accent": "#1F5F5B",
    "accent_text": "#FFFFFF", "muted": "#5E5A55", "surface": "#FFFFFF",
    "error": "#A3261B",
    "font": "fonts/AtkinsonHyperlegible-Regular.ttf",
    "bold_font": "fonts/AtkinsonHyperlegible-Bold.ttf",
}


def find(rel, deck_dir, data_dir, out_dir):
    if not rel:
        return None
    cands = [rel] if os.path.isabs(rel) else [os.path.join(deck_dir, rel)] + (
        [os.path.join(data_dir, rel)] if data_dir else [])
    for c in cands:
        if os.path.exists(c):
            return os.path.relpath(os.path.abspath(c), out_dir)
    return rel


def words(s):
    n = 0
    for k in ("title", "subtitle", "text", "caption"):
        n += len(str(s.get(k) or "").split())
    for it in s.get("items") or []:
        n += len(str(it).split())
    return n


def duration(s):
    if s.get("duration") is not None:
        return float(s["duration"])
    return min(30.0, max(6.0, 4.0 + words(s) / 3.0))


def layout(s):
    if s.get("layout"):
        return s["layout"]
    if s.get("items"):
        return "bullets"
    if s.get("image") and s.get("caption") and not s.get("text"):
        return "image"
    return "text"


def paras(text):
    # "text: |" keeps one line per line on screen; blank lines are gaps
    out = []
    for line in str(text or "").rstrip("\n").split("\n"):
        out.append("<p>%s</p>" % html.escape(line) if line.strip() else "<p>&nbsp;</p>")
    return "".join(out)


def slide_html(s, img, signup_button):
    e = html.escape
    lay = layout(s)
    t = "<h1>%s</h1>" % e(str(s["title"])) if s.get("title") else ""
    pic = '<div class="pic"><img src="%s" alt=""></div>' % e(img) if img else ""
    if lay == "title":
        sub = '<p class="sub">%s</p>' % e(str(s["subtitle"])) if s.get("subtitle") else ""
        return '<div class="row title"><div class="col">%s%s</div>%s</div>' % (t, sub, pic)
    if lay in ("bullets", "steps"):
        tag = "ol" if lay == "steps" else "ul"
        items = "".join("<li><span>%s</span></li>" % e(str(i)) for i in s.get("items") or [])
        return '%s<%s class="%s">%s</%s>' % (t, tag, lay, items, tag)
    if lay == "image":
        cap = '<p class="cap">%s</p>' % e(str(s["caption"])) if s.get("caption") else ""
        return '%s<div class="big">%s</div>%s' % (t, pic, cap)
    if lay == "signup":
        btn = e(str(s.get("button") or signup_button))
        return ('%s<div class="row"><div class="col">%s<div class="go">%s</div></div>%s</div>'
                % (t, paras(s.get("text")), btn, pic))
    return '%s<div class="row"><div class="col">%s</div>%s</div>' % (t, paras(s.get("text")), pic)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("deck")
    ap.add_argument("out")
    ap.add_argument("--data", default="")
    a = ap.parse_args()
    with open(a.deck, encoding="utf-8") as f:
        deck = yaml.safe_load(f)
    deck_dir = os.path.dirname(os.path.abspath(a.deck))
    out_dir = os.path.dirname(os.path.abspath(a.out))
    th = dict(DEFAULT_THEME)
    th.update({k: v for k, v in (deck.get("theme") or {}).items() if v is not None})
    tm = deck.get("timing") or {}
    fade = int(tm.get("transition_ms", 300)) if tm.get("transition", "fade") != "none" else 0
    labels = deck.get("labels") or {}
    signup = deck.get("signup") or {}
    signup_button = signup.get("button", "Sign up")
    slides = deck["slides"]

    def loc(rel):
        return find(rel, deck_dir, a.data, out_dir)

    scale = float(th.get("text_size", 100)) / 100.0
    tscale = scale * float(th.get("title_size", 100)) / 100.0
    css = """
@font-face { font-family: "Deck"; font-weight: 400; src: url("%(font)s"); }
@font-face { font-family: "Deck"; font-weight: 700; src: url("%(bold)s"); }
html, body { margin: 0; width: 100%%; height: 100%%; overflow: hidden; cursor: none;
  background: %(bg)s; color: %(fg)s; font-family: "Deck", sans-serif; }
.slide { position: absolute; left: 0; top: 0; right: 0; bottom: 150px;
  padding: 64px 48px 24px; box-sizing: border-box; opacity: 0;
  transition: opacity %(fade)dms linear; }
.slide.on { opacity: 1; }
.init .slide { transition: none; }
h1 { font-weight: 700; font-size: %(h1)dpx; line-height: 1.15; margin: 0 0 40px; }
p { font-size: %(p)dpx; line-height: 1.4; margin: 0 0 24px; }
.row { display: flex; align-items: center; gap: 48px; height: calc(100%% - 160px); }
.row.title { height: 100%%; }
.row.title h1 { font-size: %(h0)dpx; }
.sub { color: %(muted)s; font-size: %(sub)dpx; }
.col { flex: 0 0 44%%; }
.pic { flex: 1 1 50%%; height: 100%%; display: flex; align-items: center;
  justify-content: center; }
.pic img { width: 100%%; height: 100%%; object-fit: contain; }
.big { height: calc(100%% - 190px); } .big .pic { height: 100%%; }
.cap { color: %(muted)s; text-align: center; }
ul, ol { list-style: none; padding: 0; margin: 24px 0 0; }
li { font-size: %(p)dpx; line-height: 1.3; margin: 0 0 18px; display: flex;
  align-items: center; gap: 24px; }
ul li::before { content: ""; width: 16px; height: 16px; border-radius: 50%%;
  background: %(accent)s; flex: none; }
ol { counter-reset: n; }
ol li::before { counter-increment: n; content: counter(n); width: 56px; height: 56px;
  border-radius: 50%%; background: %(accent)s; color: %(accent_text)s; font-weight: 700;
  display: flex; align-items: center; justify-content: center; flex: none; }
.go { display: inline-block; margin-top: 48px; padding: 22px 96px; border-radius: 16px;
  background: %(accent)s; color: %(accent_text)s; font-weight: 700; font-size: %(p)dpx; }
footer { position: absolute; left: 0; right: 0; bottom: 0; height: 150px;
  background: %(bg)s; }
.bar { display: flex; gap: 4px; height: 6px; }
.bar i { flex: 1; background: #C9C4BC; } .bar i.done { background: %(accent)s; }
.btns { display: flex; justify-content: space-between; align-items: center;
  padding: 18px 28px; }
.btn { font-weight: 700; font-size: 36px; padding: 24px 56px; border-radius: 12px;
  border: 3px solid %(accent)s; color: %(accent)s; background: %(surface)s; min-width: 120px;
  text-align: center; }
.btn.cta { background: %(accent)s; color: %(accent_text)s; padding: 24px 72px; }
.btn.hide { visibility: hidden; }
""" % {
        "font": html.escape(loc(th["font"])), "bold": html.escape(loc(th["bold_font"])),
        "bg": th["background"], "fg": th["text"], "muted": th["muted"],
        "accent": th["accent"], "accent_text": th["accent_text"], "surface": th["surface"],
        "fade": fade, "h0": round(112 * tscale), "h1": round(84 * tscale),
        "p": round(60 * scale), "sub": round(62 * scale),
    }
    e = html.escape
    names = [str(s.get("name") or re.sub(r"[^a-z0-9]+", "-", str(s.get("title") or "slide")
                                         .lower()).strip("-")) for s in slides]
    body = []
    for i, s in enumerate(slides):
        img = loc(s.get("image")) if layout(s) not in ("bullets", "steps") else None
        body.append('<section class="slide%s" id="%s">%s</section>'
                    % (" on" if i == 0 else "", e(names[i]), slide_html(s, img, signup_button)))
    bar = "".join("<i></i>" for _ in slides)
    footer = ('<footer><div class="bar">%s</div><div class="btns">'
              '<div class="btn" id="back">%s</div><div class="btn cta">%s</div>'
              '<div class="btn" id="next">%s</div></div></footer>'
              % (bar, e(str(labels.get("back", "Back"))), e(str(signup_button)),
                 e(str(labels.get("next", "Next")))))
    durations = [duration(s) for s in slides]
    js = """
const d = %s, names = %s, next_label = %s, start_label = %s;
const s = document.querySelectorAll(".slide"), bar = document.querySelectorAll(".bar i");
const back = document.getElementById("back"), nxt = document.getElementById("next");
let i = Math.max(0, names.indexOf(decodeURIComponent(location.hash.slice(1))));
s[0].classList.remove("on");
s[i].classList.add("on");
requestAnimationFrame(() => requestAnimationFrame(() => document.body.classList.remove("init")));
function chrome() {
  bar.forEach((b, k) => b.classList.toggle("done", k <= i));
  back.classList.toggle("hide", i === 0);
  nxt.textContent = i === s.length - 1 ? start_label : next_label;
}
function step() {
  s[i].classList.remove("on");
  i = (i + 1) %% s.length;
  s[i].classList.add("on");
  chrome();
  setTimeout(step, d[i] * 1000);
}
chrome();
setTimeout(step, d[0] * 1000);
""" % (json.dumps(durations), json.dumps(names), json.dumps(str(labels.get("next", "Next"))),
       json.dumps(str(labels.get("start_over", "Start"))))
    page = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            '<!-- Made by tests/bench/deck2html.py from %s -->\n'
            '<title>%s</title>\n<style>%s</style></head>\n<body class="init">\n%s\n%s\n<script>%s</script>\n'
            '</body></html>\n'
            % (e(os.path.basename(a.deck)), e(str(deck.get("title", "Slides"))), css,
               "\n".join(body), footer, js))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
