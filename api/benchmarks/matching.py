"""Matching quality on a judged set: needmatch beside BM25-only and dense-only baselines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import bm25s
import numpy as np

from index.matching import NeedQuery, match_need
from index.need_search import NeedSearchIndex, SearchableNeed
from index.ranking_metrics import ideal_in_top, ndcg_at_k, recall_at_k
from index.responder_index import ResponderIndex, build_responder_index, entry_from_profile
from nlp.classify import NeedClassificationPipeline
from nlp.encoding import EncodedText


def _tokens(texts: Sequence[str]) -> Any:
    return bm25s.tokenize(list(texts), stopwords="en", show_progress=False)


def evaluate_matching(
    pipeline: NeedClassificationPipeline,
    responders: Sequence[dict[str, Any]],
    needs: Sequence[dict[str, Any]],
    qrels: dict[str, dict[str, int]],
    k: int = 5,
    pgvector_url: str | None = None,
) -> dict[str, dict[str, float]]:
    """Mean nDCG@k and ideal-in-top-3 per system over the needs; with `pgvector_url`, needmatch
    also on the responder index in that PostgreSQL (a table of its own, dropped afterwards)."""
    encoder = pipeline.document_encoder
    thresholds = dict(zip(pipeline.classifier.labels,
                          pipeline.classifier.thresholds.tolist(), strict=True))
    expertise = [profile["expertise"] for profile in responders]
    inferred = [result.scores for result in pipeline.classify_batch(expertise)]
    entries = [entry_from_profile(profile, scores, thresholds)
               for profile, scores in zip(responders, inferred, strict=True)]
    encoded_expertise: list[EncodedText] = []

    def encode(texts: Sequence[str]) -> list[EncodedText]:
        encoded = encoder.encode_batch(texts)
        encoded_expertise.extend(encoded)  # kept for the pgvector index: the very same vectors
        return encoded

    index: ResponderIndex = build_responder_index(
        list(zip(entries, expertise, strict=True)), encode, encoder.encoder.dimension,
    )
    texts = [need["text"] for need in needs]
    encoded = encoder.encode_batch(texts)
    classified = pipeline.classifier.classify_encoded(encoded, texts)

    retriever = bm25s.BM25()
    retriever.index(_tokens(expertise), show_progress=False)
    ids = [profile["id"] for profile in responders]
    responder_vectors = [index.responder_vectors(index.keys[i]) for i in ids]

    rankings: dict[str, list[list[str]]] = {"needmatch": [], "bm25-only": [], "dense-only": []}
    queries = [NeedQuery(item, result.scores, result.labels, need["jurisdiction"],
                         tuple(need.get("survivor_languages") or [need["language"]]))
               for need, item, result in zip(needs, encoded, classified, strict=True)]
    if pgvector_url is not None:
        rankings["needmatch-pgvector"] = _rankings_in_postgresql(
            pgvector_url, pipeline, thresholds, responders, inferred, encoded_expertise, queries, k)
    for need, item, query in zip(needs, encoded, queries, strict=True):
        rankings["needmatch"].append([s.responder_id for s in match_need(index, query, k)])
        documents, _ = retriever.retrieve(_tokens([need["text"]]), k=k, show_progress=False)
        rankings["bm25-only"].append([ids[int(i)] for i in documents[0]])
        dense = [float((item.sentence_vectors @ vectors.T).max()) for vectors in responder_vectors]
        rankings["dense-only"].append([ids[int(i)] for i in np.argsort(dense)[::-1][:k]])
    report = {}
    for system, ranked_lists in rankings.items():
        report[system] = {
            f"ndcg@{k}": float(np.mean([ndcg_at_k(r, qrels[n["id"]], k)
                                        for r, n in zip(ranked_lists, needs, strict=True)])),
            "ideal_in_top_3": float(np.mean([ideal_in_top(r, qrels[n["id"]], 3)
                                             for r, n in zip(ranked_lists, needs, strict=True)])),
        }
    return report


def _rankings_in_postgresql(
    url: str, pipeline: NeedClassificationPipeline, thresholds: dict[str, float],
    responders: Sequence[dict[str, Any]], inferred: Sequence[dict[str, float]],
    encoded: Sequence[EncodedText], queries: Sequence[NeedQuery], k: int,
) -> list[list[str]]:
    """needmatch's top k per query on the pgvector responder index, built from the same vectors."""
    from index.pg_responder_index import PgResponderIndex, ResponderFacts, space_table

    encoder = pipeline.document_encoder.encoder
    shared = PgResponderIndex(url, encoder.name, encoder.dimension, thresholds,
                              table=space_table(encoder.name, encoder.dimension, "benchmark_responders"))
    shared.drop()
    try:
        shared.open().upsert_many(
            (ResponderFacts.from_profile(profile, scores), item)
            for profile, scores, item in zip(responders, inferred, encoded, strict=True))
        return [[s.responder_id for s in match_need(shared, query, k)] for query in queries]
    finally:
        shared.drop()
        shared.close()


def evaluate_search(
    pipeline: NeedClassificationPipeline,
    needs: Sequence[dict[str, Any]],
    queries: Sequence[dict[str, Any]],
    qrels: dict[str, dict[str, int]],
    k: int = 10,
) -> dict[str, dict[str, float]]:
    """Mean recall@k and nDCG@k of hybrid search beside its lexical and dense halves."""
    encoder = pipeline.document_encoder
    texts = [need["text"] for need in needs]
    encoded = encoder.encode_batch(texts)
    classified = pipeline.classifier.classify_encoded(encoded, texts)
    searchable = [
        SearchableNeed(need["id"], need["text"], result.labels, need["jurisdiction"],
                       need["language"], item)
        for need, item, result in zip(needs, encoded, classified, strict=True)
    ]
    index = NeedSearchIndex(searchable)
    query_texts = [query["query"] for query in queries]
    query_encoded = encoder.encode_batch(query_texts)
    query_scores = [r.scores for r in pipeline.classifier.classify_encoded(query_encoded, query_texts)]
    report = {}
    for mode, name in (("hybrid", "needmatch"), ("lexical", "bm25-only"), ("dense", "dense-only")):
        recalls, ndcgs = [], []
        for query, item, scores in zip(queries, query_encoded, query_scores, strict=True):
            vector = item.pooled()[: encoder.encoder.dimension]
            ranked = [r.need_id for r in index.search(query["query"], vector, scores, k, mode)]
            recalls.append(recall_at_k(ranked, qrels[query["id"]], k))
            ndcgs.append(ndcg_at_k(ranked, qrels[query["id"]], k))
        report[name] = {f"recall@{k}": float(np.mean(recalls)), f"ndcg@{k}": float(np.mean(ndcgs))}
    return report


def evaluate_matching_by_language(pipeline: NeedClassificationPipeline, parallel: dict[str, Any],
                                  k: int = 5) -> dict[str, dict[str, float]]:
    """The same needs in 14 languages matched against English expertise: nDCG@k per language.

    Responders are the parallel set's English expertise texts (two per category, categories
    inferred, licensed in New York and nationwide, speaking every language so that only the
    text decides); a responder is relevant to a need of its category. The gap to English is
    what the language of the need costs (a responder of the need's category is graded ideal).
    """
    languages = ["en", *parallel["languages"]]
    responders = [{"id": f"x-{number:02d}", "name": "", "organization": "", "expertise": item["text"],
                   "jurisdictions": ["US", "US-NY"], "languages": languages, "capacity": 5}
                  for number, item in enumerate(parallel["expertise"])]
    relevant_by_category: dict[str, dict[str, int]] = {}
    for responder, item in zip(responders, parallel["expertise"], strict=True):
        relevant_by_category.setdefault(item["category"], {})[responder["id"]] = 2
    report = {}
    for language in languages:
        needs = [{"id": f"{statement['id']}-{language}", "text": statement[language],
                  "jurisdiction": "US-NY", "language": language} for statement in parallel["statements"]]
        qrels = {need["id"]: relevant_by_category[statement["category"]]
                 for need, statement in zip(needs, parallel["statements"], strict=True)}
        report[language] = evaluate_matching(pipeline, responders, needs, qrels, k)["needmatch"]
    return report
