-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "deliveredTo" TEXT[] DEFAULT ARRAY[]::TEXT[];
