-- CreateTable
CREATE TABLE "PendingDeletion" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "whereCiphertext" BYTEA NOT NULL,
    "deleteAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PendingDeletion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingDeletion_platform_deleteAt_idx" ON "PendingDeletion"("platform", "deleteAt");
