"""Our discipline score, the pure part: worked examples of the normalisation and the composite
(docs/discipline-score.md). The SIPAS formula is ⚠️ inferred (docs/legal/reform.md §4.1: QĐ 1001/QĐ-BNV annex not read)."""
from decimal import Decimal as D

from kycuong.scoreboard.discipline import score as ds


def values(**kw):
    base = {c: None for c in ds.COMPONENTS}
    base.update({k: D(v) if v is not None else None for k, v in kw.items()})
    return base


def test_worked_example_with_default_weights():
    # 30×80 + 20×90 + 15×50 + 15×100 + 10×50 + 10×100 = 7950, over 100.
    w = ds.Weights.defaults()
    normalised = ds.normalise({"index766": D(80), "sipas": D(90), "tasks": D(50), "feedback": D(100),
                               "complaints": D(5), "meetings": D(0)}, w)
    assert normalised == {"index766": 80, "sipas": 90, "tasks": 50, "feedback": 100, "complaints": 50, "meetings": 100}
    result = ds.composite(normalised, w)
    assert result.score == D("79.5") and result.missing == []
    assert sum(result.used_weights.values()) == 100


def test_changing_a_weight_changes_the_score():
    v = values(index766=80, sipas=90, tasks=50, feedback=100, complaints=50, meetings=100)
    heavier_766 = ds.Weights({**ds.DEFAULT_WEIGHTS, "index766": D(60)}, dict(ds.DEFAULT_CAPS))
    # (60×80 + 1800 + 750 + 1500 + 500 + 1000) ÷ 130
    assert ds.composite(v, heavier_766).score == D(10350) / D(130)
    assert ds.composite(v, heavier_766).score != ds.composite(v, ds.Weights.defaults()).score


def test_missing_component_is_reweighted_over_the_present_ones():
    v = values(index766=80, tasks=50, feedback=100, complaints=50, meetings=100)   # no SIPAS answers
    result = ds.composite(v, ds.Weights.defaults())
    assert result.missing == ["sipas"]
    assert result.score == D(6150) / D(80)                                          # 76.875
    assert result.used_weights["index766"] == D("37.5") and result.used_weights["sipas"] == 0
    assert sum(result.used_weights.values()) == 100


def test_a_zero_weight_is_not_missing_and_not_counted():
    w = ds.Weights({**ds.DEFAULT_WEIGHTS, "sipas": D(0)}, dict(ds.DEFAULT_CAPS))
    result = ds.composite(values(index766=80, tasks=50, feedback=100, complaints=50, meetings=100), w)
    assert result.missing == [] and result.score == D(6150) / D(80)


def test_no_component_at_all_gives_no_score():
    result = ds.composite(values(), ds.Weights.defaults())
    assert result.score is None and result.missing == list(ds.COMPONENTS)


def test_per_100_officials_through_the_cap():
    assert ds.per_100(1, 40) == D("2.5")
    assert ds.capped_inverse(ds.per_100(1, 40), D(10)) == D(75)        # 2.5 of a cap of 10 → 75
    assert ds.capped_inverse(ds.per_100(0, 40), D(10)) == D(100)       # no event → full marks
    assert ds.capped_inverse(ds.per_100(3, 12), D(10)) == D(0)         # 25 per 100, beyond the cap → 0, not below


def test_zero_officials_leaves_the_per_100_components_out():
    assert ds.per_100(3, 0) is None
    normalised = ds.normalise({"index766": D(80), "complaints": ds.per_100(3, 0), "meetings": ds.per_100(0, 0)},
                              ds.Weights.defaults())
    result = ds.composite(normalised, ds.Weights.defaults())
    assert set(result.missing) == {"sipas", "tasks", "feedback", "complaints", "meetings"}
    assert result.score == D(80)


def test_caps_are_configurable():
    loose = ds.Weights(dict(ds.DEFAULT_WEIGHTS), {"complaints": D(40), "meetings": D(60)})
    assert ds.normalise({"complaints": D(20), "meetings": D(30)}, loose)["complaints"] == D(50)
    assert ds.normalise({"complaints": D(20), "meetings": D(30)}, loose)["meetings"] == D(50)


def test_sipas_default_formula_mean_of_factor_shares():
    # docs/legal/reform.md §4.1 ⚠️: share of answers 4–5 per factor, averaged over the factors answered.
    tally = {"access": {5: 1, 2: 1}, "procedure": {5: 1, 4: 1}, "officer": {5: 1, 3: 1},
             "result": {5: 2}, "feedback": {5: 1}}
    assert ds.sipas_mean_of_factor_shares(tally) == D(80)       # (50 + 100 + 50 + 100 + 100) ÷ 5
    assert ds.sipas_pooled_share(tally) == D(700) / D(9)        # 7 of 9 answers pooled
    assert ds.sipas_mean_of_factor_shares({}) is None
