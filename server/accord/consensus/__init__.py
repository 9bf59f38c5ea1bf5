"""Accord's consensus engine: pure functions from coders' layers to the consensus layer.

It knows nothing of SQL or GraphQL. The workflow that stores items, versions and events
calls these functions:

- :func:`align` clusters one document's segments into disagreement :class:`Item` s and
  classifies each (:class:`ItemKind`).
- :func:`meets_rule` / :func:`auto_accept` apply the project's :class:`ConsensusRule`,
  read from and written to project settings by :func:`rule_from_settings` and
  :func:`rule_to_settings`.
- :func:`resolve` turns a lead's resolution into consensus segments.
- :func:`join_same_code` keeps layers valid for unitizing after a code merge, and
  :func:`unjoin` reverses it exactly.
"""

from accord.consensus.align import CoderSegments, Item, ItemKind, align, classify, item_key
from accord.consensus.layers import Join, JoinResult, join_same_code, unjoin
from accord.consensus.resolution import (
    Custom,
    Drop,
    Resolution,
    ResolutionAction,
    ResolutionError,
    TakeCoder,
    TakeIntersection,
    TakeUnion,
    resolve,
)
from accord.consensus.rules import (
    ConsensusRule,
    OverlapMeasure,
    RuleSettingsError,
    auto_accept,
    majority_extent,
    meets_rule,
    overlap,
    rule_from_settings,
    rule_to_settings,
)
from accord.consensus.segments import ConsensusSegment, Segment

__all__ = [
    "CoderSegments",
    "ConsensusRule",
    "ConsensusSegment",
    "Custom",
    "Drop",
    "Item",
    "ItemKind",
    "Join",
    "JoinResult",
    "OverlapMeasure",
    "Resolution",
    "ResolutionAction",
    "ResolutionError",
    "RuleSettingsError",
    "Segment",
    "TakeCoder",
    "TakeIntersection",
    "TakeUnion",
    "align",
    "auto_accept",
    "classify",
    "item_key",
    "join_same_code",
    "majority_extent",
    "meets_rule",
    "overlap",
    "resolve",
    "rule_from_settings",
    "rule_to_settings",
    "unjoin",
]
