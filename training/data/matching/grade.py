"""Regenerate the relevance judgments of the matching evaluation set.

Run inside this folder:  python grade.py            (writes qrels.jsonl and search_qrels.jsonl)
                         python grade.py --explain n-012   (prints the reasoning for one need)

qrels.jsonl applies the needmatch eligibility rules (matching_rules.md) to every
(need, responder) pair, using the responders' ``true_categories`` (what their
expertise text says they practise), their jurisdictions, languages and capacity.

search_qrels.jsonl grades needs against the responder-side search queries: each query's
category and stated place/language constraints are written down in SEARCH_CONSTRAINTS
below (the query text itself is in search_queries.jsonl).

Plain Python, standard library only. The script also validates the files and prints
the counts that the README of this folder reports.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

CATEGORIES = {
    "civil_damages", "judgment_collection", "wage_claims", "immigration_relief",
    "family_reunification", "family_law", "criminal_record_relief", "victim_rights",
    "criminal_defense", "housing", "public_benefits", "coerced_debt", "identity_documents",
}
# Rule 2: federal immigration law, any US-licensed lawyer ("US" or any "US-.." code).
FEDERAL_IMMIGRATION = {"immigration_relief", "family_reunification"}
# Rule 2: federal TVPRA suits and federal prosecutions, nationwide practice ("US").
FEDERAL_NATIONWIDE = {"civil_damages", "victim_rights"}
# Rule 3: paperwork-heavy work where an interpreter suffices.
NO_LANGUAGE_NEEDED = {"judgment_collection", "identity_documents"}


# --------------------------------------------------------------------------- loading
def read_jsonl(name: str) -> list[dict]:
    """Read one JSON Lines file of this folder."""
    with open(HERE / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(name: str, rows: list[dict]) -> None:
    """Write one JSON Lines file of this folder (UTF-8, one object a line)."""
    with open(HERE / name, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- matching rules
def serves_jurisdiction(category: str, need_jurisdiction: str, responder_jurisdictions: list[str]) -> bool:
    """Rule 2 for one practised category."""
    codes = set(responder_jurisdictions)
    if need_jurisdiction.startswith("US-"):
        if need_jurisdiction in codes:
            return True
        if category in FEDERAL_IMMIGRATION and any(c == "US" or c.startswith("US-") for c in codes):
            return True
        if category in FEDERAL_NATIONWIDE and "US" in codes:
            return True
        return False
    # A country ("MX") or a subdivision outside the US ("CA-ON"): the code itself,
    # or the country of the subdivision ("CA" serves "CA-ON").
    country = need_jurisdiction.split("-")[0]
    return need_jurisdiction in codes or country in codes


def practised(need: dict, responder: dict) -> set[str]:
    """The need's categories that the responder truly practises."""
    return set(need["labels"]) & set(responder["true_categories"])


def eligibility(need: dict, responder: dict) -> tuple[bool, str]:
    """Rules 1-3; returns (eligible, reason)."""
    shared = practised(need, responder)
    if not shared:
        return False, "no category in common"
    if responder["capacity"] <= 0:
        return False, "capacity 0"
    served = sorted(c for c in shared if serves_jurisdiction(c, need["jurisdiction"], responder["jurisdictions"]))
    if not served:
        return False, f"jurisdiction: {responder['jurisdictions']} serves none of {sorted(shared)} in {need['jurisdiction']}"
    if shared <= NO_LANGUAGE_NEEDED:
        return True, f"jurisdiction via {served}; language not required ({sorted(shared)})"
    if need["language"] not in responder["languages"]:
        return False, f"language: {need['language']} not in {responder['languages']}"
    return True, f"jurisdiction via {served}; speaks {need['language']}"


def grade(need: dict, responder: dict) -> int:
    """Relevance grade 2 / 1 / 0 of one responder for one need."""
    eligible, _ = eligibility(need, responder)
    if not eligible:
        return 0
    shared = practised(need, responder)
    if need["primary"] in shared and 2 * len(shared) >= len(need["labels"]):
        return 2
    return 1


# --------------------------------------------------------------------------- search queries
# Per query: the category it asks for, the places it states (None = no place constraint;
# "US" = anywhere in the United States) and the language it states (None = no language
# constraint; a query merely written in Spanish does not require Spanish-speaking needs).
# City names map to their state: needs carry state-level jurisdictions only.
SEARCH_CONSTRAINTS: dict[str, tuple[str, list[str] | None, str | None]] = {
    "q-01": ("immigration_relief", ["US-TX"], "es"),
    "q-02": ("family_law", ["US-IL"], None),
    "q-03": ("criminal_record_relief", ["US-NY"], None),
    "q-04": ("immigration_relief", ["US-TX"], None),
    "q-05": ("wage_claims", ["US-CA", "US-WA", "US-OR"], None),
    "q-06": ("immigration_relief", ["US-FL"], None),
    "q-07": ("family_law", None, "es"),
    "q-08": ("immigration_relief", None, "fr"),
    "q-09": ("wage_claims", None, "pt"),
    "q-10": ("criminal_record_relief", ["US-FL"], None),
    "q-11": ("coerced_debt", None, None),
    "q-12": ("judgment_collection", ["US-GA"], None),
    "q-13": ("housing", ["US-GA"], None),
    "q-14": ("public_benefits", ["US-TX"], None),
    "q-15": ("immigration_relief", ["US-CO"], "es"),
    "q-16": ("wage_claims", ["MX", "PH"], None),
    "q-17": ("immigration_relief", ["CA-ON"], None),
    "q-18": ("victim_rights", ["US"], None),
    "q-19": ("victim_rights", ["GT"], None),
    "q-20": ("identity_documents", None, None),
    "q-21": ("family_law", ["US-WA", "US-CA"], None),
    "q-22": ("civil_damages", ["US-FL"], None),
    "q-23": ("civil_damages", ["MX", "GT"], None),
    "q-24": ("family_reunification", ["US"], "es"),
    "q-25": ("criminal_defense", ["US-TX", "US-FL"], None),
    "q-26": ("housing", None, "es"),
    "q-27": ("criminal_record_relief", ["US-CO", "US-WA"], None),
    "q-28": ("immigration_relief", ["US-NY"], "fr"),
    "q-29": ("family_reunification", None, None),
    "q-30": ("housing", ["US-CA"], None),
}

# Land neighbours, for the partial (grade 1) place match. States: shared border.
# Countries: only Mexico-Guatemala is used; a US state and a foreign country are never
# neighbours here (different legal systems, nothing partial about it).
NEIGHBOURS: dict[str, set[str]] = {
    "US-TX": {"US-NM", "US-OK", "US-AR", "US-LA"},
    "US-CA": {"US-OR", "US-NV", "US-AZ"},
    "US-NY": {"US-NJ", "US-PA", "US-CT", "US-MA", "US-VT"},
    "US-FL": {"US-GA", "US-AL"},
    "US-IL": {"US-WI", "US-IN", "US-KY", "US-MO", "US-IA"},
    "US-WA": {"US-OR", "US-ID"},
    "US-GA": {"US-FL", "US-AL", "US-TN", "US-NC", "US-SC"},
    "US-CO": {"US-WY", "US-NE", "US-KS", "US-OK", "US-NM", "US-UT"},
    "US-OR": {"US-WA", "US-CA", "US-NV", "US-ID"},
    "MX": {"GT", "BZ"},
    "GT": {"MX", "BZ", "HN", "SV"},
}


def place_score(need_jurisdiction: str, places: list[str]) -> float:
    """1 inside one of the places, 0.5 in a neighbour of one, else 0."""
    if any(need_jurisdiction == p or need_jurisdiction.startswith(p + "-") for p in places):
        return 1.0
    if any(need_jurisdiction in NEIGHBOURS.get(p, set()) for p in places):
        return 0.5
    return 0.0


def search_grade(need: dict, constraint: tuple[str, list[str] | None, str | None]) -> int:
    """2: category and every stated constraint; 1: category and part of them; else 0."""
    category, places, language = constraint
    if category not in need["labels"]:
        return 0
    scores = []
    if places is not None:
        scores.append(place_score(need["jurisdiction"], places))
    if language is not None:
        scores.append(1.0 if need["language"] == language else 0.0)
    if all(s == 1.0 for s in scores):
        return 2
    return 1 if any(s > 0 for s in scores) else 0


# --------------------------------------------------------------------------- validation
def validate(responders: list[dict], needs: list[dict], queries: list[dict]) -> list[str]:
    """Structural checks on the input files; returns a list of problems."""
    problems: list[str] = []
    if [r["id"] for r in responders] != [f"r-{i:03d}" for i in range(1, len(responders) + 1)]:
        problems.append("responder ids are not r-001.. in order")
    if [n["id"] for n in needs] != [f"n-{i:03d}" for i in range(1, len(needs) + 1)]:
        problems.append("need ids are not n-001.. in order")
    for r in responders:
        for key in ("name", "organization", "expertise", "jurisdictions", "languages", "capacity", "true_categories"):
            if key not in r:
                problems.append(f"{r['id']}: missing {key}")
        if not set(r["true_categories"]) <= CATEGORIES or not r["true_categories"]:
            problems.append(f"{r['id']}: bad true_categories")
        if "categories" in r and set(r["categories"]) != set(r["true_categories"]):
            problems.append(f"{r['id']}: declared categories disagree with true_categories")
        if any(c in r["expertise"] for c in CATEGORIES if "_" in c):  # "housing" is also plain English
            problems.append(f"{r['id']}: expertise uses a category id")
        if not isinstance(r["capacity"], int) or not 0 <= r["capacity"] <= 10:
            problems.append(f"{r['id']}: capacity out of range")
    for n in needs:
        if not 1 <= len(n["labels"]) <= 3 or not set(n["labels"]) <= CATEGORIES or len(set(n["labels"])) != len(n["labels"]):
            problems.append(f"{n['id']}: bad labels")
        if n["primary"] not in n["labels"]:
            problems.append(f"{n['id']}: primary not among labels")
    if {q["id"] for q in queries} != set(SEARCH_CONSTRAINTS):
        problems.append("search_queries.jsonl ids differ from SEARCH_CONSTRAINTS")
    for q in queries:
        if q["id"] in SEARCH_CONSTRAINTS and SEARCH_CONSTRAINTS[q["id"]][0] not in CATEGORIES:
            problems.append(f"{q['id']}: unknown category")
    return problems


def explain(need_id: str, needs: list[dict], responders: list[dict]) -> None:
    """Print, for one need, every responder that shares a category and why it is graded so."""
    need = next(n for n in needs if n["id"] == need_id)
    print(f"{need['id']} {need['jurisdiction']} {need['language']} labels={need['labels']} primary={need['primary']}")
    for r in responders:
        shared = practised(need, r)
        if not shared:
            continue
        ok, reason = eligibility(need, r)
        print(f"  {r['id']} grade={grade(need, r)} shares={sorted(shared)} jur={r['jurisdictions']} "
              f"lang={r['languages']} cap={r['capacity']} :: {reason}")


def summary(values: list[int]) -> str:
    """min/mean/max of a list of counts."""
    return f"min {min(values)}, mean {statistics.mean(values):.2f}, max {max(values)}"


def main(argv: list[str]) -> int:
    """Regenerate qrels.jsonl and search_qrels.jsonl, validate, print counts."""
    responders = read_jsonl("responders.jsonl")
    needs = read_jsonl("needs.jsonl")
    queries = read_jsonl("search_queries.jsonl")
    if len(argv) == 2 and argv[0] == "--explain":
        explain(argv[1], needs, responders)
        return 0

    problems = validate(responders, needs, queries)

    qrels = []
    per_need = []
    for need in needs:
        relevance = {r["id"]: g for r in responders if (g := grade(need, r)) > 0}
        qrels.append({"need_id": need["id"], "relevance": relevance})
        # "tempting": practises the need's primary category but is not eligible
        # (wrong jurisdiction, language or capacity 0).
        tempting = [r["id"] for r in responders
                    if need["primary"] in r["true_categories"] and not eligibility(need, r)[0]]
        per_need.append((need["id"], sum(v == 2 for v in relevance.values()),
                         sum(v == 1 for v in relevance.values()), len(tempting)))
        for rid, g in relevance.items():  # paranoia: every graded responder is eligible
            if not eligibility(need, next(r for r in responders if r["id"] == rid))[0]:
                problems.append(f"{need['id']}: {rid} graded {g} but not eligible")
        if not any(v == 2 for v in relevance.values()):
            problems.append(f"{need['id']}: no grade-2 responder")
    write_jsonl("qrels.jsonl", qrels)
    # Literal consequence of the rules, reported so nobody is surprised: jurisdiction may be
    # met through a secondary category while the primary category is served elsewhere.
    by_id = {r["id"]: r for r in responders}
    primary_elsewhere = sum(
        1 for need, row in zip(needs, qrels) for rid, g in row["relevance"].items()
        if g == 2 and not serves_jurisdiction(need["primary"], need["jurisdiction"], by_id[rid]["jurisdictions"]))

    search_qrels = []
    per_query = []
    for query in queries:
        constraint = SEARCH_CONSTRAINTS[query["id"]]
        relevance = {n["id"]: g for n in needs if (g := search_grade(n, constraint)) > 0}
        search_qrels.append({"query_id": query["id"], "relevance": relevance})
        per_query.append((query["id"], sum(v == 2 for v in relevance.values()), sum(v == 1 for v in relevance.values())))
        if len(relevance) < 2:
            problems.append(f"{query['id']}: fewer than 2 relevant needs")
    write_jsonl("search_qrels.jsonl", search_qrels)

    # ---- report
    states = Counter(j for r in responders for j in r["jurisdictions"])
    print("responders per jurisdiction code:", dict(sorted(states.items(), key=lambda kv: (-kv[1], kv[0]))))
    print("responders with capacity 0:", sum(r["capacity"] == 0 for r in responders),
          "| without 'categories':", sum("categories" not in r for r in responders))
    print("needs by language:", dict(Counter(n["language"] for n in needs)))
    print("needs by jurisdiction:", dict(Counter(n["jurisdiction"] for n in needs)))
    print("grade-2 per need:", summary([p[1] for p in per_need]))
    print("grade-1 per need:", summary([p[2] for p in per_need]))
    print("eligible (1 or 2) per need:", summary([p[1] + p[2] for p in per_need]))
    print("tempting-but-ineligible per need:", summary([p[3] for p in per_need]),
          "| needs with >=2 eligible and >=2 tempting:", sum(p[1] + p[2] >= 2 and p[3] >= 2 for p in per_need))
    print("grade-2 pairs whose jurisdiction holds only through a secondary category:", primary_elsewhere)
    print("relevant needs per query (grade 2 / grade 1):",
          " ".join(f"{q}:{a}/{b}" for q, a, b in per_query))
    print("relevant needs per query (total):", summary([a + b for _, a, b in per_query]))
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  -", p)
        return 1
    print("validation OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
