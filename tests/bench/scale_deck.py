#!/usr/bin/env python3
"""Part of the on-demand benchmark (tests/bench.sh), not a test.

Writes a deck of N slides made from a bundled deck: its settings (theme,
labels, sign-up form) as they are, its slides repeated in order with new
names until there are N, the last (sign-up) slide kept last.

  scale_deck.py DECK.yaml N OUT.yaml [--duration S] [--photo PATH] [--only NAME]

--duration S   every slide stays up S seconds (the bench shortens the loop so
               that a minute holds several slide changes); the deck's
               transition and its length are kept
--photo PATH   every slide that has a picture shows PATH instead (a large
               JPEG); slides without one (bullets, steps) stay as they are
--only NAME    keep only the slide of that name (after renaming), and the
               sign-up form: a one-slide deck for --screenshot

Needs PyYAML (Debian: python3-yaml).
"""
import argparse
import copy
import re
import sys

import yaml


def slug(text):
    s = re.sub(r"[^a-z0-9]+", "-", str(text or "slide").lower()).strip("-")
    return s[:40] or "slide"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("deck")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--duration", type=float)
    ap.add_argument("--photo")
    ap.add_argument("--only")
    a = ap.parse_args()

    with open(a.deck, encoding="utf-8") as f:
        deck = yaml.safe_load(f)
    slides = deck["slides"]
    last = slides[-1]
    body = slides[:-1] if last.get("layout") == "signup" else slides
    tail = [last] if body is not slides else []
    if a.n < len(tail) + 1:
        sys.exit("scale_deck: N is too small")
    out = []
    for i in range(a.n - len(tail)):
        s = copy.deepcopy(body[i % len(body)])
        s["name"] = "%03d-%s" % (i + 1, slug(s.get("name") or s.get("title")))
        out.append(s)
    for s in tail:
        s = copy.deepcopy(s)
        s["name"] = "%03d-%s" % (len(out) + 1, slug(s.get("name") or s.get("title")))
        out.append(s)
    for s in out:
        if a.duration is not None:
            s["duration"] = a.duration
        if a.photo and "image" in s:
            s["image"] = a.photo
    if a.only:
        out = [s for s in out if s["name"] == a.only]
        if not out:
            sys.exit("scale_deck: no slide named %s" % a.only)
    deck["slides"] = out
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Made by tests/bench/scale_deck.py from %s: %d slides\n"
                % (a.deck.rsplit("/", 1)[-1], len(out)))
        yaml.safe_dump(deck, f, sort_keys=False, allow_unicode=True, width=1000)


if __name__ == "__main__":
    main()
