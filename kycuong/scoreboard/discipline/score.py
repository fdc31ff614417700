"""Our discipline score ("Điểm kỷ cương"): six components, each normalised to 0–100, weighted, re-weighted
over the components that have data. Pure: no Django, no database — the reads are in `discipline.queries`.

The definitions are written out in docs/discipline-score.md; this module is that page in code.

    score = Σ_present weight_c × value_c  ÷  Σ_present weight_c

Components and their normalisation to 0–100 (higher is better):
  index766   — the 766 internal estimate (already 0–100, scaled over the indicators with data);
  sipas      — SIPAS % from the five-factor ratings, through a pluggable formula (docs/legal/reform.md §4.1: the official
               formula of QĐ 1001/QĐ-BNV was not read, ❌ — the default here is ⚠️ inferred);
  tasks      — task on-time rate × 100 (discipline.queries.on_time_rate, over the unit's subtree);
  feedback   — reports handled on time × 100 (rule 5.2, feedback.queries.on_time);
  complaints — founded + partly founded conduct complaints per 100 officials, r, as 100 × max(0, 1 − r ÷ cap);
  meetings   — meeting violations (absent without leave, left without consent, late) per 100 officials, same.

A component without data (no rated dossier, no task due, no report ended, no official to divide by) is left
out and the weights of the others are scaled up to fill the sum; the page says which were left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, ROUND_HALF_UP

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

INDEX766, SIPAS, TASKS, FEEDBACK, COMPLAINTS, MEETINGS = "index766", "sipas", "tasks", "feedback", "complaints", "meetings"
COMPONENTS = (INDEX766, SIPAS, TASKS, FEEDBACK, COMPLAINTS, MEETINGS)
PER_100 = (COMPLAINTS, MEETINGS)  # lower raw value is better; normalised through a cap

# Defaults in code; administrators override them from a date on (models.DisciplineWeights). Why these:
# docs/discipline-score.md ("Default weights"). They sum to 100 so a weight reads as "points out of 100".
DEFAULT_WEIGHTS = {INDEX766: Decimal(30), SIPAS: Decimal(20), TASKS: Decimal(15), FEEDBACK: Decimal(15),
                   COMPLAINTS: Decimal(10), MEETINGS: Decimal(10)}
# Per 100 officials, the rate at which a per-100 component reaches 0 (our choice, documented, configurable).
DEFAULT_CAPS = {COMPLAINTS: Decimal(10), MEETINGS: Decimal(20)}

# SIPAS factors (docs/legal/reform.md §4.1) in the order of portal.Rating.FACTORS; answers are 1 (rất không hài lòng) … 5.
SIPAS_FACTORS = ("access", "procedure", "officer", "result", "feedback")
SATISFIED_LEVELS = (4, 5)


@dataclass(frozen=True)
class Weights:
    weights: dict          # component → Decimal ≥ 0
    caps: dict             # per-100 component → Decimal > 0
    effective_from: object = None   # date, or None for the defaults in code
    label: str = ""

    @classmethod
    def defaults(cls) -> "Weights":
        return cls(dict(DEFAULT_WEIGHTS), dict(DEFAULT_CAPS))


def per_100(count: int, officials: int) -> Decimal | None:
    """Events per 100 officials; None when the unit has no official (nothing to divide by)."""
    if not officials:
        return None
    return Decimal(count) * HUNDRED / Decimal(officials)


def capped_inverse(rate: Decimal | None, cap: Decimal) -> Decimal | None:
    """0 events → 100; `cap` or more per 100 officials → 0; linear in between."""
    if rate is None:
        return None
    return max(Decimal(0), HUNDRED * (1 - rate / cap))


def percent(numerator: int, denominator: int) -> Decimal | None:
    return None if not denominator else Decimal(numerator) * HUNDRED / Decimal(denominator)


# --- SIPAS: pluggable formulas over the tally of answers ----------------------------------------------------
# A formula receives {factor: {level 1..5: count}} for one unit and period and returns a % (0–100) or None.
# Settings: KYCUONG_SIPAS_FORMULA = "dotted.path.to.function" (default: sipas_mean_of_factor_shares).

def _share(levels: dict) -> Decimal | None:
    total = sum(levels.values())
    return percent(sum(levels.get(lv, 0) for lv in SATISFIED_LEVELS), total)


def sipas_mean_of_factor_shares(tally: dict) -> Decimal | None:
    """⚠️ inferred (docs/legal/reform.md §4.1): per factor, the share of answers 4–5 ("hài lòng", "rất hài lòng");
    then the mean over the factors that have answers."""
    shares = [s for s in (_share(tally.get(f, {})) for f in SIPAS_FACTORS) if s is not None]
    return sum(shares, Decimal(0)) / len(shares) if shares else None


def sipas_pooled_share(tally: dict) -> Decimal | None:
    """⚠️ alternative: answers 4–5 over all factor answers, pooled (factors with more answers weigh more)."""
    pooled: dict = {}
    for f in SIPAS_FACTORS:
        for level, n in tally.get(f, {}).items():
            pooled[level] = pooled.get(level, 0) + n
    return _share(pooled)


# --- the composite -------------------------------------------------------------------------------------------

@dataclass
class Composite:
    values: dict                      # component → normalised 0–100 or None
    used_weights: dict                # component → the weight actually applied (re-weighted; 0 if missing)
    missing: list = field(default_factory=list)
    score: Decimal | None = None


def normalise(raw: dict, weights: Weights) -> dict:
    """raw: index766, sipas, tasks, feedback in 0–100 (or None); complaints, meetings per 100 officials (or None)."""
    out = {}
    for c in COMPONENTS:
        value = raw.get(c)
        if c in PER_100:
            out[c] = capped_inverse(value, weights.caps[c])
        else:
            out[c] = None if value is None else min(HUNDRED, max(Decimal(0), Decimal(value)))
    return out


def composite(values: dict, weights: Weights) -> Composite:
    """Weighted mean of the normalised components present; a missing component's weight is shared out
    in proportion to the others'. A component weighted 0 is not "missing", just not counted."""
    present = [c for c in COMPONENTS if values.get(c) is not None and weights.weights.get(c, 0) > 0]
    missing = [c for c in COMPONENTS if values.get(c) is None and weights.weights.get(c, 0) > 0]
    total_weight = sum((weights.weights[c] for c in present), Decimal(0))
    result = Composite(values=dict(values), used_weights={c: Decimal(0) for c in COMPONENTS}, missing=missing)
    if not total_weight:
        return result
    full = sum((w for w in weights.weights.values() if w > 0), Decimal(0))
    for c in present:
        result.used_weights[c] = weights.weights[c] * full / total_weight
    result.score = sum((weights.weights[c] * values[c] for c in present), Decimal(0)) / total_weight
    return result


def display(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP))
