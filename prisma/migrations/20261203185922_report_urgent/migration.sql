-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "urgent" BOOLEAN NOT NULL DEFAULT false;
