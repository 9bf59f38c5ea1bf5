// GraphiQL, bundled into the package so that the explorer works on a machine with no
// internet: every script and style comes from this server.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { DEFAULT_QUERY } from "./defaultQuery";

const wsScheme = window.location.protocol === "https:" ? "wss:" : "ws:";
const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  subscriptionUrl: `${wsScheme}//${window.location.host}/graphql`,
});

const target = document.getElementById("explorer");
if (!target) throw new Error("explorer.html has no #explorer element");
createRoot(target).render(
  createElement(GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY }),
);
