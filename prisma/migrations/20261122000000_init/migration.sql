-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StationPrecision" AS ENUM ('city', 'address');

-- CreateEnum
CREATE TYPE "StationStatusKind" AS ENUM ('reported', 'under_investigation', 'closed', 'prosecuted');

-- CreateEnum
CREATE TYPE "ClaimKind" AS ENUM ('station_report', 'figure', 'official_response', 'host_response', 'tactic', 'context');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('new', 'in_review', 'needs_info', 'verified', 'referred', 'dismissed', 'closed');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateTable
CREATE TABLE "Source" (
    "id" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "byline" TEXT,
    "title" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "dateApproximate" BOOLEAN NOT NULL DEFAULT false,
    "url" TEXT,
    "textFile" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Country" (
    "code" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameZhHans" TEXT NOT NULL,
    "nameZhHant" TEXT NOT NULL,
    "aliases" TEXT[],

    CONSTRAINT "Country_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Station" (
    "id" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameZhHans" TEXT NOT NULL,
    "nameZhHant" TEXT NOT NULL,
    "cityEn" TEXT NOT NULL,
    "cityZhHans" TEXT NOT NULL,
    "cityZhHant" TEXT NOT NULL,
    "countryCode" TEXT NOT NULL,
    "precision" "StationPrecision" NOT NULL DEFAULT 'city',
    "address" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "countInCity" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Station_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StationAlias" (
    "id" SERIAL NOT NULL,
    "stationId" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "StationAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StationStatus" (
    "id" SERIAL NOT NULL,
    "stationId" TEXT NOT NULL,
    "status" "StationStatusKind" NOT NULL,
    "date" TEXT NOT NULL,
    "dateApproximate" BOOLEAN NOT NULL DEFAULT false,
    "claimId" TEXT NOT NULL,

    CONSTRAINT "StationStatus_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" TEXT NOT NULL,
    "kind" "ClaimKind" NOT NULL,
    "stationId" TEXT,
    "countryCode" TEXT,
    "speaker" TEXT,
    "textEn" TEXT NOT NULL,
    "textZhHans" TEXT NOT NULL,
    "textZhHant" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "quote" TEXT NOT NULL,
    "date" TEXT NOT NULL DEFAULT 'unknown',
    "dateApproximate" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StationSuggestion" (
    "id" TEXT NOT NULL,
    "stationId" TEXT,
    "proposal" JSONB NOT NULL,
    "sourceId" TEXT,
    "quote" TEXT,
    "authorHash" TEXT NOT NULL,
    "reportId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StationSuggestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "publicId" TEXT NOT NULL,
    "reporterHash" TEXT NOT NULL,
    "receiptHash" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'new',
    "severity" "Severity",
    "keyId" TEXT NOT NULL,
    "payloadCiphertext" BYTEA NOT NULL,
    "consentContact" BOOLEAN NOT NULL DEFAULT false,
    "consentShareNgo" BOOLEAN NOT NULL DEFAULT false,
    "consentShareLaw" BOOLEAN NOT NULL DEFAULT false,
    "stationId" TEXT,
    "period" TEXT,
    "assigneeHash" TEXT,
    "duplicateOfId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" TEXT NOT NULL,
    "reportId" TEXT,
    "draftKey" TEXT,
    "keyId" TEXT NOT NULL,
    "dataCiphertext" BYTEA NOT NULL,
    "sha256Original" TEXT NOT NULL,
    "sha256Stored" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportNote" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "authorHash" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "textCiphertext" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorHash" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reportRef" TEXT,
    "details" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "key" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "keyId" TEXT NOT NULL,
    "stateCiphertext" BYTEA NOT NULL,
    "botMessages" JSONB NOT NULL DEFAULT '[]',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Preference" (
    "actorHash" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Preference_pkey" PRIMARY KEY ("actorHash")
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastRunAt" TIMESTAMP(3),

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "Station_countryCode_idx" ON "Station"("countryCode");

-- CreateIndex
CREATE UNIQUE INDEX "StationAlias_stationId_alias_key" ON "StationAlias"("stationId", "alias");

-- CreateIndex
CREATE INDEX "StationStatus_stationId_idx" ON "StationStatus"("stationId");

-- CreateIndex
CREATE INDEX "Claim_stationId_idx" ON "Claim"("stationId");

-- CreateIndex
CREATE INDEX "Claim_kind_idx" ON "Claim"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "Report_publicId_key" ON "Report"("publicId");

-- CreateIndex
CREATE UNIQUE INDEX "Report_receiptHash_key" ON "Report"("receiptHash");

-- CreateIndex
CREATE INDEX "Report_status_createdAt_idx" ON "Report"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Report_reporterHash_idx" ON "Report"("reporterHash");

-- CreateIndex
CREATE INDEX "Report_stationId_idx" ON "Report"("stationId");

-- CreateIndex
CREATE INDEX "Evidence_reportId_idx" ON "Evidence"("reportId");

-- CreateIndex
CREATE INDEX "Evidence_draftKey_idx" ON "Evidence"("draftKey");

-- CreateIndex
CREATE INDEX "AuditEvent_reportRef_idx" ON "AuditEvent"("reportRef");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "Conversation_expiresAt_idx" ON "Conversation"("expiresAt");

-- CreateIndex
CREATE INDEX "Outbox_deliveredAt_createdAt_idx" ON "Outbox"("deliveredAt", "createdAt");

-- AddForeignKey
ALTER TABLE "StationAlias" ADD CONSTRAINT "StationAlias_stationId_fkey" FOREIGN KEY ("stationId") REFERENCES "Station"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StationStatus" ADD CONSTRAINT "StationStatus_stationId_fkey" FOREIGN KEY ("stationId") REFERENCES "Station"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StationStatus" ADD CONSTRAINT "StationStatus_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_stationId_fkey" FOREIGN KEY ("stationId") REFERENCES "Station"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_stationId_fkey" FOREIGN KEY ("stationId") REFERENCES "Station"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportNote" ADD CONSTRAINT "ReportNote_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Audit events are append-only: nothing (not the bot, not an admin script) may rewrite history.
CREATE FUNCTION lantern_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION lantern_audit_append_only();
