import { describe, expect, it } from "vitest";
import { buildTree, canMove, changedFields, indentTarget, moveTargets, outdentTarget, subtree } from "./codebook";

const code = (id: string, parentId: string | null, extra: object = {}) => ({
  id,
  name: id,
  path: id,
  parentId,
  status: "ACTIVE",
  proposedById: null as string | null,
  ...extra,
});

// help > people > (colleague, family); help > services; other; a coder's proposal; a merged code
const codes = [
  code("help", null),
  code("people", "help"),
  code("colleague", "people"),
  code("family", "people"),
  code("services", "help"),
  code("other", null),
  code("idea", "help", { proposedById: "coder" }),
  code("old", "services", { status: "MERGED" }),
];

describe("buildTree", () => {
  it("nests the shared codebook and leaves proposals and merged codes out", () => {
    const tree = buildTree(codes);
    expect(tree.map((n) => n.code.id)).toEqual(["help", "other"]);
    expect(tree[0]?.children.map((n) => n.code.id)).toEqual(["people", "services"]);
    expect(tree[0]?.children[1]?.children).toEqual([]);
    expect(buildTree(codes, true)[0]?.children[1]?.children.map((n) => n.code.id)).toEqual(["old"]);
  });
});

describe("moves", () => {
  it("never moves a code under itself or its own descendants", () => {
    expect([...subtree(codes, "people")].sort()).toEqual(["colleague", "family", "people"]);
    expect(canMove(codes, "people", "colleague")).toBe(false);
    expect(canMove(codes, "people", "people")).toBe(false);
    expect(canMove(codes, "people", "help")).toBe(false); // already there
    expect(canMove(codes, "people", "other")).toBe(true);
    expect(canMove(codes, "people", "old")).toBe(false); // merged
    expect(canMove(codes, "people", null)).toBe(true);
  });

  it("lists the targets a code can go to", () => {
    expect(moveTargets(codes, "people").map((t) => t.id)).toEqual([null, "services", "other"]);
  });

  it("indents under the sibling above and outdents beside the parent", () => {
    expect(indentTarget(codes, "services")).toBe("people");
    expect(indentTarget(codes, "people")).toBeUndefined();
    expect(outdentTarget(codes, "colleague")).toBe("help");
    expect(outdentTarget(codes, "people")).toBeNull();
    expect(outdentTarget(codes, "help")).toBeUndefined();
  });
});

describe("changedFields", () => {
  it("names each field someone else changed", () => {
    const mine: { name: string; definition: string; color: string | null } = { name: "Help", definition: "Old", color: null };
    const theirs = { name: "Help", definition: "New", color: "#E69F00" };
    expect(changedFields(mine, theirs)).toEqual([
      { field: "definition", label: "Definition", before: "Old", after: "New" },
      { field: "color", label: "Colour", before: null, after: "#E69F00" },
    ]);
  });
});
