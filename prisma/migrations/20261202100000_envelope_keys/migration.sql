-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "reportId" TEXT;

-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "routeCiphertext" BYTEA;

-- CreateTable
CREATE TABLE "DataKey" (
    "id" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "wrapped" BYTEA NOT NULL,

    CONSTRAINT "DataKey_pkey" PRIMARY KEY ("id")
);

-- The audit log stays append-only, with one exception: erasing a report removes that report's
-- timeline (only "an erasure happened" is kept). The erasing transaction names the report with
-- SET LOCAL lantern.erasing; nothing else may delete, and nothing may update.
CREATE OR REPLACE FUNCTION lantern_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD."reportRef" IS NOT NULL
     AND OLD."reportRef" = current_setting('lantern.erasing', true) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only';
END;
$$ LANGUAGE plpgsql;

-- TRUNCATE fires no row trigger: a statement trigger refuses it.
CREATE FUNCTION lantern_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION lantern_audit_no_truncate();
