import { describe, expect, it } from "vitest";
import { type OwnAssignment, nextAssignment, progressText, workspacePath } from "./progress";

function a(documentId: string, status: OwnAssignment["status"], roundId = "r1"): OwnAssignment {
  return { documentId, documentTitle: documentId, roundId, status };
}

describe("progressText", () => {
  it("counts submitted ones", () => {
    expect(progressText([a("1", "SUBMITTED"), a("2", "ASSIGNED"), a("3", "SUBMITTED")])).toBe(
      "2 of 3 submitted",
    );
    expect(progressText([])).toBeNull();
  });
});

describe("nextAssignment", () => {
  it("is null when everything is submitted", () => {
    expect(nextAssignment([a("1", "SUBMITTED")], ["r1"])).toBeNull();
    expect(nextAssignment([], [])).toBeNull();
  });
  it("takes reopened, then begun, then new work", () => {
    const list = [a("new", "ASSIGNED"), a("begun", "IN_PROGRESS"), a("back", "REOPENED")];
    expect(nextAssignment(list, ["r1"])?.documentId).toBe("back");
    expect(nextAssignment(list.slice(0, 2), ["r1"])?.documentId).toBe("begun");
  });
  it("takes the older round first, then the given order", () => {
    const list = [a("later", "ASSIGNED", "r2"), a("first", "ASSIGNED", "r1"), a("second", "ASSIGNED", "r1")];
    expect(nextAssignment(list, ["r1", "r2"])?.documentId).toBe("first");
  });
});

describe("workspacePath", () => {
  it("names the document and the round", () => {
    expect(workspacePath("p 1", { documentId: "d/1", roundId: "r1" })).toBe("/p/p%201/code/d%2F1?round=r1");
  });
});

describe("withdrawn assignments", () => {
  it("are neither counted nor continued", () => {
    const withdrawn = { documentId: "d1", documentTitle: "One", roundId: "r", status: "WITHDRAWN" as const };
    const open = { documentId: "d2", documentTitle: "Two", roundId: "r", status: "ASSIGNED" as const };
    expect(progressText([withdrawn, open])).toBe("0 of 1 submitted");
    expect(progressText([withdrawn])).toBeNull();
    expect(nextAssignment([withdrawn, open], ["r"])).toBe(open);
    expect(nextAssignment([withdrawn], ["r"])).toBeNull();
  });
});
