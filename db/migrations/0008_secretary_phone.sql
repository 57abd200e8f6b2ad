-- A grid party secretary's contact phone: personal data, masked on read unless the reader's role needs it
-- (server/auth/personalData.ts); not a writable attribute yet — the people pages will edit it.
ALTER TABLE "grids" ADD COLUMN "party_secretary_phone" text;
