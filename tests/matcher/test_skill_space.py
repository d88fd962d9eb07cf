"""The learned skill space: which skills it relates, how a relative counts, how close two skill lists are (pure)."""

import pytest

from marketplace.skill_vocabulary import skill_records
from matcher.scoring import PARTIAL_CREDIT, JobSpec, Seeker, score_match, skills_factor
from matcher.skill_space import (
    _learned,
    blend_similarity,
    closeness,
    learned_pairs,
    learned_relatives,
    pair_closeness,
    related_of,
)
from matcher.taxonomy import partial_of

IDF = {"postgresql": 3.0, "mysql": 3.0, "python": 2.0}


def test_tools_of_one_trade_are_learned_relatives_both_ways():
    assert "mysql" in learned_relatives("PostgreSQL") and "postgresql" in learned_relatives("MySQL")
    assert "dassault systemes solidworks" in learned_relatives("Dassault Systemes CATIA")
    assert "quarkxpress" in learned_relatives("Adobe InDesign")
    # Any spelling the vocabulary knows resolves to the same skill.
    assert learned_relatives("postgres") == learned_relatives("PostgreSQL")


def test_tools_every_occupation_lists_relate_to_nothing():
    # Excel and Word co-occur everywhere; crediting one for the other made every office job a partial match.
    assert learned_relatives("Microsoft Excel") == frozenset()
    assert learned_relatives("Microsoft Word") == frozenset()
    assert learned_relatives("no such skill at all") == frozenset()


def test_learned_relatives_never_cross_a_category():
    category = {record["name"].lower(): record.get("category") for record in skill_records()}
    pairs = [(name, other) for name, others in _learned().items() for other in others]
    assert len(pairs) > 1000
    assert all(category[name] == category[other] for name, other in pairs)


def test_a_learned_relative_counts_partly_in_the_shown_factor_but_not_in_the_ranking_factor():
    job = JobSpec(id=1, skills_required=("postgresql",))
    result = skills_factor(frozenset({"mysql"}), job, IDF, partial_of, related_of)
    assert result.score == pytest.approx(100 * PARTIAL_CREDIT)
    assert result.partial == ("postgresql",) and result.missing == ()
    assert result.ranking_score == 0.0
    # Without the learned space the same pair is a miss.
    assert skills_factor(frozenset({"mysql"}), job, IDF, partial_of).missing == ("postgresql",)


def test_the_reasons_name_a_learned_relative_as_related_experience():
    match = score_match(
        Seeker(skills=frozenset({"mysql", "python"})),
        JobSpec(id=1, skills_required=("postgresql", "python")),
        idf=IDF,
        partial_of=partial_of,
        related_of=related_of,
        closeness_of=pair_closeness,
    )
    assert "Related experience counts partly for: postgresql." in match.reasons


def test_learned_pairs_are_found_among_any_list_of_names():
    names = ["python", "mysql", "figma", "postgresql"]
    assert learned_pairs(names) == {(1, 3), (3, 1)}


def test_closeness_of_skill_lists():
    cad = {"dassault systemes catia": 1.0, "ptc creo parametric": 1.0}
    other_cad = {"dassault systemes solidworks": 1.0, "autodesk inventor": 1.0}
    office = {"microsoft word": 1.0, "microsoft outlook": 1.0}
    assert closeness(cad, cad) == pytest.approx(1.0, abs=1e-3)
    assert closeness(cad, other_cad) > closeness(cad, office)
    assert closeness(cad, {"no such skill": 1.0}) == 0.0
    assert closeness({}, cad) == 0.0


def test_the_ranking_adds_the_closeness_to_the_rank_score():
    seeker = Seeker(skills=frozenset({"dassault systemes catia"}))
    job = JobSpec(id=1, skills_required=("dassault systemes catia", "ptc creo parametric"))
    idf = {"dassault systemes catia": 2.0, "ptc creo parametric": 2.0}
    plain = score_match(seeker, job, idf=idf, partial_of=partial_of)
    with_space = score_match(seeker, job, idf=idf, partial_of=partial_of, closeness_of=pair_closeness)
    assert with_space.score == plain.score  # the shown score is the contract's weighted sum, unchanged
    expected = plain.rank_score + 5 * pair_closeness(seeker.skills, job, idf)
    assert with_space.rank_score == pytest.approx(expected, abs=0.01)
    assert with_space.rank_score > plain.rank_score


def test_similarity_blends_the_exact_cosine_with_the_closeness_half_and_half():
    assert blend_similarity(1.0, 0.0) == pytest.approx(0.5)
    assert blend_similarity(0.4, 0.8) == pytest.approx(0.6)
