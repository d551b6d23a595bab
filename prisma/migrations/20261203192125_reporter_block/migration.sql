-- CreateTable
CREATE TABLE "ReporterBlock" (
    "reporterHash" TEXT NOT NULL,
    "publicId" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT,
    "reasonCiphertext" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReporterBlock_pkey" PRIMARY KEY ("reporterHash")
);

-- CreateIndex
CREATE INDEX "ReporterBlock_publicId_idx" ON "ReporterBlock"("publicId");
