"""The GraphQL schema: each feature's Query and Mutation merged into one."""

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext
from strawberry.schema.config import StrawberryConfig

from accord.config import Settings
from accord.graphql import (
    accounts,
    agreement,
    codebook,
    coding,
    coding_types,
    consensus,
    consensus_readiness,
    consolidation,
    decisions,
    documents,
    drilldown,
    events,
    exchange,
    invitations,
    memos,
    passwords,
    projects,
    synthesis,
    users,
)
from accord.graphql.document_limits import FieldLimitedValidation, ReportingParserCache
from accord.graphql.errors import ERROR_TYPES
from accord.graphql.input_guard import guard_arguments
from accord.graphql.masking import AccordSchema, UserErrorsAndMasking


@strawberry.type
class Query(
    users.Query,
    accounts.Query,
    passwords.Query,
    invitations.Query,
    projects.Query,
    documents.Query,
    events.Query,
    agreement.Query,
    drilldown.Query,
    consensus.Query,
    consensus_readiness.Query,
    decisions.Query,
    consolidation.Query,
    synthesis.Query,
    exchange.Query,
):
    pass


@strawberry.type
class Mutation(
    users.Mutation,
    passwords.Mutation,
    accounts.Mutation,
    projects.Mutation,
    invitations.Mutation,
    documents.Mutation,
    codebook.Mutation,
    coding.Mutation,
    memos.Mutation,
    consensus.Mutation,
    decisions.Mutation,
    consolidation.Mutation,
    synthesis.Mutation,
    exchange.Mutation,
):
    pass


def _introspection(context: IgnoreContext) -> bool:
    # GraphiQL's introspection query is deep by nature; it reads only the schema.
    return context.field_name.startswith("__")


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings.from_env({})
    # Text PostgreSQL cannot store is refused at the edge, whichever field it is sent to.
    guard_arguments(Query, as_result=False)
    guard_arguments(Mutation, as_result=True)
    # The limit rules are made once per schema, not per request: the validation cache is
    # keyed by the rule classes, so fresh classes on every request would never hit it.
    limits = [
        *QueryDepthLimiter(
            max_depth=settings.max_query_depth, should_ignore=_introspection
        ).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    return AccordSchema(
        query=Query,
        mutation=Mutation,
        subscription=events.Subscription,
        types=list(ERROR_TYPES.values()),
        extensions=[
            # Factories: a fresh extension for every request.
            lambda: AddValidationRules(limits),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            UserErrorsAndMasking,
            # Parsing and validating a query text is done once, then cached; a document
            # with too many fields is refused before validation, cached or not.
            lambda: ReportingParserCache(maxsize=256),
            lambda: FieldLimitedValidation(settings.max_query_fields, maxsize=256),
        ],
        config=StrawberryConfig(auto_camel_case=True, scalar_map=coding_types.COLUMN_SCALARS),
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
