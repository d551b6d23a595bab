-- AlterTable
ALTER TABLE "Claim" ADD COLUMN     "answers" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "places" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "topics" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Source" ADD COLUMN     "text" TEXT;

-- CreateTable
CREATE TABLE "Topic" (
    "id" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameZhHans" TEXT NOT NULL,
    "nameZhHant" TEXT NOT NULL,
    "aliases" TEXT[],

    CONSTRAINT "Topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disagreement" (
    "id" TEXT NOT NULL,
    "claimIds" TEXT[],
    "textEn" TEXT NOT NULL,
    "textZhHans" TEXT NOT NULL,
    "textZhHant" TEXT NOT NULL,

    CONSTRAINT "Disagreement_pkey" PRIMARY KEY ("id")
);
