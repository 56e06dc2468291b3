"""On PostgreSQL the database itself keeps the audit log append-only (issue 22 left it to the
model and queryset alone, which raw SQL, ``QuerySet.update`` through another manager or a shell
could bypass): a row trigger refuses UPDATE and DELETE.

Two exceptions, both narrow:
- DELETE inside a transaction that set ``bureau.audit_purge`` (``SET LOCAL``): ``audit_purge``,
  which deletes only events older than the retention period;
- the one UPDATE Django makes itself: an account removed, its events' ``actor_id`` set to NULL
  (``on_delete=SET_NULL``) with every other column unchanged; the name as it was stays.
TRUNCATE (a test database's flush, a restore into a new database) is not a row event and passes.
SQLite has no such triggers here: the embedded default keeps the application-level rule.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('bureau.audit_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '审计日志不可删除。' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '审计日志不可修改。' USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_document_kinds")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
