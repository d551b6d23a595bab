-- CreateTable
CREATE TABLE "TeamMember" (
    "platform" TEXT NOT NULL,
    "memberHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("platform","memberHash")
);
