"""The agreement work estimate against the engine's real time, on synthetic studies.

Run from the repository root:  python bench/agreement_limits.py  [--quick]

For each study shape it prints the estimate (``accord.reports.agreement_cost``, in about
microseconds of one core), the time the whole report took in this process, and their
ratio. The constants of the estimate were chosen from such runs on the project's
machine; a ratio near 1 means the estimate is calibrated for the machine it runs on.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from accord.agreement.segments import Segment, Unit
from accord.coding.rounds import Round
from accord.documents.units import paragraphs, sentences
from accord.reports.agreement_compute import (
    AgreementInputs,
    AgreementRequest,
    assemble,
    distinct_sets,
)
from accord.reports.agreement_cost import estimate
from accord.reports.agreement_data import Study, StudyDocument

WORDS = (
    "the", "doctor", "said", "that", "help", "came", "late",
    "but", "it", "was", "good", "and", "we", "talked",
)  # fmt: skip


def text_of(chars: int, rng: random.Random) -> str:
    parts, size = [], 0
    while size < chars:
        part = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        part += ".\n\n" if rng.random() < 0.1 else ". "
        parts.append(part)
        size += len(part)
    return "".join(parts)[:chars]


def make(
    docs: int, chars: int, codes: int, codings: int, mode: str, kind: str, resamples: int
) -> AgreementInputs:
    rng = random.Random(1)
    names = [f"coder{n}@example.org" for n in range(3)]
    documents, extents, units, segments = [], {}, [], []
    for d in range(docs):
        text = text_of(chars, rng)
        doc = uuid.uuid4()
        key = str(doc)
        documents.append(StudyDocument(doc, f"Interview {d}", chars))
        extents[key] = (0, chars)
        split = sentences if kind == "SENTENCE" else paragraphs
        units += [Unit(key, str(u.ordinal), u.start, u.end) for u in split(text)]
        for n in range(codings // docs):
            start = rng.randrange(0, chars - 200)
            end = start + rng.randint(5, 150)
            segments.append(Segment(key, names[n % 3], f"code {rng.randrange(codes)}", start, end))
    the_round = Round(uuid.uuid4(), uuid.uuid4(), "Main", True, datetime.datetime.now())
    study = Study(
        round=the_round,
        documents=documents,
        coders={uuid.uuid4(): n for n in names},
        segments=segments,
        extents=extents,
        level={},
        code_filter=None,
        units=units if mode == "UNITS" else None,
        coders_by_document={k: set(names) for k in extents},
    )
    request = AgreementRequest(
        unit_mode=mode, unit_kind=kind, bootstrap_resamples=resamples or None
    )
    return AgreementInputs(request, 0.8, study, [the_round], {}, None)


CASES = [
    # docs, chars, codes, codings, mode, kind, resamples
    (20, 50_000, 50, 40_000, "CONTINUUM", "PARAGRAPH", 0),
    (13, 40_000, 40, 6_000, "UNITS", "PARAGRAPH", 10_000),
    (1, 300_000, 20, 9_000, "UNITS", "PARAGRAPH", 0),
    (1, 300_000, 20, 9_000, "UNITS", "SENTENCE", 0),
    (1, 300_000, 20, 9_000, "UNITS", "SENTENCE", 2_000),
    (10, 30_000, 20, 9_000, "UNITS", "PARAGRAPH", 10_000),
]
QUICK = [(2, 5_000, 10, 300, "UNITS", "SENTENCE", 200), (2, 5_000, 10, 300, "CONTINUUM", "", 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, to check the script")
    print("| study | estimate | real time | real / estimate |")
    print("|---|---|---|---|")
    for docs, chars, codes, codings, mode, kind, resamples in (
        QUICK if parser.parse_args().quick else CASES
    ):
        inputs = make(docs, chars, codes, codings, mode, kind, resamples)
        names = list(inputs.study.coders.values())
        sets = distinct_sets(inputs.request, inputs.study, names) if mode == "UNITS" else None
        work = estimate(inputs, sets).total / 1e6
        start = time.perf_counter()
        assemble(inputs)
        real = time.perf_counter() - start
        shape = (
            f"{docs} × {chars:,} chars, {codings:,} codings, {codes} codes, {mode.lower()}"
            + (f" ({kind.lower()}, {sets:,} code sets)" if mode == "UNITS" else "")
            + (f", {resamples:,} resamples" if resamples else "")
        )
        print(f"| {shape} | {work:.2f} s | {real:.2f} s | {real / work:.2f} |", flush=True)


if __name__ == "__main__":
    main()
