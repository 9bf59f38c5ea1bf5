-- A removed member's started, unsubmitted assignments become WITHDRAWN: the partial
-- layer is kept for the record, but it is no longer compared in agreement or consensus,
-- nor awaited before a document reveals (accord.coding.member_removal).

ALTER TABLE assignments DROP CONSTRAINT assignments_status_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_status_check
    CHECK (status IN ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'REOPENED', 'WITHDRAWN'));

-- Members removed before removals settled their assignments left them open, holding
-- their documents back for good. They are withdrawn now, with or without codings (the
-- removal of an unstarted one would leave no event behind); a lead can unassign those.
UPDATE assignments a SET status = 'WITHDRAWN'
WHERE a.status <> 'SUBMITTED'
  AND NOT EXISTS (
      SELECT 1 FROM project_members m WHERE m.project_id = a.project_id AND m.user_id = a.user_id
  );
