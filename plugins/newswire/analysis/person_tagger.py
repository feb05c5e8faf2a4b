"""natasha's name tagger run over all the texts of an article in one pass.

natasha tags each text as one sequence: its words cut by razdel, an embedding per word,
three convolutions and a CRF decoder. Run text by text (or in natasha's padded batches
of eight), most of the cost is not arithmetic but set-up per call and padding, and the
text is cut into words twice (once by the tagger, once for the spans' words). Here the
texts' words are cut once, laid end to end with one padding word between two texts, and
go through the convolutions as one sequence; the decoder then reads each text's stretch
on its own. This is the same computation: the padding word's embedding is zero, the
convolutions see zeros past a sequence's end either way, and every layer sets padding
positions back to zero, so no text sees its neighbour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from razdel import tokenize
from slovnet.bio import bio_spans
from threadpoolctl import ThreadpoolController


@dataclass(frozen=True)
class Tagged:
    """One text's words (razdel substrings: start, stop, text) and the tagger's spans."""

    text: str
    tokens: list[Any]
    spans: list[Any]


@cache
def natasha() -> tuple[Any, Any, Any]:
    """Segmenter, name tagger and morphology vocabulary, loaded once per process."""
    from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding()), MorphVocab()


@cache
def _blas() -> ThreadpoolController:
    """The process's BLAS libraries, found once (the lookup walks the loaded libraries)."""
    return ThreadpoolController()


@lru_cache(maxsize=65536)
def _word_input(word: str) -> tuple[bool, Any]:
    """Whether the word encodes as padding, and its embedding row (word vector and shape
    vector side by side): both depend on the word alone, and words repeat."""
    infer = natasha()[1].infer
    encoder = infer.encoder
    word_id, shape_id = encoder.item([word])
    row = infer.model.emb(np.array([word_id]), np.array([shape_id]))[0, 0]
    return word_id[0] == encoder.words_vocab.pad_id, row


def tag_texts(texts: Sequence[str]) -> list[Tagged]:
    """Each text's words and named-entity spans, as natasha's tagger gives them."""
    if not texts:
        return []
    tokens = [list(tokenize(text)) for text in texts]
    if not all(tokens):  # a text without words has no names: tag the others
        kept = iter(tag_texts([t for t, words in zip(texts, tokens, strict=True) if words]))
        return [
            next(kept) if words else Tagged(t, [], [])
            for t, words in zip(texts, tokens, strict=True)
        ]
    model = natasha()[1].infer.model
    rows: list[Any] = []
    padding: list[bool] = []
    bounds = []
    for words in tokens:
        inputs = [_word_input(t.text) for t in words]
        bounds.append((len(rows), len(rows) + len(inputs)))
        rows += [row for _, row in inputs]
        padding += [pad for pad, _ in inputs]
        rows.append(np.zeros_like(rows[-1]))  # the padding word's embedding is zero
        padding.append(True)
    pad_mask = np.array([padding])
    # The convolutions are small matrix products: a second BLAS thread only spins, and
    # costs five to six times the CPU when the cores are busy. Parallelism comes from
    # worker processes instead.
    with _blas().limit(limits=1, user_api="blas"):
        emissions = model.head(model.encoder(np.stack(rows)[None], pad_mask))[0]
    paths = _viterbi([emissions[a:b] for a, b in bounds], model.head.crf.transitions.array)
    vocab = natasha()[1].infer.decoder.tags_vocab
    return [
        Tagged(text, words, list(bio_spans(words, [vocab.decode(t) for t in path])))
        for text, words, path in zip(texts, tokens, paths, strict=True)
    ]


def _viterbi(emissions: list[Any], transitions: Any) -> list[list[int]]:
    """The CRF's best tag sequence of each text, all texts stepped together.

    slovnet's own decoder for a padded batch: a text's score stops changing past its
    end and its path is read back from its own steps only; the best score of a step is
    taken by its maximum rather than by indexing (the same numbers)."""
    sizes = [len(e) for e in emissions]
    batch = np.zeros((len(emissions), max(sizes), transitions.shape[0]), emissions[0].dtype)
    for row, e in enumerate(emissions):
        batch[row, : len(e)] = e
    live = np.arange(batch.shape[1])[None, :] < np.array(sizes)[:, None]
    score = batch[:, 0]
    history = []
    for t in range(1, batch.shape[1]):
        step = score[:, :, None] + transitions + batch[:, t][:, None, :]
        history.append(step.argmax(1))
        score = np.where(live[:, t][:, None], step.max(1), score)
    paths = []
    for row, size in enumerate(sizes):
        best = int(score[row].argmax())
        path = [best]
        for indexes in reversed(history[: size - 1]):
            best = int(indexes[row][best])
            path.append(best)
        path.reverse()
        paths.append(path)
    return paths
