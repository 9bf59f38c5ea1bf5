-- A coding keeps the text it covers. The text of a document freezes once anything is
-- coded on it, so the copy never goes stale; reading thousands of codings then needs no
-- substring of the transcript per row (which walks the text from its start each time).

ALTER TABLE codings ADD COLUMN text text;

CREATE FUNCTION codings_fill_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.text := substr(
        (SELECT body FROM documents WHERE id = NEW.document_id),
        NEW.start_offset + 1,
        NEW.end_offset - NEW.start_offset
    );
    RETURN NEW;
END;
$$;

-- Every writer (coders, consensus, merges, imports) gets the text without knowing of it.
CREATE TRIGGER codings_text
    BEFORE INSERT OR UPDATE OF document_id, start_offset, end_offset ON codings
    FOR EACH ROW EXECUTE FUNCTION codings_fill_text();

UPDATE codings c SET text = substr(d.body, c.start_offset + 1, c.end_offset - c.start_offset)
FROM documents d WHERE d.id = c.document_id;

ALTER TABLE codings ALTER COLUMN text SET NOT NULL;

-- Uncompressed out-of-line storage lets substr() fetch only the slice it needs.
ALTER TABLE documents ALTER COLUMN body SET STORAGE EXTERNAL;
