import { describe, expect, it } from "vitest";
import { buildPath, firstMatch, matchPath, safeNext } from "./routes";

describe("matchPath", () => {
  it("reads named segments", () => {
    expect(matchPath("/p/:projectId/code/:documentId", "/p/a1/code/b2")).toEqual({
      projectId: "a1",
      documentId: "b2",
    });
  });
  it("ignores a trailing slash", () => {
    expect(matchPath("/p/:projectId", "/p/a1/")).toEqual({ projectId: "a1" });
  });
  it("refuses other lengths and literals", () => {
    expect(matchPath("/p/:projectId", "/p/a1/code")).toBeNull();
    expect(matchPath("/p/:projectId", "/q/a1")).toBeNull();
  });
  it("decodes, and refuses malformed escapes", () => {
    expect(matchPath("/invite/:token", "/invite/a%2Fb")).toEqual({ token: "a/b" });
    expect(matchPath("/invite/:token", "/invite/%E0%A4%A")).toBeNull();
  });
  it("matches the root", () => {
    expect(matchPath("/", "/")).toEqual({});
  });
});

describe("buildPath", () => {
  it("encodes each segment and round-trips", () => {
    const path = buildPath("/invite/:token", { token: "a/b c" });
    expect(path).toBe("/invite/a%2Fb%20c");
    expect(matchPath("/invite/:token", path)).toEqual({ token: "a/b c" });
  });
  it("throws on a missing parameter", () => {
    expect(() => buildPath("/p/:projectId", {})).toThrow(/projectId/);
  });
});

describe("firstMatch", () => {
  it("takes the first route in order", () => {
    const routes = [{ pattern: "/p/:projectId/setup" }, { pattern: "/p/:projectId/:tab" }];
    expect(firstMatch(routes, "/p/1/setup")?.route).toBe(routes[0]);
    expect(firstMatch(routes, "/p/1/other")?.params).toEqual({ projectId: "1", tab: "other" });
    expect(firstMatch(routes, "/nowhere")).toBeNull();
  });
});

describe("safeNext", () => {
  it("keeps a path of the app, with its query", () => {
    expect(safeNext("/p/1/code/2?round=3")).toBe("/p/1/code/2?round=3");
  });
  it("refuses other sites, server paths and the login page itself", () => {
    for (const bad of [null, "", "https://evil.example", "//evil.example", "/\\evil.example", "/graphql", "/exports/x", "/login?next=/", "javascript:alert(1)"]) {
      expect(safeNext(bad)).toBe("/");
    }
  });
});
