"""The agreement report of a project: coder layers from the database fed to the engine.

Documents are assigned to coders per round, so every computation tells the engine who
coded each document (:attr:`Study.coders_by_document`): on a document only the coders
assigned to it who have started it (made a coding there, or submitted it) are compared,
such a coder who coded nothing there counts as an empty layer, and a document with fewer
than two of the compared coders is left out, named in the report with the reason. An
assignment not started yet is work to come, not an empty layer.
A coder pair is compared on the documents both were assigned in the round; pairs that
share no document are not listed.

Access follows blinding (see :mod:`accord.reports.agreement_data`): leads and viewers
compute on anything; a coder only on documents revealed to them, so unrevealed work
never feeds the numbers.

``compare="ROUNDS"`` is test–retest reliability instead: each coder's layers in two rounds
(``round_ids``) compared as two coders, read by :mod:`accord.reports.agreement_retest`
(a coder who may not read every layer compares only their own rounds) and computed by
:mod:`accord.reports.agreement_retest_compute`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

import asyncpg

from accord.agreement.segments import Segment, Unit
from accord.coding import filter_ids, rounds
from accord.coding.access import Scope, scope_for_project
from accord.errors import InvalidInput
from accord.heavy import Offload, inline
from accord.heavy.chunks import Packed, pack
from accord.permissions import Action
from accord.reports import agreement_cost
from accord.reports.agreement_compute import (
    HEADLINE,
    AgreementInputs,
    AgreementRequest,
    AgreementResult,
    Breakdown,
    Exclusion,
    assemble,
    judged,
    verdict,
)
from accord.reports.agreement_data import Selection, Study, known_selection, load_study
from accord.reports.agreement_retest import load_retest
from accord.reports.consensus_drift import CodeF1, CoderVsConsensus, load_consensus_layers
from accord.users.model import User

__all__ = [
    "HEADLINE",
    "AgreementInputs",
    "AgreementLimits",
    "AgreementRequest",
    "AgreementResult",
    "Breakdown",
    "CodeF1",
    "CoderVsConsensus",
    "Exclusion",
    "PackedInputs",
    "assemble_packed",
    "compute",
    "judged",
    "load",
    "pack_inputs",
    "verdict",
]

MODES = ("CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER")
COMPARISONS = ("CODERS", "ROUNDS")
LEVELS = ("CODE", "GROUP", "CATEGORY")
AgreementLimits = agreement_cost.AgreementLimits

#: What to do when a report runs out of time (the heavy pool's time-out message).
ADVICE = (
    "compute on fewer documents, coders or codes, ask for fewer bootstrap resamples, or "
    "choose larger units (paragraphs or speaker turns rather than sentences)"
)


def _validate(req: AgreementRequest, limits: AgreementLimits | None) -> None:
    if req.unit_mode not in MODES:
        raise InvalidInput(f"unitMode must be one of {', '.join(MODES)}.", field="unitMode")
    if req.code_level not in LEVELS:
        raise InvalidInput(f"codeLevel must be one of {', '.join(LEVELS)}.", field="codeLevel")
    if not 0.0 <= req.min_coverage <= 1.0:
        raise InvalidInput("minCoverage is a share from 0 to 1.", field="minCoverage")
    if not 0.0 < req.overlap_percent <= 100.0:
        raise InvalidInput(
            "overlapPercent is a percentage above 0 and at most 100.", field="overlapPercent"
        )
    if req.bootstrap_method not in ("pairs", "units"):
        raise InvalidInput("bootstrap.method must be PAIRS or UNITS.", field="bootstrap")
    if req.population is not None and req.population < 1:
        raise InvalidInput(
            "population is the number of units in the population, at least 1.",
            field="population",
        )
    agreement_cost.check_resamples(req.bootstrap_resamples, limits)
    if req.compare not in COMPARISONS:
        raise InvalidInput(f"compare must be one of {', '.join(COMPARISONS)}.", field="compare")
    if req.compare == "ROUNDS":
        if req.round_id is not None:
            raise InvalidInput(
                "compare: ROUNDS takes the two rounds in roundIds, not roundId.", field="roundId"
            )
        if req.round_ids is None or len(req.round_ids) != 2 or len(set(req.round_ids)) != 2:
            raise InvalidInput(
                "compare: ROUNDS needs roundIds with exactly two different rounds, the first "
                "coding and the second.",
                field="roundIds",
            )
    elif req.round_ids is not None:
        raise InvalidInput(
            "roundIds is for compare: ROUNDS; one round's coders are compared with roundId.",
            field="roundIds",
        )


def _selection(req: AgreementRequest) -> Selection:
    return Selection(
        document_ids=req.document_ids,
        coder_ids=req.coder_ids,
        code_ids=req.code_ids,
        code_level=req.code_level,
        unit_kind=req.unit_kind if req.unit_mode == "UNITS" else None,
    )


async def load(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    req: AgreementRequest,
    limits: AgreementLimits | None,
) -> AgreementInputs:
    """Check the request and read what it compares, as blinding allows; refuse it with
    TOO_LARGE when its estimated work is over the limit (``None``: no limit, for the
    command line). Nothing is computed yet."""
    _validate(req, limits)
    scope = await scope_for_project(conn, project_id, user, Action.COMPUTE_AGREEMENT)
    alpha_min = float(scope.project.settings["alphaMin"])
    selection = _selection(req)
    if req.compare == "ROUNDS":
        return await _load_retest(conn, scope, project_id, req, selection, alpha_min, limits)
    await filter_ids.known_id(conn, scope, "roundId", "round", req.round_id)
    the_round = await rounds.resolve(conn, project_id, req.round_id)
    study = await load_study(conn, scope, selection, the_round, strict=True)
    if not study.documents:
        raise InvalidInput(
            "No documents to compare"
            + ("" if scope.sight.sees_all else " among those revealed to you")
            + "."
        )
    all_rounds = await rounds.rounds_of(conn, project_id)
    others = {}
    for other in all_rounds:
        if other.id != the_round.id:
            found = await load_study(conn, scope, selection, other, strict=False)
            others[other.id] = found if found.documents else None
    inputs = AgreementInputs(
        request=req,
        alpha_min=alpha_min,
        study=study,
        rounds=all_rounds,
        other_studies=others,
        consensus=await load_consensus_layers(conn, study),
        limits=limits,
    )
    if limits is not None:
        agreement_cost.check_work(inputs, limits)
    return inputs


async def _load_retest(
    conn: asyncpg.Connection,
    scope: Scope,
    project_id: UUID,
    req: AgreementRequest,
    selection: Selection,
    alpha_min: float,
    limits: AgreementLimits | None,
) -> AgreementInputs:
    assert req.round_ids is not None
    await filter_ids.known_ids(conn, scope, "roundIds", "round", req.round_ids)
    await known_selection(conn, scope, selection)
    first, second = [await rounds.resolve(conn, project_id, r) for r in req.round_ids]
    if first.id == second.id:
        raise InvalidInput("roundIds names the same round twice.", field="roundIds")
    retest = await load_retest(conn, scope, selection, first, second)
    inputs = AgreementInputs(
        request=req,
        alpha_min=alpha_min,
        study=retest.pooled,
        rounds=[first, second],
        other_studies={},
        consensus=None,
        limits=limits,
        retest=retest,
    )
    if limits is not None:
        agreement_cost.check_work(inputs, limits)
    return inputs


async def compute(
    conn: asyncpg.Connection,
    user: User,
    project_id: UUID,
    req: AgreementRequest,
    limits: AgreementLimits | None = None,
    offload: Offload = inline,
) -> AgreementResult:
    """Read and compute in one go (the CLI's and the tests' way; the server releases its
    connection between the two, see :mod:`accord.graphql.agreement`)."""
    inputs = await load(conn, user, project_id, req, limits)
    return await offload(assemble_packed, await pack_inputs(inputs))


@dataclass(frozen=True)
class PackedInputs:
    """A report's inputs ready for a worker process: the long lists (each study's
    segments and units, the consensus layers' segments) pickled in slices on the event
    loop (:func:`accord.heavy.chunks.pack`), the rest as it is."""

    inputs: AgreementInputs  # with those lists emptied
    segments: list[Packed[Segment]]
    units: list[Packed[Unit] | None]
    layers: dict[UUID | None, Packed[Segment]]


def _studies(inputs: AgreementInputs) -> list[Study]:
    """The studies whose lists are packed, in a fixed order; a comparison of rounds
    (whose retest data refers to its studies) is sent as it is."""
    if inputs.retest is not None:
        return []
    return [inputs.study, *(s for s in inputs.other_studies.values() if s is not None)]


def _emptied(study: Study) -> Study:
    return replace(study, segments=[], units=None if study.units is None else [])


async def pack_inputs(inputs: AgreementInputs) -> PackedInputs:
    """``inputs`` packed for :func:`assemble_packed`, without holding the event loop."""
    studies = _studies(inputs)
    segments = [await pack(s.segments) for s in studies]
    units = [None if s.units is None else await pack(s.units) for s in studies]
    layers: dict[UUID | None, Packed[Segment]] = {}
    light = inputs
    if studies:
        consensus = inputs.consensus
        if consensus is not None:
            for key, found in consensus.by_layer.items():
                layers[key] = await pack(found)
            consensus = replace(consensus, by_layer={})
        light = replace(
            inputs,
            study=_emptied(inputs.study),
            other_studies={
                k: None if s is None else _emptied(s) for k, s in inputs.other_studies.items()
            },
            consensus=consensus,
        )
    return PackedInputs(light, segments, units, layers)


def assemble_packed(packed: PackedInputs) -> AgreementResult:
    """:func:`assemble` of the inputs :func:`pack_inputs` packed (in the worker)."""
    inputs = packed.inputs
    for study, segments, units in zip(_studies(inputs), packed.segments, packed.units, strict=True):
        study.segments = segments.unpack()
        study.units = None if units is None else units.unpack()
    if inputs.consensus is not None and packed.layers:
        inputs.consensus.by_layer = {k: v.unpack() for k, v in packed.layers.items()}
    return assemble(inputs)
