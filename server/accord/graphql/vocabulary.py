"""Fixed vocabularies that several features' types share, as GraphQL enums."""

from enum import Enum

import strawberry


@strawberry.enum(description="The layer a coding is in: a coder's own, or the team's consensus.")
class Layer(Enum):
    CODER = "CODER"
    CONSENSUS = "CONSENSUS"


@strawberry.enum(description="ACTIVE, or FINAL once a lead made it final (every change refused).")
class ProjectStatus(Enum):
    ACTIVE = "ACTIVE"
    FINAL = "FINAL"


@strawberry.enum(description="What a decision did to a segment.")
class DecisionEffect(Enum):
    CONSIDERED = strawberry.enum_value("CONSIDERED", description="A coder's segment weighed.")
    ADDED = strawberry.enum_value("ADDED", description="Written to the consensus layer.")
    REMOVED = strawberry.enum_value("REMOVED", description="Taken off the consensus layer.")
    RECODED = strawberry.enum_value("RECODED", description="Recoded by a merge or split.")
    RESTORED = strawberry.enum_value("RESTORED", description="Recoded back by an undone merge.")
    AFFECTED = strawberry.enum_value("AFFECTED", description="Touched in another way.")


def layer_of(value: str) -> Layer:
    return Layer(value)


def effect_of(value: str) -> DecisionEffect:
    """An effect recorded in an event; an event kept from before a new effect was named
    reads as AFFECTED rather than failing the whole decision log."""
    try:
        return DecisionEffect(value)
    except ValueError:
        return DecisionEffect.AFFECTED
