-- CreateTable
CREATE TABLE "ReportAnonymised" (
    "reportId" TEXT NOT NULL,
    "authorHash" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "textCiphertext" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReportAnonymised_pkey" PRIMARY KEY ("reportId")
);

-- AddForeignKey
ALTER TABLE "ReportAnonymised" ADD CONSTRAINT "ReportAnonymised_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;
