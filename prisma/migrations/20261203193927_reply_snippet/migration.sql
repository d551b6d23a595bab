-- CreateTable
CREATE TABLE "ReplySnippet" (
    "slug" TEXT NOT NULL,
    "en" TEXT NOT NULL,
    "zhHans" TEXT NOT NULL,
    "zhHant" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReplySnippet_pkey" PRIMARY KEY ("slug")
);
