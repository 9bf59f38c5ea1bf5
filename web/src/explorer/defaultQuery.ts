// The explorer's first tab: how to log in, and a query that shows what an account can see.
export const DEFAULT_QUERY = `# Accord's GraphQL API explorer.
#
# Log in first: run LogIn below with your email and
# password. The server sets a session cookie, and every
# later request from this page uses it.
#
# Scripts use an API token instead:
#   accord token create EMAIL
# then send the header  Authorization: Bearer <token>
# (try it here under "Headers").
#
# Run with the play button or Ctrl+Enter, and pick the
# operation. The book icon on the left shows the schema.

mutation LogIn {
  login(email: "lead@example.org", password: "your password") {
    __typename
    ... on User { id name email }
    ... on UserError { message code }
  }
}

query MyProjects {
  me { id name email }
  projects {
    id
    name
    myRole
    documents(first: 10) { nodes { id title length } }
  }
}
`;
