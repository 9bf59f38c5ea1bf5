"""Arguments GraphQL itself refuses (a value of the wrong type, an unknown enum value, a
missing required argument) as INVALID_INPUT, like the refusals of Accord's own checks, so
a client branches on one code; an unknown enum value also lists the values there are."""

import re

from graphql import GraphQLEnumType, GraphQLError, GraphQLSchema

# graphql-core's words for a value that does not fit its argument's type.
_VALUE_ERRORS = re.compile(
    r"cannot represent"
    r"|does not exist in '\w+' enum"
    r"|^Expected value of type"
    r"|^Expected type"
    r"|^Variable '\$\w+'"
    r"|is required, but it was not provided"
    r"|of required type '[^']+' was not provided"
    r"|is not defined by type '\w+'"
)
_ENUM = re.compile(r"Enum '(\w+)'|in '(\w+)' enum")


def input_error(
    error: GraphQLError, schema: GraphQLSchema | None, shown: GraphQLError | None = None
) -> GraphQLError | None:
    """The error with ``extensions.code`` INVALID_INPUT when it refuses an argument's
    value; None for any other error. ``shown``: the error whose message the client sees
    (a variable's coercion error wraps the scalar's own)."""
    shown = shown or error
    if not (_VALUE_ERRORS.search(error.message) or _VALUE_ERRORS.search(shown.message)):
        return None
    message = shown.message
    enum = _ENUM.search(message)
    if enum and schema is not None:
        found = schema.get_type(enum.group(1) or enum.group(2))
        if isinstance(found, GraphQLEnumType):
            message += f" {found.name} is one of {', '.join(found.values)}."
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(shown.extensions or {}), "code": "INVALID_INPUT"},
    )
