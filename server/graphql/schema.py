"""The GraphQL schema: each feature's Query and Mutation merged into one."""

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext
from strawberry.schema.config import StrawberryConfig

from server.config import Settings
from server.graphql import (
    agreement,
    codebook,
    coding,
    consensus,
    consolidation,
    decisions,
    documents,
    events,
    exchange,
    memos,
    projects,
    users,
)
from server.graphql.errors import ERROR_TYPES
from server.graphql.masking import AccordSchema, UserErrorsAndMasking


@strawberry.type
class Query(
    users.Query,
    projects.Query,
    documents.Query,
    events.Query,
    agreement.Query,
    consensus.Query,
    decisions.Query,
    consolidation.Query,
    exchange.Query,
):
    pass


@strawberry.type
class Mutation(
    users.Mutation,
    projects.Mutation,
    documents.Mutation,
    codebook.Mutation,
    coding.Mutation,
    memos.Mutation,
    consensus.Mutation,
    decisions.Mutation,
    consolidation.Mutation,
    exchange.Mutation,
):
    pass


def _introspection(context: IgnoreContext) -> bool:
    # GraphiQL's introspection query is deep by nature; it reads only the schema.
    return context.field_name.startswith("__")


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings.from_env({})
    return AccordSchema(
        query=Query,
        mutation=Mutation,
        subscription=events.Subscription,
        types=list(ERROR_TYPES.values()),
        extensions=[
            # Factories: a fresh extension for every request.
            lambda: QueryDepthLimiter(
                max_depth=settings.max_query_depth, should_ignore=_introspection
            ),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            UserErrorsAndMasking,
            # Parsed documents are cached by query text across requests.
            lambda: ParserCache(maxsize=256),
        ],
        config=StrawberryConfig(auto_camel_case=True),
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
