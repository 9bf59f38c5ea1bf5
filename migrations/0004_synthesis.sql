-- Synthesis (systematic text condensation, steps 3 and 4) and the demo study's marker.

-- What a lead writes for one category or group: the condensate (the condensed meaning,
-- in the participants' voice), the analytic text, and the chosen quotes. A row exists
-- once something was written; version 0 stands for "nothing written yet".
CREATE TABLE category_contents (
    code_id        uuid PRIMARY KEY REFERENCES codes (id) ON DELETE CASCADE,
    project_id     uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    condensate     text NOT NULL DEFAULT '',
    analytic_text  text NOT NULL DEFAULT '',
    -- Consensus-layer codings, in the order chosen. Deliberately not a foreign key: a
    -- merge that joins a quoted segment into another removes its row, and undoing the
    -- merge puts the row back with its id, so the quote reappears as it was.
    quote_ids      uuid[] NOT NULL DEFAULT '{}',
    version        integer NOT NULL DEFAULT 1,
    updated_by     uuid REFERENCES users (id),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX category_contents_project_idx ON category_contents (project_id);

-- The demo study `accord serve --demo` loads, so a second run finds it and adds nothing.
CREATE TABLE demo_studies (
    marker      text PRIMARY KEY,
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
