"""Citizens' ratings of returned dossiers (portal) and the SIPAS survey."""
from __future__ import annotations

import sys
import time
from collections import defaultdict

import numpy as np
from django.conf import settings

from kycuong.onestop.workflow import State as DossierState
from kycuong.portal.models import Rating

from ..seed import _progress
from .base import DAY, RATED_SHARE, RATING_COMMENTS, Window, _insert, _text
# --- ratings (portal) -----------------------------------------------------------------------------------------

def seed_ratings(d: dict, window: Window, rng: np.random.Generator, users: list[int], out=sys.stderr) -> int:
    returned = np.nonzero((d["state"] == int(DossierState.RETURNED)) & (d["returned"] > 0))[0]
    unit_ids = np.unique(d["unit"])
    share = dict(zip(unit_ids.tolist(), rng.uniform(*RATED_SHARE, size=len(unit_ids)), strict=True))
    u = d["unit"][returned]
    p_rate = np.array([share[x] for x in u.tolist()])
    pick = returned[rng.random(len(returned)) < p_rate]
    n = len(pick)
    late = d["late"][pick] == 1
    rated_at = d["returned"][pick] + rng.exponential(1.5 * DAY, size=n).astype(np.int64) + 600
    keep = rated_at + 3600 <= window.now          # not yet rated: after now
    pick, late, rated_at = pick[keep], late[keep], rated_at[keep]
    n = len(pick)
    survey_only = rng.random(n) < 0.04
    disliked = rng.random(n) < np.where(late, 0.30, 0.03)
    liked = [None if s else (not x) for s, x in zip(survey_only.tolist(), disliked.tolist(), strict=True)]
    surveyed = survey_only | (rng.random(n) < 0.25)
    # Five factors: mostly pleased after a like, mostly not after a dislike.
    scale = np.arange(1, 6)
    p_like, p_dislike, p_none = [.02, .03, .1, .35, .5], [.3, .35, .2, .1, .05], [.05, .1, .3, .35, .2]
    scores = np.empty((n, 5), dtype=np.int64)
    likes = np.array([2 if v is None else int(v) for v in liked], dtype=np.int64)
    for mask, p in ((likes == 1, p_like), (likes == 0, p_dislike), (likes == 2, p_none)):
        scores[mask] = rng.choice(scale, size=(int(mask.sum()), 5), p=p)
    threshold = int(getattr(settings, "KYCUONG_RATING_ALERT_THRESHOLD", 2))
    low = surveyed & (scores.min(axis=1) <= threshold)
    alerted = disliked & ~survey_only | low
    comment_idx = rng.integers(0, len(RATING_COMMENTS), size=n)
    user_idx = rng.integers(0, len(users), size=n)
    surveyed_at = rated_at + rng.integers(60, 1800, size=n)
    columns = defaultdict(list)
    for i in range(n):
        j = pick[i]
        s = bool(surveyed[i])
        columns["dossier_id"].append(int(d["id"][j]))
        columns["unit_id"].append(int(d["unit"][j]))
        columns["procedure_id"].append(int(d["procedure"][j]))
        columns["user_id"].append(users[user_idx[i]])
        columns["rated_at"].append(_text(rated_at[i]))
        columns["liked"].append(None if liked[i] is None else int(liked[i]))
        for k, name in enumerate(("access", "procedure_score", "officer", "result", "feedback")):
            columns[name].append(int(scores[i, k]) if s else None)
        columns["comment"].append(RATING_COMMENTS[comment_idx[i]] if s and low[i] else "")
        columns["surveyed_at"].append(_text(surveyed_at[i]) if s else None)
        columns["alerted_at"].append(_text(rated_at[i]) if alerted[i] else None)
    written = 0
    started = time.perf_counter()
    step = 100_000
    for i in range(0, max(n, 1), step):
        part = {k: v[i:i + step] for k, v in columns.items()}
        if part and part["dossier_id"]:
            written += _insert(Rating, part)
        _progress("Đánh giá / ratings", min(i + step, n), n, started, out)
    return written
