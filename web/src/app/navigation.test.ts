import { describe, expect, it } from "vitest";
import { currentLink, projectLinks } from "./navigation";

const screens = [
  { pattern: "/" },
  { pattern: "/p/:projectId", nav: { label: "Overview", roles: ["LEAD", "CODER", "VIEWER"] as const } },
  { pattern: "/p/:projectId/setup/members", nav: { label: "Members", roles: ["LEAD"] as const } },
  { pattern: "/p/:projectId/progress", nav: { label: "Progress", roles: ["LEAD", "VIEWER"] as const } },
  { pattern: "/p/:projectId/code/:documentId", nav: { label: "Workspace", roles: ["CODER"] as const } },
  { pattern: "/admin", nav: { label: "Administration", roles: ["LEAD"] as const } },
];

describe("projectLinks", () => {
  it("gives each role the project screens it can use", () => {
    expect(projectLinks(screens, "p1", "LEAD").map((l) => l.label)).toEqual([
      "Overview",
      "Members",
      "Progress",
    ]);
    expect(projectLinks(screens, "p1", "CODER")).toEqual([{ label: "Overview", href: "/p/p1" }]);
    expect(projectLinks(screens, "p1", "VIEWER").map((l) => l.href)).toEqual(["/p/p1", "/p/p1/progress"]);
  });
  it("gives nothing before the role is known", () => {
    expect(projectLinks(screens, "p1", undefined)).toEqual([]);
  });
  it("encodes the project id", () => {
    expect(projectLinks(screens, "a/b", "CODER")[0]?.href).toBe("/p/a%2Fb");
  });
});

describe("currentLink", () => {
  const links = projectLinks(screens, "p1", "LEAD");
  it("picks the deepest link at or above the path", () => {
    expect(currentLink(links, "/p/p1")?.label).toBe("Overview");
    expect(currentLink(links, "/p/p1/setup/members/")?.label).toBe("Members");
    expect(currentLink(links, "/p/p1/code/d1")).toBeNull();
    expect(currentLink(links, "/p/p10")).toBeNull();
  });
});
